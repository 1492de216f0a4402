// The decisive reply, parsed (status word, SMTP reply and enhanced codes, IMAP / POP response code), and the
// login classifier deciding on those codes before the wording: a reply whose codes say otherwise is not read
// as "not connected" or "SMTP AUTH disabled" however it is worded.
import { describe, expect, it } from 'vitest';
import type { MailLoginResult, MailReply } from '../../src/clients/types.js';
import {
  loginEvidence,
  loginWorked,
  notConnected,
  smtpAuthDisabled,
  starttlsRefused,
} from '../../src/diagnose/mail-outcome.js';
import { imapReply, popReply, smtpReply } from '../../src/mail/reply.js';

describe('parsing a reply', () => {
  it('IMAP: status word and the response code name, without its arguments', () => {
    expect(imapReply('AUTHENTICATE', 'A2 NO [AUTHENTICATIONFAILED] Authentication failed.')).toEqual({
      command: 'AUTHENTICATE',
      status: 'NO',
      responseCode: 'AUTHENTICATIONFAILED',
    });
    expect(imapReply('AUTHENTICATE', 'A2 NO AUTHENTICATE failed.')).toEqual({ command: 'AUTHENTICATE', status: 'NO' });
    expect(imapReply('EXAMINE', 'A3 BAD User is authenticated but not connected.')).toEqual({
      command: 'EXAMINE',
      status: 'BAD',
    });
    expect(imapReply('EXAMINE', '* BYE Connection closed. 14')).toEqual({ command: 'EXAMINE', status: 'BYE' });
    expect(imapReply('EXAMINE', 'A3 ok [PERMANENTFLAGS (\\Seen)] done')).toEqual({
      command: 'EXAMINE',
      status: 'OK',
      responseCode: 'PERMANENTFLAGS',
    });
    expect(imapReply('AUTHENTICATE', 'A2 NO [unavailable] try later')).toMatchObject({ responseCode: 'UNAVAILABLE' });
  });

  it('POP: +OK / -ERR and the extended response code (RFC 2449, RFC 3206)', () => {
    expect(popReply('AUTH', '-ERR [AUTH] Authentication failed.')).toEqual({
      command: 'AUTH',
      status: '-ERR',
      responseCode: 'AUTH',
    });
    expect(popReply('STAT', '-ERR [SYS/TEMP] The mailbox is temporarily unavailable.')).toEqual({
      command: 'STAT',
      status: '-ERR',
      responseCode: 'SYS/TEMP',
    });
    expect(popReply('AUTH', '-ERR Authentication failure: unknown user name or bad password.')).toEqual({
      command: 'AUTH',
      status: '-ERR',
    });
    expect(popReply('STAT', '+OK 3 4096')).toEqual({ command: 'STAT', status: '+OK' });
  });

  it('SMTP: the reply code and the enhanced status code (RFC 3463)', () => {
    const line =
      '535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled for more information. [X]';
    expect(smtpReply('AUTH', 535, line)).toEqual({
      command: 'AUTH',
      status: '535',
      code: 535,
      enhancedCode: '5.7.139',
    });
    expect(smtpReply('AUTH', 535, '535 Authentication failed')).toEqual({ command: 'AUTH', status: '535', code: 535 });
    expect(smtpReply('STARTTLS', 454, '454 4.7.0 TLS not available due to temporary reason')).toMatchObject({
      enhancedCode: '4.7.0',
    });
  });

  it('keeps nothing but a short atom from the brackets', () => {
    expect(imapReply('AUTHENTICATE', `A2 NO [${'X'.repeat(60)}] long`).responseCode).toBeUndefined();
    expect(popReply('AUTH', '-ERR [a"b] odd').responseCode).toBeUndefined();
  });
});

function result(over: Partial<MailLoginResult> & { reply: MailReply }): MailLoginResult {
  return {
    protocol: 'smtp',
    endpoint: { host: 'mail.test', port: 587 },
    authenticated: false,
    greeting: '220 ready',
    capabilities: ['AUTH LOGIN XOAUTH2'],
    phase: 'auth',
    authLine: '',
    ...over,
  };
}

const TENANT_OFF =
  '535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled for more information. [X]';
const MAILBOX_OFF =
  '535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Mailbox. Visit https://aka.ms/smtp_auth_disabled for more information. [X]';

describe('classifying a login on its structured reply', () => {
  it('SMTP 535 / 5.7.139: the text then names the switch', () => {
    expect(smtpAuthDisabled(result({ authLine: TENANT_OFF, reply: smtpReply('AUTH', 535, TENANT_OFF) }))).toBe(
      'tenant',
    );
    expect(smtpAuthDisabled(result({ authLine: MAILBOX_OFF, reply: smtpReply('AUTH', 535, MAILBOX_OFF) }))).toBe(
      'mailbox',
    );
    const basic = '535 5.7.139 Authentication unsuccessful, basic authentication is disabled. [X]';
    expect(smtpAuthDisabled(result({ authLine: basic, reply: smtpReply('AUTH', 535, basic) }))).toBeUndefined();
  });

  it('SMTP: the same wording under other codes is not the switch', () => {
    const other = TENANT_OFF.replace('5.7.139', '5.7.3');
    expect(smtpAuthDisabled(result({ authLine: other, reply: smtpReply('AUTH', 535, other) }))).toBeUndefined();
    const temp = TENANT_OFF.replace('535 5.7.139', '454 4.7.0');
    expect(smtpAuthDisabled(result({ authLine: temp, reply: smtpReply('AUTH', 454, temp) }))).toBeUndefined();
    const atStarttls = result({
      phase: 'starttls',
      authLine: TENANT_OFF,
      reply: smtpReply('STARTTLS', 535, TENANT_OFF),
    });
    expect(smtpAuthDisabled(atStarttls)).toBeUndefined();
    expect(starttlsRefused(atStarttls)).toBe(true);
  });

  it('SMTP: 235 accepted is never "disabled"; a refused AUTH is not a refused STARTTLS', () => {
    const ok = result({
      authenticated: true,
      authLine: '235 2.7.0 Authentication successful',
      reply: smtpReply('AUTH', 235, '235 2.7.0 Authentication successful'),
    });
    expect(loginWorked(ok)).toBe(true);
    expect(smtpAuthDisabled(ok)).toBeUndefined();
    expect(starttlsRefused(result({ authLine: TENANT_OFF, reply: smtpReply('AUTH', 535, TENANT_OFF) }))).toBe(false);
  });

  it('IMAP / POP: "not connected" is the follow-up refused (BAD, NO, BYE, -ERR) in those words', () => {
    const imap = (line: string) =>
      result({
        protocol: 'imap',
        authenticated: true,
        afterAuthOk: false,
        afterAuthLine: line,
        reply: imapReply('EXAMINE', line),
      });
    expect(notConnected(imap('A3 BAD User is authenticated but not connected.'))).toBe(true);
    expect(notConnected(imap('* BYE User is authenticated but not connected.'))).toBe(true);
    expect(notConnected(imap('A3 BAD Command Error. 12'))).toBe(false);
    const pop = (line: string) =>
      result({
        protocol: 'pop',
        authenticated: true,
        afterAuthOk: false,
        afterAuthLine: line,
        reply: popReply('STAT', line),
      });
    expect(notConnected(pop('-ERR User is authenticated but not connected.'))).toBe(true);
    expect(notConnected(pop('-ERR [SYS/TEMP] The mailbox is temporarily unavailable.'))).toBe(false);
  });

  it('IMAP: a refused AUTHENTICATE is no "not connected", whatever its text', () => {
    const line = 'A2 NO [AUTHENTICATIONFAILED] User is authenticated but not connected.';
    const r = result({ protocol: 'imap', authLine: line, reply: imapReply('AUTHENTICATE', line) });
    expect(loginWorked(r)).toBe(false);
    expect(notConnected(r)).toBe(false);
  });

  it('puts the reply in the evidence as flat fields', () => {
    const r = result({ authLine: TENANT_OFF, reply: smtpReply('AUTH', 535, TENANT_OFF) });
    expect(loginEvidence(r)).toMatchObject({
      replyCommand: 'AUTH',
      replyStatus: '535',
      replyCode: 535,
      replyEnhancedCode: '5.7.139',
    });
    const pop = result({ protocol: 'pop', authLine: '-ERR [AUTH] no', reply: popReply('AUTH', '-ERR [AUTH] no') });
    expect(loginEvidence(pop)).toMatchObject({ replyCommand: 'AUTH', replyStatus: '-ERR', replyResponseCode: 'AUTH' });
    expect(loginEvidence(pop)).not.toHaveProperty('replyCode');
  });
});
