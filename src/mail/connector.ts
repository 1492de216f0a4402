// MailConnector: the configured IMAP, POP and SMTP endpoints behind the interface the checks use.
import type { MailConnector, MailProtocol } from '../clients/types.js';
import type { ResolvedConfig } from '../config/types.js';
import type { Logger } from '../core/log.js';
import { stepBudgetMs } from '../net/deadline.js';
import type { Redactor } from '../core/redact.js';
import type { MailDialog } from './dialog.js';
import { imapDialog } from './imap.js';
import { popDialog } from './pop.js';
import { Preconnector } from './preconnect.js';
import { sendTestMail } from './send-test-mail.js';
import type { MailDeps } from './session.js';
import { smtpDialog } from './smtp.js';

const DIALOGS: Record<MailProtocol, MailDialog> = { imap: imapDialog, pop: popDialog, smtp: smtpDialog };

export function createMailConnector(
  config: ResolvedConfig,
  deps: { redactor: Redactor; log: Logger; signal?: AbortSignal },
): MailConnector {
  const md: MailDeps = {
    redactor: deps.redactor,
    log: deps.log,
    caPem: config.caPem,
    stepMs: stepBudgetMs(config.timeoutMs),
    signal: deps.signal,
    proxy: config.proxy,
  };
  const e = config.endpoints;
  const early = new Preconnector(md);
  return {
    imap: (req) => early.login(imapDialog, e.imap, req),
    pop: (req) => early.login(popDialog, e.pop, req),
    smtp: (req) => early.login(smtpDialog, e.smtp, req),
    sendTestMail: (req) => sendTestMail(e.smtp, req, md),
    preconnect(protocol) {
      // A plugin may pass anything: an unknown protocol is ignored, as preconnect never throws.
      if (Object.hasOwn(DIALOGS, protocol)) early.start(DIALOGS[protocol], e[protocol]);
    },
    close: () => early.close(),
  };
}
