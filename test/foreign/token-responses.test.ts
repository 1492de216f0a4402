// Token endpoint answers that differ from the emulator's in details Entra ID (or an imitation) may vary: expires_in as
// a string (the v1 endpoint's habit), lower-case token_type, an id_token, no refresh token, a 5xx with or without an
// OAuth error body, a slow answer. The one-attempt rule holds in every case: exactly one ROPC POST.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, onTestFinished } from 'vitest';
import { runTokenCommand } from '../../src/cli/token-command.js';
import { Redactor } from '../../src/core/redact.js';
import {
  caPem,
  CLIENT_ID,
  exchangeClaims,
  jwt,
  runAgainst,
  startFakeM365,
  TENANT_ID,
  tokenAnswer,
  tokenPosts,
  USER,
  type FakeAnswer,
  type FakeServer,
} from './helpers/fake-m365.js';

const servers: FakeServer[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

const SCOPE =
  'https://outlook.office.com/IMAP.AccessAsUser.All https://outlook.office.com/POP.AccessAsUser.All https://outlook.office.com/SMTP.Send';

async function ropcWith(answer: FakeAnswer, timeoutMs?: number) {
  const fake = await startFakeM365((req) => (req.path.endsWith('/oauth2/v2.0/token') ? answer : undefined));
  servers.push(fake);
  const run = await runAgainst(fake, { only: ['ropc-scopes'], timeoutMs });
  return { ropc: run.get('ropc-token')!, scopes: run.get('ropc-scopes')!, posts: tokenPosts(fake).length };
}

describe("token responses unlike the emulator's", { timeout: 30_000 }, () => {
  it('expires_in and ext_expires_in as strings, token_type "bearer": accepted', async () => {
    const { ropc, posts } = await ropcWith({
      body: {
        token_type: 'bearer',
        expires_in: '3599',
        ext_expires_in: '3599',
        scope: SCOPE,
        access_token: jwt(exchangeClaims()),
        refresh_token: 'rt-0123456789',
      },
    });
    expect([ropc.status, ropc.code, posts]).toEqual(['pass', 'ROPC_OK', 1]);
  });

  it('with an Entra-shaped v2 id_token (oid, tid, preferred_username): accepted', async () => {
    const idToken = jwt({
      aud: 'client',
      iss: `https://login.microsoftonline.com/${TENANT_ID}/v2.0`,
      iat: 1,
      nbf: 1,
      exp: 4102444800,
      oid: 'o',
      tid: TENANT_ID,
      sub: 's',
      preferred_username: USER,
      name: 'Mailer',
      ver: '2.0',
    });
    const { ropc, posts } = await ropcWith(
      tokenAnswer(jwt(exchangeClaims()), {
        scope: `${SCOPE} openid profile offline_access`,
        id_token: idToken,
        client_info: Buffer.from(JSON.stringify({ uid: 'o', utid: TENANT_ID })).toString('base64url'),
      }),
    );
    expect([ropc.status, ropc.code, posts]).toEqual(['pass', 'ROPC_OK', 1]);
  });

  it("no refresh token: recorded in ropc-scopes' evidence, not judged (Entra always returns one for offline_access)", async () => {
    const { scopes } = await ropcWith({
      body: { token_type: 'Bearer', expires_in: 3599, scope: SCOPE, access_token: jwt(exchangeClaims()) },
    });
    expect([scopes.status, scopes.code, scopes.evidence.refreshToken]).toEqual(['pass', 'TOKEN_FITS', false]);
  });

  it.each<[string, FakeAnswer, string, string]>([
    [
      '503 with an HTML page',
      { status: 503, body: '<html><body>Service Unavailable</body></html>' },
      'error',
      'BAD_RESPONSE',
    ],
    [
      '500 with server_error JSON and no AADSTS',
      { status: 500, body: { error: 'server_error', error_description: 'An internal error occurred.' } },
      'error',
      'server_error',
    ],
    // A transient outage on Entra's side: nothing was judged, so an error (retry later), not a finding.
    [
      '503 temporarily_unavailable with AADSTS90033',
      {
        status: 503,
        body: {
          error: 'temporarily_unavailable',
          error_description: 'AADSTS90033: A transient error has occurred. Please try again.',
          error_codes: [90033],
        },
      },
      'error',
      'AADSTS90033',
    ],
  ])('%s: one POST, never retried, reported as %s %s', async (_name, answer, status, code) => {
    const { ropc, posts } = await ropcWith(answer);
    expect(posts).toBe(1);
    expect([ropc.status, ropc.code]).toEqual([status, code]);
  });

  it('slower than the time limit: one POST, a timeout, not retried', async () => {
    const { ropc, posts } = await ropcWith(
      { ...tokenAnswer(jwt(exchangeClaims()), { scope: SCOPE }), delayMs: 6_000 },
      2_500,
    );
    expect(posts).toBe(1);
    expect(ropc.status).toBe('error');
  });
});

describe('the token command and a scope field with terminal controls', { timeout: 30_000 }, () => {
  it('prints the granted scopes as one inert line: no escape, bell or line break reaches the terminal', async () => {
    const fake = await startFakeM365((req) =>
      req.path.endsWith('/oauth2/v2.0/token')
        ? tokenAnswer(jwt(exchangeClaims()), { scope: `${SCOPE}\u001b[2J\u001b]0;owned\u0007\nforged: line` })
        : undefined,
    );
    servers.push(fake);
    const dir = mkdtempSync(join(tmpdir(), 'm365-token-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const caFile = join(dir, 'ca.pem');
    writeFileSync(caFile, caPem());
    let out = '';
    const stream = {
      isTTY: false,
      write: (text: string) => {
        out += text;
        return true;
      },
    } as unknown as NodeJS.WriteStream;
    const code = await runTokenCommand(
      {
        tenant: 'fabrikam.example',
        clientId: CLIENT_ID,
        username: USER,
        authorityHost: fake.origin,
        caFile,
        resource: 'exchange',
        prompt: false,
      },
      new Redactor(),
      { stdout: stream, stderr: stream, env: { M365_DOCTOR_PASSWORD: 'Correct-Horse-7' }, now: () => new Date() },
    );
    expect(code, out).toBe(0);
    const granted = out.split('\n').find((l) => l.startsWith('granted:'));
    expect(granted).toContain('SMTP.Send');
    expect(out).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f]/);
    expect(out).not.toMatch(/^forged: line/m);
  });
});
