// Logger handed to checks and clients; its sink scrubs every line through the run's redactor.
export interface Logger {
  debug(msg: string, data?: Record<string, unknown>): void;
  info(msg: string, data?: Record<string, unknown>): void;
  warn(msg: string, data?: Record<string, unknown>): void;
  /** False when debug messages are dropped, so a caller can skip building them (MSAL's verbose log). */
  readonly debugEnabled?: boolean;
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, debugEnabled: false };
