// m365-doctor's own IMAP, POP and SMTP clients (src/mail) against real Dovecot, with self-minted Entra-sized
// tokens: the product's wire code judged by a server nobody on the team wrote.
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { KeyObject } from 'node:crypto';
import { signJwt } from '../../src/emulator/jwt.js';
import { Redactor } from '../../src/core/redact.js';
import { silentLogger } from '../../src/core/log.js';
import type { MailLoginResult, MailProtocol } from '../../src/clients/types.js';
import { imapLogin } from '../../src/mail/imap.js';
import { popLogin } from '../../src/mail/pop.js';
import { smtpLogin } from '../../src/mail/smtp.js';
import { sendTestMail } from '../../src/mail/send-test-mail.js';
import { describeWithDovecot, showLabLogOnFailure } from './dovecot-gate.js';
import type { RunningDovecot } from './dovecot.js';
import { freshLabCert, startKeyedDovecot } from './keyed-lab.js';
import { entraLikeClaims, LAB_AUDIENCE, LAB_ISSUER } from './lab-tokens.js';

const KID = 'mail-clients-key';

describeWithDovecot('src/mail clients against Dovecot (self-minted tokens)', () => {
  let lab: RunningDovecot;
  let key: KeyObject;
  let caPem: string;
  showLabLogOnFailure(() => [lab]);

  beforeAll(async () => {
    const cert = freshLabCert();
    caPem = cert.caPem;
    ({ lab, key } = await startKeyedDovecot({
      kid: KID,
      issuer: LAB_ISSUER,
      audience: LAB_AUDIENCE,
      usernameClaim: 'upn',
      tls: cert.tls,
    }));
  }, 60_000);

  afterAll(async () => {
    if (lab) await lab.stop();
  }, 15_000);

  function login(protocol: MailProtocol, user: string, token: string): Promise<MailLoginResult> {
    const deps = { redactor: new Redactor(), log: silentLogger, caPem, stepMs: 5000 };
    const req = { user, accessToken: token };
    if (protocol === 'imap') return imapLogin(lab.imap, req, deps);
    if (protocol === 'pop') return popLogin(lab.pop, req, deps);
    return smtpLogin(lab.submission, req, deps);
  }

  test('the lab tokens are Entra-sized (over the 1 KiB AUTH line Dovecot submission accepts)', () => {
    expect(signJwt(entraLikeClaims('size@interop.test'), key, { kid: KID }).length).toBeGreaterThan(1100);
  });

  test.concurrent.each([
    ['imap', /^A\d+ OK .*Logged in/, /^A\d+ OK \[READ-ONLY\]/],
    ['pop', /^\+OK Logged in\.$/, /^\+OK 0 0$/],
    ['smtp', /^235 2\.7\.0 Logged in\.$/, undefined],
  ] as const)('%s: login accepted, mailbox opened', async (protocol, authLine, afterAuth) => {
    const user = `${protocol}.ok@interop.test`;
    const token = signJwt(entraLikeClaims(user), key, { kid: KID });
    const r = await login(protocol, user, token);
    expect(r.authenticated).toBe(true);
    expect(r.authLine).toMatch(authLine);
    expect(r.challenge).toBeUndefined();
    expect(r.capabilities.join(' ')).toMatch(/XOAUTH2/);
    if (afterAuth) {
      expect(r.afterAuthOk).toBe(true);
      expect(r.afterAuthLine).toMatch(afterAuth);
    }
    // Nothing of the token reaches the result: not its signature, not the JWT at all.
    expect(JSON.stringify(r)).not.toContain(token.split('.')[2]);
    expect(JSON.stringify(r)).not.toContain('eyJ');
  });

  test.concurrent.each([
    [
      'imap',
      /^A\d+ NO \[AUTHENTICATIONFAILED\] Authentication failed\.$/,
      { command: 'AUTHENTICATE', status: 'NO', responseCode: 'AUTHENTICATIONFAILED' },
    ],
    ['pop', /^-ERR \[AUTH\] Authentication failed\.$/, { command: 'AUTH', status: '-ERR', responseCode: 'AUTH' }],
    [
      'smtp',
      /^535 5\.7\.8 Authentication failed\.$/,
      { command: 'AUTH', status: '535', code: 535, enhancedCode: '5.7.8' },
    ],
  ] as const)(
    '%s: a token for another user gets the challenge answered and the final failure line',
    async (protocol, finalLine, reply) => {
      const user = `${protocol}.mismatch@interop.test`;
      const r = await login(protocol, user, signJwt(entraLikeClaims('someone.else@interop.test'), key, { kid: KID }));
      expect(r.authenticated).toBe(false);
      expect(r.challenge).toEqual({ status: '401', schemes: 'bearer', scope: 'mail' });
      expect(r.authLine).toMatch(finalLine);
      expect(r.reply).toEqual(reply);
      await lab.waitForLog(
        new RegExp(
          `oauth2\\(${user.replace(/\./g, '\\.')},.*Username '${user.replace(/\./g, '\\.')}' did not match 'someone\\.else@interop\\.test'`,
        ),
      );
    },
  );

  test('send-test-mail goes through Dovecot submission to the loopback relay sink', async () => {
    const user = 'sender@interop.test';
    const before = lab.relay.accepted();
    const res = await sendTestMail(
      lab.submission,
      {
        user,
        accessToken: signJwt(entraLikeClaims(user), key, { kid: KID }),
        from: user,
        to: user,
        subject: 'm365-doctor interop',
        text: 'Relayed to a sink that discards it.',
      },
      { redactor: new Redactor(), log: silentLogger, caPem, stepMs: 5000 },
    );
    expect(res.accepted).toBe(true);
    expect(res.response).toMatch(/^250 /);
    expect(lab.relay.accepted()).toBe(before + 1);
  });
});
