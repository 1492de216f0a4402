// Mail sessions opened ahead of their login, as browsers pre-connect: the token-free opening (TLS, greeting,
// capabilities; SMTP's EHLO and STARTTLS) overlaps the token requests, and the next login for that endpoint
// takes the session over. Each session serves one login at most; the ones nobody took are closed at run end.
import type { MailLoginRequest, MailLoginResult } from '../clients/types.js';
import { formatHostPort } from '../config/validate.js';
import type { HostPort } from '../config/types.js';
import { loginFresh, type MailDialog } from './dialog.js';
import { ProcessHold } from './process-hold.js';
import { MailSession, type MailDeps } from './session.js';

/** At run end, how long unused sessions get to finish their opening and say goodbye before they are cut. */
export const CLOSE_BUDGET_MS = 1000;
/**
 * Longest a ready session may wait for its login before a new connection is preferred: well under the minute a
 * server gives a session that has not logged in, so the login never races the server's idle timeout.
 */
export const MAX_IDLE_MS = 20_000;

interface Preconnected {
  dialog: MailDialog;
  session: MailSession;
  /** The opening: true when ready for AUTH, false when the dialog ended without it; rejects as a login would. */
  opened: Promise<boolean>;
  /** Ends the session's waits: the login's signal once a login took it, or the run's end. */
  stop: AbortController;
  hold: ProcessHold;
  /** When the opening finished (undefined while it runs). */
  readyAt?: number;
}

export class Preconnector {
  /** Sessions no login has taken yet, oldest first, by endpoint. */
  readonly #waiting = new Map<string, Preconnected[]>();
  #closed = false;

  constructor(
    private readonly deps: MailDeps,
    private readonly maxIdleMs = MAX_IDLE_MS,
  ) {}

  /** Starts opening a session for a later login. Never throws: a failure is kept for that login to report. */
  start(dialog: MailDialog, endpoint: HostPort): void {
    if (this.#closed) return;
    const stop = new AbortController();
    // Nobody may ever use it (its check may be skipped): it must not keep the process alive until a login waits.
    const hold = new ProcessHold(false);
    const session = new MailSession(dialog.protocol, endpoint, this.deps);
    const p: Preconnected = {
      dialog,
      session,
      opened: dialog.open(session, { signal: stop.signal, hold }),
      stop,
      hold,
    };
    p.opened.then(
      (ready) => {
        p.readyAt = Date.now();
        if (!ready) session.close();
      },
      () => session.close(),
    );
    const key = keyOf(dialog, endpoint);
    this.#waiting.set(key, [...(this.#waiting.get(key) ?? []), p]);
    this.deps.log.debug(`${dialog.protocol} pre-connect`, { endpoint: formatHostPort(endpoint) });
  }

  /** The login, on a pre-connected session when one waits for this endpoint, else on a connection of its own. */
  async login(dialog: MailDialog, endpoint: HostPort, req: MailLoginRequest): Promise<MailLoginResult> {
    const p = this.#waiting.get(keyOf(dialog, endpoint))?.shift();
    if (!p) return loginFresh(dialog, endpoint, req, this.deps);
    // Counted from now, as if the login had connected itself now; the opening ends within its own, earlier budget.
    const startedAt = Date.now();
    const idleMs = p.readyAt === undefined ? 0 : startedAt - p.readyAt;
    p.hold.set(true);
    const onAbort = () => p.stop.abort();
    if (req.signal?.aborted) onAbort();
    else req.signal?.addEventListener('abort', onAbort, { once: true });
    let tooOld = false;
    try {
      if (!(await p.opened)) return p.session.result;
      if (p.session.sock.quiet && idleMs <= this.maxIdleMs) {
        p.session.sock.restartBudget(startedAt);
        return await p.dialog.authenticate(p.session, req);
      }
      tooOld = p.session.sock.quiet;
    } finally {
      req.signal?.removeEventListener('abort', onAbort);
      // A session unused only because it waited too long still says goodbye, alongside the new login.
      if (tooOld) void dismiss(p);
      else p.session.close();
    }
    // The server hung up or spoke unasked while the session waited for the token, or it waited too long: start
    // over, as without pre-connect.
    this.deps.log.debug(`${dialog.protocol} pre-connected session went stale; connecting again`);
    return loginFresh(dialog, endpoint, req, this.deps);
  }

  /** Ends every session no login took: LOGOUT / QUIT where the opening went well, within CLOSE_BUDGET_MS. */
  async close(): Promise<void> {
    this.#closed = true;
    const left = [...this.#waiting.values()].flat();
    this.#waiting.clear();
    await Promise.all(left.map(dismiss));
  }
}

async function dismiss(p: Preconnected): Promise<void> {
  // The goodbye is awaited, so the process waits for it (bounded below).
  p.hold.set(true);
  const polite = (async () => {
    if (!(await p.opened.catch(() => false)) || !p.session.sock.quiet) return;
    p.session.sock.restartBudget(Date.now());
    await p.dialog.farewell(p.session);
  })();
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    polite,
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, CLOSE_BUDGET_MS);
    }),
  ]);
  clearTimeout(timer);
  p.stop.abort();
  p.session.close();
}

function keyOf(dialog: MailDialog, endpoint: HostPort): string {
  return `${dialog.protocol} ${formatHostPort(endpoint)}`;
}
