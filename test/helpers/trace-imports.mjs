// --import hook for tests: records every module URL the process resolves into $TRACE_FILE.
import { register } from 'node:module';

register(new URL('./trace-hooks.mjs', import.meta.url));
