// The one redactor of this process: the CLI scrubs stdout/stderr with it, and every part registers secrets in it.
import { Redactor } from '../core/redact.js';

export const processRedactor = new Redactor();
