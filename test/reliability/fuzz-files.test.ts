// Generated hostile input files and argument lists, part 1 of 2 (the generator and the judge: helpers/fuzz-files.ts).
import { fuzzSuite } from './helpers/fuzz-files.js';

fuzzSuite({ part: 1, parts: 2, spawned: false });
