// The run's logger: one line per message on stderr, secrets scrubbed, debug/info only with --verbose.
import type { Logger } from '../core/log.js';
import type { Redactor } from '../core/redact.js';
import { escapeControls } from './terminal-text.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'silent';
const RANK: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, silent: 3 };

export function createLogger(
  level: LogLevel,
  redactor: Redactor,
  write: (line: string) => void = (l) => process.stderr.write(l),
): Logger {
  const emit = (at: Exclude<LogLevel, 'silent'>, msg: string, data?: Record<string, unknown>) => {
    if (RANK[at] < RANK[level]) return;
    const extra = data && Object.keys(data).length ? ` ${safeJson(data)}` : '';
    // Scrubbed before escaping, so a secret still matches; then server text (IMAP lines, MSAL messages) is inert.
    write(`${escapeControls(redactor.scrub(`[${at}] ${msg}${extra}`))}\n`);
  };
  return {
    debug: (msg, data) => emit('debug', msg, data),
    info: (msg, data) => emit('info', msg, data),
    warn: (msg, data) => emit('warn', msg, data),
    debugEnabled: RANK.debug >= RANK[level],
  };
}

function safeJson(data: Record<string, unknown>): string {
  try {
    return JSON.stringify(data);
  } catch {
    return '[unserializable data]';
  }
}
