// A mail login in two halves: the opening, which needs no token (connect, TLS, greeting, capabilities), and the
// rest (AUTH with the token, the read-only step after it, goodbye). The split lets the opening run ahead of need.
import type { MailLoginRequest, MailLoginResult, MailProtocol } from '../clients/types.js';
import type { HostPort } from '../config/types.js';
import type { ProcessHold } from './process-hold.js';
import { MailSession, type MailDeps } from './session.js';

export interface OpenOptions {
  signal?: AbortSignal;
  hold?: ProcessHold;
}

export interface MailDialog {
  protocol: MailProtocol;
  /**
   * Connects and goes as far as it can without the token. True when the session is ready for AUTH; false when
   * the dialog already ended without AUTH (s.result is final, e.g. a refused STARTTLS). Throws what a login would.
   */
  open(s: MailSession, opts: OpenOptions): Promise<boolean>;
  /** AUTH with the token and what follows it, on an opened session. The caller closes the session. */
  authenticate(s: MailSession, req: MailLoginRequest): Promise<MailLoginResult>;
  /** The polite end (LOGOUT / QUIT) of an opened session that was never logged in. */
  farewell(s: MailSession): Promise<void>;
}

/** The whole login on a connection of its own. */
export async function loginFresh(
  dialog: MailDialog,
  endpoint: HostPort,
  req: MailLoginRequest,
  deps: MailDeps,
): Promise<MailLoginResult> {
  const s = new MailSession(dialog.protocol, endpoint, deps);
  try {
    if (!(await dialog.open(s, { signal: req.signal }))) return s.result;
    return await dialog.authenticate(s, req);
  } finally {
    s.close();
  }
}
