// The hostile world, echoed secrets: servers written to quote back what the client sent them. A token endpoint
// quoting the password, the client secret, the whole form body (raw, base64 a byte or two in, JSON-escaped twice);
// mail servers quoting the XOAUTH2 line in their NO / -ERR / 535; Graph quoting the bearer token; an error page
// quoting the request. Every output of every command (stdout, stderr, each --report file, `report` and `fix`
// renderings of the saved report, `token`, and every file left in HOME and TMPDIR) is searched for each secret and
// each token the servers saw: zero hits.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { buildScenario } from '../../src/emulator/scenarios.js';
import { loopbackServerCert } from '../../src/emulator/tls.js';
import { runCli, type CliRun } from '../helpers/cli.js';
import { canarize } from '../reliability/helpers/canary.js';
import { emulatorEnv } from '../reliability/helpers/emulator-env.js';
import { inPool } from '../reliability/helpers/pool.js';
import {
  formOf,
  isTokenPost,
  startEchoFront,
  type Answerer,
  type EchoFront,
  type FrontRequest,
} from './helpers/echo-front.js';
import { ECHOES, echoImap, echoPop, echoSmtp, type Echo, type EchoMailServer } from './helpers/echo-mail.js';
import { findSecrets, type Found } from './helpers/scan.js';

const FORMATS = ['json', 'table', 'markdown', 'html', 'junit'] as const;
const root = mkdtempSync(join(tmpdir(), 'm365-doctor-echo-'));
const cleanup: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanup.reverse()) await c();
  rmSync(root, { recursive: true, force: true });
});

async function canaryEmulator(password?: string): Promise<RunningEmulator> {
  const { value } = canarize(buildScenario('healthy'));
  if (password) {
    value.tenant.users[0].password = password;
    value.credentials.password = password;
  }
  const e = await startEmulator({ tenant: value });
  cleanup.push(() => e.stop());
  return e;
}

const deny = (description: string, status = 400) => ({
  status,
  body: JSON.stringify({ error: 'invalid_grant', error_description: description, error_codes: [50126] }),
});
const grant = (req: FrontRequest, type: string) => isTokenPost(req) && formOf(req).get('grant_type') === type;

/** Token endpoint answers, each quoting what it was sent in its own way. */
const ENTRA_ECHOES: Record<string, Answerer> = {
  'password and whole form body': (req) =>
    grant(req, 'password')
      ? deny(
          `AADSTS50126: Error validating credentials. You sent password=${formOf(req).get('password')} in ${req.body}`,
        )
      : undefined,
  'base64 of the password one and two bytes in, base64url': (req) => {
    if (!grant(req, 'password')) return undefined;
    const p = formOf(req).get('password') ?? '';
    return deny(
      `AADSTS50126: trace ${Buffer.from(`#${p}`).toString('base64')} ${Buffer.from(`##${p}`).toString('base64')} ${Buffer.from(`#${p}`).toString('base64url')}`,
    );
  },
  'password JSON-escaped twice': (req) =>
    grant(req, 'password')
      ? deny(`AADSTS50126: request ${JSON.stringify(JSON.stringify({ password: formOf(req).get('password') }))}`)
      : undefined,
  'client secret and form body on the client-credentials POST': (req) =>
    grant(req, 'client_credentials')
      ? {
          status: 401,
          body: JSON.stringify({
            error: 'invalid_client',
            error_description: `AADSTS7000215: Invalid client secret provided: ${formOf(req).get('client_secret')}; body ${req.body}`,
            error_codes: [7000215],
          }),
        }
      : undefined,
  'an HTML error page quoting the request': (req) =>
    isTokenPost(req)
      ? {
          status: 502,
          contentType: 'text/html',
          body: `<html><body><h1>502 Bad Gateway</h1><pre>POST ${req.path}\n${req.body}\nAuthorization: ${String(req.headers.authorization ?? '')}</pre></body></html>`,
        }
      : undefined,
};

interface Fixture {
  emulator: RunningEmulator;
  entra?: EchoFront;
  graph?: EchoFront;
  mail?: EchoMailServer[];
}

async function withEntra(answer: Answerer, password?: string): Promise<Fixture> {
  const emulator = await canaryEmulator(password);
  const entra = await startEchoFront({
    upstream: emulator.authorityHost,
    caPem: emulator.caPem,
    cert: loopbackServerCert(),
    answer,
  });
  cleanup.push(() => entra.close());
  return { emulator, entra };
}

/** Mail servers quoting the XOAUTH2 line, and a Graph quoting the bearer token in every error. */
async function withMail(echo: Echo): Promise<Fixture> {
  const emulator = await canaryEmulator();
  const cert = loopbackServerCert();
  const graph = await startEchoFront({
    upstream: emulator.graphUrl,
    caPem: emulator.caPem,
    cert,
    answer: (req) =>
      /\/users\//.test(req.path)
        ? {
            status: 403,
            body: JSON.stringify({
              error: {
                code: 'Authorization_RequestDenied',
                message: `Insufficient privileges for ${String(req.headers.authorization)}`,
              },
            }),
          }
        : undefined,
  });
  const mail = await Promise.all([echoImap(cert, echo), echoPop(cert, echo), echoSmtp(cert, echo)]);
  for (const s of [graph, ...mail]) cleanup.push(() => s.close());
  return { emulator, graph, mail };
}

function envOf(fx: Fixture, home: string): Record<string, string> {
  const over: Record<string, string> = { HOME: home, TMPDIR: home, NO_COLOR: '1' };
  if (fx.entra) over.M365_DOCTOR_AUTHORITY_HOST = fx.entra.origin;
  if (fx.graph) over.M365_DOCTOR_GRAPH_URL = fx.graph.origin;
  if (fx.mail) [over.M365_DOCTOR_IMAP, over.M365_DOCTOR_POP, over.M365_DOCTOR_SMTP] = fx.mail.map((m) => m.hostPort);
  return emulatorEnv(fx.emulator, over);
}

function filesUnder(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(dir, { recursive: true }) as string[]) {
    const path = join(dir, name);
    if (statSync(path).isFile()) out[`file ${name}`] = readFileSync(path, 'latin1');
    out[`name ${name}`] = name;
  }
  return out;
}

/** Every command a support engineer would run on this tenant, and everything they leave behind. */
async function everyOutput(name: string, fx: Fixture): Promise<{ outputs: Record<string, string>; check: CliRun }> {
  const home = mkdtempSync(join(root, `${name.replace(/\W+/g, '-').slice(0, 40)}-`));
  const env = envOf(fx, home);
  const saved = join(home, 'report.json');
  const check = await runCli(
    [
      'check',
      '--verbose',
      '--format',
      'json',
      '--timeout',
      '10000',
      ...FORMATS.map((f) => `--report=${f}:${join(home, `out.${f}`)}`),
    ],
    { env, cwd: home },
  );
  const outputs: Record<string, string> = { 'check stdout': check.stdout, 'check stderr': check.stderr };
  const more = await Promise.all([
    ...FORMATS.map((f) =>
      runCli(['report', join(home, 'out.json'), '--format', f], { env, cwd: home }).then(
        (r) => [`report ${f}`, r] as const,
      ),
    ),
    runCli(['fix', '--script', 'powershell', '--from', join(home, 'out.json')], { env, cwd: home }).then(
      (r) => ['fix --from', r] as const,
    ),
    runCli(['token', '--verbose'], { env, cwd: home }).then((r) => ['token', r] as const),
  ]);
  for (const [what, r] of more) {
    outputs[`${what} stdout`] = r.stdout;
    outputs[`${what} stderr`] = r.stderr;
  }
  void saved;
  Object.assign(outputs, filesUnder(home));
  return { outputs, check };
}

/** The secrets of the run: the tenant's canaries and every token and XOAUTH2 line a server saw. */
function secretsOf(fx: Fixture): string[] {
  const c = fx.emulator.credentials;
  const seen = [c.password, c.clientSecret, c.adminClientSecret];
  for (const m of fx.mail ?? []) {
    for (const blob of m.blobs) {
      seen.push(blob);
      const token = /auth=Bearer ([^\x01]+)/.exec(Buffer.from(blob, 'base64').toString('latin1'))?.[1];
      if (token) seen.push(token);
    }
  }
  for (const r of fx.graph?.requests ?? []) {
    const token = /^Bearer (.+)$/.exec(String(r.headers.authorization ?? ''))?.[1];
    if (token) seen.push(token);
  }
  return [...new Set(seen)];
}

describe('servers that echo secrets back', () => {
  const results: { name: string; found: Found[]; outputs: number; bytes: number; echoed: number }[] = [];
  const cases: [string, () => Promise<Fixture>][] = [
    ...Object.entries(ENTRA_ECHOES).map(
      ([n, a]) => [`token endpoint: ${n}`, () => withEntra(a)] as [string, () => Promise<Fixture>],
    ),
    [
      'token endpoint: a three-character password, quoted raw',
      () => withEntra(ENTRA_ECHOES['password and whole form body'], 'P1!'),
    ],
    ...Object.entries(ECHOES).map(
      ([n, e]) =>
        [`IMAP/POP/SMTP quoting ${n}; Graph quoting the bearer`, () => withMail(e)] as [string, () => Promise<Fixture>],
    ),
  ];

  beforeAll(async () => {
    await inPool(
      cases.map(([name, make]) => async () => {
        const fx = await make();
        const { outputs } = await everyOutput(name, fx);
        const secrets = secretsOf(fx);
        const found = Object.entries(outputs).flatMap(([where, text]) => findSecrets(where, text, secrets));
        const echoed =
          (fx.mail ?? []).reduce((n, m) => n + m.blobs.length, 0) +
          (fx.entra?.requests.filter(isTokenPost).length ?? 0);
        results.push({
          name,
          found,
          outputs: Object.keys(outputs).length,
          bytes: Object.values(outputs).reduce((n, t) => n + t.length, 0),
          echoed,
        });
      }),
      3,
    );
  }, 300_000);

  it('the servers really were asked: each case saw credentials to echo', () => {
    expect(results.length).toBe(cases.length);
    for (const r of results) expect(r.echoed, r.name).toBeGreaterThan(0);
  });

  it('no output of any command holds any secret or token, in any form', () => {
    const all = results.flatMap((r) => r.found.map((f) => ({ case: r.name, ...f })));
    console.log(
      `echo probes: ${results.length} cases, ${results.reduce((n, r) => n + r.outputs, 0)} outputs, ` +
        `${Math.round(results.reduce((n, r) => n + r.bytes, 0) / 1024)} KiB scanned, hits: ${all.length}`,
    );
    expect(all).toEqual([]);
  });
});
