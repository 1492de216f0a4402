// The emulated Exchange Online IMAP4 service (implicit TLS, like outlook.office365.com:993).
import type { ExchangeDeps, RunningServer } from './deps.js';
import { IMAP_TEXT, ImapSession } from './imap-session.js';
import { startLineServer } from './line-server.js';

export function startImapServer(deps: ExchangeDeps): Promise<RunningServer> {
  return startLineServer({
    deps,
    greeting: IMAP_TEXT.greeting(deps.serverName),
    createSession: (conn) => new ImapSession(deps, conn),
  });
}
