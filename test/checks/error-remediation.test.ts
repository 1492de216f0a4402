// Every `error` result carries a remediation: what failed where (host and port) and what to check next.
import { describe, expect, it } from 'vitest';
import { EntraError, GraphError, NetError } from '../../src/core/errors.js';
import { runChecks } from '../../src/runner/run.js';
import { engineOptions, testCheck, testConfig } from '../helpers/engine-fixtures.js';

async function errorOf(throws: unknown, over: Record<string, unknown> = {}, spec: Record<string, unknown> = {}) {
  const { results } = await runChecks(engineOptions([testCheck({ id: 'imap-login', throws, ...spec })], over));
  expect(results[0].status).toBe('error');
  return results[0];
}

describe('error remediations', () => {
  it('a network timeout names the host, the port, the firewall rule and the proxy note', async () => {
    const r = await errorOf(
      new NetError('TIMEOUT', 'outlook.office365.com:993', 'greeting', 'outlook.office365.com:993 did not answer'),
    );
    expect(r.code).toBe('TIMEOUT');
    expect(r.remediation).toContain('allows TCP 993 to outlook.office365.com');
    expect(r.remediation).toContain('Test-NetConnection outlook.office365.com -Port 993');
    expect(r.remediation).toContain('does not use a proxy');
  });

  it('a check over its time limit names the servers it talks to', async () => {
    const { results } = await runChecks(
      engineOptions([testCheck({ id: 'imap-login', delayMs: 5_000 })], { timeoutMs: 50 }),
    );
    const r = results[0];
    expect(r).toMatchObject({ status: 'error', code: 'TIMEOUT' });
    expect(r.remediation).toContain('login.microsoftonline.com:443 and outlook.office365.com:993');
    expect(r.remediation).toContain('allows TCP 993 to outlook.office365.com');
  });

  it('DNS_NOT_FOUND names the host and the proxy note', async () => {
    const r = await errorOf(new NetError('DNS_NOT_FOUND', 'graph.microsoft.example', 'connect', 'not resolved'));
    expect(r.remediation).toContain('nslookup graph.microsoft.example');
    expect(r.remediation).toContain('does not use a proxy');
  });

  it('TLS, Graph, Entra and crashes each get theirs', async () => {
    expect(
      (await errorOf(new NetError('TLS_UNTRUSTED', 'mail.example:993', 'tls', 'untrusted'))).remediation,
    ).toContain('--ca-file');
    const graph = await errorOf(
      new GraphError({
        status: 403,
        code: 'Authorization_RequestDenied',
        message: 'Insufficient privileges',
        path: '/users',
      }),
    );
    expect(graph.remediation).toContain('User.Read.All');
    const entra = await errorOf(
      new EntraError({ httpStatus: 400, error: 'invalid_client', errorCodes: [], description: 'bad client' }),
    );
    expect(entra).toMatchObject({ code: 'invalid_client' });
    expect(entra.remediation).toContain('client id');
    const crash = await errorOf(new TypeError('boom'));
    expect(crash.code).toBeUndefined();
    expect(crash.remediation).toContain('A bug in m365-doctor');
  });

  it('no error result of any origin is left without a remediation, and none holds a secret', async () => {
    const throws = [
      ...[
        'CONNECTION_REFUSED',
        'CONNECTION_RESET',
        'CONNECTION_CLOSED',
        'TLS_HOSTNAME_MISMATCH',
        'TLS_EXPIRED',
        'TLS_FAILED',
        'BAD_RESPONSE',
        'RESPONSE_TOO_LARGE',
        'THROTTLED',
        'SERVER_ERROR',
        'ABORTED',
      ].map((c) => new NetError(c as never, 'h.example:587', 'auth', c)),
      new GraphError({ status: 500, code: 'SomethingNew', message: '', path: '/x' }),
      new EntraError({
        httpStatus: 400,
        error: 'invalid_grant',
        aadsts: 123456,
        errorCodes: [123456],
        description: 'new',
      }),
    ];
    for (const t of throws) {
      const r = await errorOf(t);
      expect(r.remediation, `${r.code}`).toBeTruthy();
      expect(r.remediation).not.toMatch(/\{(host|port|phase)\}/);
      expect(JSON.stringify(r)).not.toContain(String(testConfig().password!.reveal()));
    }
  });
});
