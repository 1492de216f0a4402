// MailConnector: the configured IMAP, POP and SMTP endpoints behind the interface the checks use.
import type { MailConnector } from '../clients.js';
import type { ResolvedConfig } from '../config/types.js';
import type { Logger } from '../log.js';
import { stepBudgetMs } from '../net/deadline.js';
import type { Redactor } from '../redact.js';
import { imapLogin } from './imap.js';
import { popLogin } from './pop.js';
import { sendTestMail } from './send-test-mail.js';
import type { MailDeps } from './session.js';
import { smtpLogin } from './smtp.js';

export function createMailConnector(config: ResolvedConfig, deps: { redactor: Redactor; log: Logger }): MailConnector {
  const md: MailDeps = { redactor: deps.redactor, log: deps.log, caPem: config.caPem, stepMs: stepBudgetMs(config.timeoutMs) };
  const e = config.endpoints;
  return {
    imap: (req) => imapLogin(e.imap, req, md),
    pop: (req) => popLogin(e.pop, req, md),
    smtp: (req) => smtpLogin(e.smtp, req, md),
    sendTestMail: (req) => sendTestMail(e.smtp, req, md),
  };
}
