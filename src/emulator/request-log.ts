// Every HTTP request and mail protocol command the emulator received, for tests and the demo to assert on.
// Never holds a secret: token endpoint bodies are reduced to their grant type and SASL arguments are dropped.

export type EmulatedService = 'entra' | 'graph' | 'imap' | 'pop' | 'smtp';

export interface RequestLogEntry {
  at: string;
  service: EmulatedService;
  /** HTTP method, or the protocol command verb (AUTHENTICATE, EXAMINE, STAT, DATA, ...). */
  method: string;
  /** HTTP path with query, or the command's non-secret argument (mailbox name, mechanism). */
  target: string;
  /** HTTP status, or the protocol response tag/code (OK, NO, BAD, +OK, -ERR, 235, 535, ...). */
  result: string;
  /** For the token endpoint: the grant type; for logins: the SASL user. */
  detail?: string;
}

export class RequestLog {
  readonly entries: RequestLogEntry[] = [];
  record(entry: Omit<RequestLogEntry, 'at'>): void {
    this.entries.push({ at: new Date().toISOString(), ...entry });
  }
  clear(): void {
    this.entries.length = 0;
  }
  count(filter: Partial<Omit<RequestLogEntry, 'at'>>): number {
    return this.entries.filter((e) => Object.entries(filter).every(([k, v]) => e[k as keyof RequestLogEntry] === v))
      .length;
  }
}
