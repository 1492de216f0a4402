// Generated hostile input files and argument lists through the built CLI, each process killed if it hangs.
import { fuzzSuite } from './helpers/fuzz-files.js';

fuzzSuite({ part: 0, parts: 2, spawned: true });
