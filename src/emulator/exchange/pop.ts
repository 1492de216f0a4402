// The emulated Exchange Online POP3 service (implicit TLS, like outlook.office365.com:995).
import type { ExchangeDeps, RunningServer } from './deps.js';
import { startLineServer } from './line-server.js';
import { POP_TEXT, PopSession } from './pop-session.js';

export function startPopServer(deps: ExchangeDeps): Promise<RunningServer> {
  return startLineServer({
    deps,
    greeting: POP_TEXT.greeting(deps.serverName),
    createSession: (conn) => new PopSession(deps, conn),
  });
}
