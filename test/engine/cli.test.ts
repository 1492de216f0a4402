// The built CLI, spawned as a user runs it: exit codes, selection, timeouts, reports, secrets, start-up cost.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { junitShapeProblems } from '../helpers/junit-shape.js';
import { parseXml } from '../helpers/xml.js';
import { BIN, PLUGIN, ROOT, runCli } from '../helpers/cli.js';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
const plugin = (...only: string[]) => ['check', '--plugin', PLUGIN, '--only', only.join(',')];
const json = (out: string) =>
  JSON.parse(out) as {
    checks: { id: string; status: string; message: string; evidence: Record<string, unknown>; skipReason?: string }[];
    summary: Record<string, number>;
  };
const result = (out: string, id: string) => json(out).checks.find((c) => c.id === id)!;
const tmp = () => mkdtempSync(join(tmpdir(), 'm365-doctor-cli-'));

/** Runs tasks a few at a time: a busy CI machine should not turn process starts into timeouts. */
async function inBatches<T>(tasks: (() => Promise<T>)[], size: number): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < tasks.length; i += size)
    out.push(...(await Promise.all(tasks.slice(i, i + size).map((t) => t()))));
  return out;
}

describe('exit codes', () => {
  it('0 when nothing failed; warnings pass', async () => {
    expect((await runCli(plugin('p-pass'))).code).toBe(0);
    expect((await runCli(plugin('p-pass', 'p-warn'))).code).toBe(0);
  });

  it('1 for a warning with --fail-on warn, a failure, an error and a timeout', async () => {
    expect((await runCli([...plugin('p-warn'), '--fail-on', 'warn'])).code).toBe(1);
    expect((await runCli(plugin('p-fail'))).code).toBe(1);
    const crashed = await runCli([...plugin('p-throws'), '--format', 'json']);
    expect(crashed.code).toBe(1);
    expect(result(crashed.stdout, 'p-throws')).toMatchObject({
      status: 'error',
      message: 'check crashed: plugin exploded',
    });
    const slow = await runCli([...plugin('p-slow', 'p-pass'), '--timeout', '200', '--format', 'json']);
    expect(slow.code).toBe(1);
    expect(result(slow.stdout, 'p-slow')).toMatchObject({ status: 'error', message: 'timed out after 200 ms' });
    expect(result(slow.stdout, 'p-pass').status).toBe('pass');
    expect(slow.ms).toBeLessThan(5000);
  });

  it('2 for usage and configuration errors, with one clear line and no stack trace', async () => {
    const cases: [string[], RegExp][] = [
      [['check', '--no-such-flag'], /unknown option: --no-such-flag/],
      [['frobnicate'], /unknown command: frobnicate/],
      [[], /Name a command/],
      [['check', '--tenant', 'not a tenant'], /--tenant: "not a tenant" is neither/],
      [['check', '--client-id', '1234'], /--client-id: "1234" is not a GUID/],
      [['check', '--username', 'nobody'], /--username: "nobody" is not a user principal name/],
      [['check', '--activities', 'read-imap,fax'], /--activities: "fax" is not an activity/],
      [['check', '--cloud', 'mars'], /Invalid values:[\s\S]*cloud/],
      [['check', '--imap', 'outlook.office365.com'], /--imap: "outlook.office365.com" is not HOST:PORT/],
      [['check', '--authority-host', 'http://login.example.com'], /--authority-host: .* is not an https URL/],
      [['check', '--ca-file', '/nonexistent/ca.pem'], /--ca-file: cannot read \/nonexistent\/ca.pem \(ENOENT\)/],
      [['check', '--ca-file', PLUGIN], /--ca-file: .* holds no PEM certificate/],
      [['check', '--timeout', '-5'], /--timeout: "-5" is not a positive whole number/],
      [['check', '--only', 'no-such-check'], /--only: names unknown check no-such-check/],
      [['check', '--report', 'pdf:x.pdf'], /--report: "pdf:x.pdf" is not FORMAT:FILE/],
      [['check', '--plugin', './nope.mjs'], /--plugin \.\/nope\.mjs: file .* does not exist/],
      [['check', '--plugin', 'test/helpers/plugins/broken.mjs'], /check p-broken declares no codes/],
      [['check', '--plugin', 'test/helpers/plugins/cycle.mjs'], /dependency cycle \(p-one -> p-two -> p-one\)/],
      [
        ['check', '--plugin', 'test/helpers/plugins/bad-consults.mjs'],
        /check p-bad-consults needs consults: string\[\] \(or none\)/,
      ],
      [['explain', 'NOT_A_CODE_AT_ALL'], /unknown code "NOT_A_CODE_AT_ALL"/],
    ];
    const runs = await inBatches(
      cases.map(
        ([args]) =>
          () =>
            runCli(args),
      ),
      4,
    );
    runs.forEach((run, i) => {
      const [args, pattern] = cases[i];
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr, args.join(' ')).toMatch(pattern);
      expect(run.stderr, args.join(' ')).not.toMatch(/\n\s+at .+\(.*:\d+:\d+\)/);
      expect(run.stdout, args.join(' ')).toBe('');
    });
  }, 120_000); // about twenty process starts
});

describe('engine through the CLI', () => {
  it('runs two independent 300 ms checks concurrently', async () => {
    const run = await runCli([...plugin('p-slow-a', 'p-slow-b'), '--format', 'json']);
    const report = JSON.parse(run.stdout);
    expect(run.code).toBe(0);
    expect(
      report.checks
        .filter((c: { id: string }) => c.id.startsWith('p-slow-'))
        .every((c: { durationMs: number }) => c.durationMs >= 290),
    ).toBe(true);
    expect(report.durationMs).toBeLessThan(550);
    expect(report.criticalPathMs).toBeGreaterThanOrEqual(290);
  });

  it('skips dependants of a failed check with the reason, and says what --only pulled in', async () => {
    const run = await runCli([...plugin('p-after-fail'), '--format', 'json']);
    expect(result(run.stdout, 'p-after-fail')).toMatchObject({
      status: 'skip',
      skipReason: 'dependency-failed',
      message: 'Skipped: depends on p-fail, which failed.',
    });
    expect(run.stderr).toContain('--only also ran what the selected checks depend on: p-fail');
  });

  it('gives a plugin the optional prepare() and consults of the contract', async () => {
    const run = await runCli([...plugin('p-consults', 'p-fail'), '--format', 'json']);
    expect(result(run.stdout, 'p-consults')).toMatchObject({
      status: 'pass',
      evidence: { prepared: true, consulted: 'fail' },
    });
    const alone = await runCli([...plugin('p-consults'), '--format', 'json']);
    expect(result(alone.stdout, 'p-consults').evidence).toMatchObject({ consulted: null });
  });

  it('writes the table to stdout by default, and JSON + JUnit report files from the same run', async () => {
    const dir = tmp();
    const run = await runCli([
      ...plugin('p-pass', 'p-fail', 'p-throws', 'p-after-fail'),
      '--report',
      `json:${dir}/r/report.json`,
      '--report',
      `junit:${dir}/junit.xml`,
    ]);
    expect(run.code).toBe(1);
    // The default table: a line per category, then each problem with its fix.
    expect(run.stdout).toMatch(/^\[✖\] /m);
    expect(run.stdout).toMatch(/^✖ .*\(p-fail\)/m);
    expect(run.stdout).toContain('Fix: Repair the widget.');
    expect(run.stdout).not.toMatch(/\u001b\[/); // not a TTY: no colour
    const report = JSON.parse(readFileSync(`${dir}/r/report.json`, 'utf8'));
    const schema = JSON.parse(readFileSync(new URL('../../schemas/report.schema.json', import.meta.url), 'utf8'));
    const validate = addFormats(new Ajv({ allowUnionTypes: true })).compile(schema);
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
    expect(report.summary).toMatchObject({ pass: 1, fail: 1, error: 1 });
    const xml = parseXml(readFileSync(`${dir}/junit.xml`, 'utf8'));
    expect(junitShapeProblems(xml)).toEqual([]);
    expect(xml.attrs).toMatchObject({ failures: '1', errors: '1' });
    expect(run.stderr).toContain(`wrote junit report to ${dir}/junit.xml`);
  });

  it('loads a plugin by package name from node_modules above the working directory (ESM "exports")', async () => {
    const dir = tmp();
    const pkg = join(dir, 'node_modules', '@acme', 'm365-checks');
    mkdirSync(pkg, { recursive: true });
    writeFileSync(
      join(pkg, 'package.json'),
      JSON.stringify({ name: '@acme/m365-checks', type: 'module', exports: { '.': { import: './lib/index.js' } } }),
    );
    mkdirSync(join(pkg, 'lib'));
    writeFileSync(join(pkg, 'lib', 'index.js'), readFileSync(PLUGIN, 'utf8'));
    const work = join(dir, 'project', 'sub');
    mkdirSync(work, { recursive: true });
    const run = await runCli(['check', '--plugin', '@acme/m365-checks', '--only', 'p-pass', '--format', 'json'], {
      cwd: work,
    });
    expect(run.code, run.stderr).toBe(0);
    expect(result(run.stdout, 'p-pass').status).toBe('pass');
    const missing = await runCli(['check', '--plugin', 'no-such-plugin-package'], { cwd: work });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--plugin no-such-plugin-package: no file or installed package of that name/);
  });

  it('lists the catalog and explains codes', async () => {
    const list = await runCli(['checks', '--plugin', PLUGIN]);
    expect(list.code).toBe(0);
    for (const id of ['config', 'ropc-token', 'imap-login', 'p-echo']) expect(list.stdout).toContain(id);
    const asJson = JSON.parse((await runCli(['checks', '--format', 'json'])).stdout);
    expect(asJson[0]).toMatchObject({ id: 'config', category: 'config', dependsOn: [] });
    expect(asJson.find((c: { id: string }) => c.id === 'smtp-login')).toMatchObject({
      dependsOn: ['ropc-token', 'app-credentials'],
      consults: ['ropc-scopes', 'user-license', 'user-account', 'app-registration', 'imap-login', 'pop-login'],
    });
    const explained = await runCli(['explain', 'AADSTS50126']);
    expect(explained.code).toBe(0);
    expect(explained.stdout).toContain('InvalidUserNameOrPassword');
  });
});

describe('emulator command', () => {
  it('prints the endpoints as JSON, serves until SIGTERM, then exits 0', async () => {
    const child = spawn(process.execPath, [BIN, 'emulator', '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stderr.on('data', (d) => {
      err += d;
    });
    const first = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (d) => {
        out += d;
        if (out.includes('\n')) resolve(out.split('\n')[0]);
      });
      child.on('exit', (code) => reject(new Error(`emulator exited early with ${code}: ${err}`)));
    });
    const info = JSON.parse(first);
    expect(info.authorityHost).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(info.imap).toMatch(/^127\.0\.0\.1:\d+$/);
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 60_000);
});

describe('configuration', () => {
  const ids = {
    a: 'aaaaaaaa-0000-0000-0000-000000000001',
    b: 'bbbbbbbb-0000-0000-0000-000000000002',
    c: 'cccccccc-0000-0000-0000-000000000003',
  };

  it('takes each field from flag over env over file over default', async () => {
    const dir = tmp();
    const file = join(dir, 'm365-doctor.json');
    writeFileSync(
      file,
      JSON.stringify({
        $schema: '../schemas/config.schema.json',
        tenant: 'file.example.com',
        clientId: ids.a,
        username: 'file@file.example.com',
        activities: ['read-pop'],
        endpoints: { imap: 'imap.file.example:1993' },
        timeoutMs: 7000,
      }),
    );
    const env = { M365_DOCTOR_TENANT: 'env.example.com', M365_DOCTOR_CLIENT_ID: ids.b };
    const run = await runCli(
      [...plugin('p-echo'), '--config', file, '--tenant', 'flag.example.com', '--format', 'json'],
      { env },
    );
    expect(run.code, run.stderr).toBe(0);
    expect(result(run.stdout, 'p-echo').evidence).toMatchObject({
      tenant: 'flag.example.com', // flag beats env and file
      clientId: ids.b, // env beats file
      username: 'file@file.example.com',
      activities: ['read-pop'],
      imap: 'imap.file.example:1993',
      timeoutMs: 7000, // file
      cloud: 'global', // default
    });
    const envOnly = await runCli([...plugin('p-echo'), '--format', 'json'], {
      env: { ...env, M365_DOCTOR_ACTIVITIES: 'send-smtp, read-imap', M365_DOCTOR_CONFIG: file },
    });
    expect(result(envOnly.stdout, 'p-echo').evidence).toMatchObject({
      tenant: 'env.example.com',
      activities: ['read-imap', 'send-smtp'],
      username: 'file@file.example.com',
    });
  });

  it('rejects a bad config file naming the bad field (exit 2, no stack)', async () => {
    const dir = tmp();
    const cases: [unknown, RegExp][] = [
      [{ tenant: 'contoso.com', clientSecrett: 'x' }, /clientSecrett in bad\.json: is not a known setting/],
      [{ clientId: 'not-a-guid' }, /clientId in bad\.json: must match pattern/],
      [{ endpoints: { imap: 993 } }, /endpoints\.imap in bad\.json: must be string/],
      [
        { activities: ['read-imap', 'fax'] },
        /activities\[1\] in bad\.json: must be one of "read-imap", "read-pop", "send-smtp"/,
      ],
      [{ timeoutMs: 'soon' }, /timeoutMs in bad\.json: must be integer/],
      [
        { password: { env: 'M365_TEST_UNSET_VARIABLE' } },
        /password in bad\.json: refers to environment variable M365_TEST_UNSET_VARIABLE, which is not set/,
      ],
      [
        { username: 'box@contoso.com', endpoints: { smtp: 'smtp.example.com:99999' } },
        /endpoints\.smtp in bad\.json: port 99999 is outside 1-65535/,
      ],
    ];
    for (const [content, pattern] of cases) {
      writeFileSync(join(dir, 'bad.json'), JSON.stringify(content));
      const run = await runCli(['check', '--config', join(dir, 'bad.json')]);
      expect(run.code, JSON.stringify(content)).toBe(2);
      expect(run.stderr, JSON.stringify(content)).toMatch(pattern);
      expect(run.stderr).not.toMatch(/\n\s+at /);
    }
    writeFileSync(join(dir, 'broken.json'), '{ "tenant": ');
    const broken = await runCli(['check', '--config', join(dir, 'broken.json')]);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/--config broken\.json: is not valid JSON/);
  }, 120_000);
});

describe('secrets', () => {
  const clientSecret = 'Zq8~cl1ent-secret-value-0001';
  const password = 'pw-Horse-Battery-Staple-42';

  it('reads secrets from stdin, one per line, in a fixed order', async () => {
    const run = await runCli([...plugin('p-echo'), '--client-secret-stdin', '--password-stdin', '--format', 'json'], {
      input: `${clientSecret}\n${password}\n`,
    });
    expect(run.code, run.stderr).toBe(0);
    expect(result(run.stdout, 'p-echo').evidence).toMatchObject({
      clientSecretLength: clientSecret.length,
      passwordLength: password.length,
    });
    expect(run.stderr).not.toContain('warning');
    const missing = await runCli([...plugin('p-echo'), '--client-secret-stdin', '--password-stdin'], {
      input: `${clientSecret}\n`,
    });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--password-stdin: expected line 2 of stdin/);
  });

  it('reads secrets from env and config-file references, and the admin app secret too', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'c.json'), JSON.stringify({ password: { env: 'MY_MAILBOX_PW' } }));
    const run = await runCli(
      [
        ...plugin('p-echo'),
        '--config',
        join(dir, 'c.json'),
        '--admin-client-id',
        'dddddddd-0000-0000-0000-000000000004',
        '--format',
        'json',
      ],
      {
        env: {
          M365_DOCTOR_CLIENT_SECRET: clientSecret,
          MY_MAILBOX_PW: password,
          M365_DOCTOR_ADMIN_CLIENT_SECRET: 'admin-Secret-77',
        },
      },
    );
    expect(run.code, run.stderr).toBe(0);
    expect(result(run.stdout, 'p-echo').evidence).toMatchObject({
      clientSecretLength: clientSecret.length,
      passwordLength: password.length,
      admin: 'client-secret',
    });
  });

  it('warns on stderr when a secret is a plain flag, and still works', async () => {
    const run = await runCli([...plugin('p-echo'), '--password', password, '--format', 'json']);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/warning: --password puts the secret in your shell history/);
    expect(result(run.stdout, 'p-echo').evidence.passwordLength).toBe(password.length);
  });

  it('never lets a secret value reach stdout, stderr or report files', async () => {
    const dir = tmp();
    const run = await runCli(
      [
        ...plugin('p-leak'),
        '--client-secret',
        clientSecret,
        '--password-stdin',
        '--verbose',
        '--report',
        `json:${dir}/r.json`,
        '--report',
        `junit:${dir}/r.xml`,
        '--report',
        `table:${dir}/r.txt`,
      ],
      { input: `${password}\n` },
    );
    expect(run.code).toBe(1);
    const outputs = [
      run.stdout,
      run.stderr,
      ...['r.json', 'r.xml', 'r.txt'].map((f) => readFileSync(join(dir, f), 'utf8')),
    ];
    for (const text of outputs) {
      for (const secret of [clientSecret, password, Buffer.from(password).toString('base64')])
        expect(text).not.toContain(secret);
    }
    expect(run.stdout).toContain('raw stdout [REDACTED] and [REDACTED]');
    expect(run.stderr).toContain('raw stderr [REDACTED] and [REDACTED]');
    expect(run.stderr).toContain('[warn] logger sees [REDACTED] and [REDACTED]');
  });
});

describe('start-up', () => {
  const HEAVY = [
    '@azure/msal-node',
    '@microsoft/microsoft-graph-client',
    'imapflow',
    'nodemailer',
    'smtp-server',
    'node-forge',
    '/ajv/',
    'cli-table3',
    '/src/emulator/',
    '/checks/',
  ];

  for (const args of [['--version'], ['--help'], ['check', '--help'], ['check', '--version']]) {
    it(`${args.join(' ')} loads none of the heavy modules`, async () => {
      const trace = join(tmp(), 'modules.txt');
      writeFileSync(trace, '');
      const run = await runCli(args, {
        env: { TRACE_FILE: trace },
        nodeArgs: ['--import', new URL('../helpers/trace-imports.mjs', import.meta.url).href],
      });
      expect(run.code).toBe(0);
      const loaded = readFileSync(trace, 'utf8').split('\n').filter(Boolean);
      // The CLI runs from the bundle: each loaded bundle file stands for the sources esbuild put in it.
      const bundled: Record<string, string[]> = JSON.parse(readFileSync(join(ROOT, 'dist/cli/meta.json'), 'utf8'));
      const sources = loaded.flatMap((u) => {
        const file = u.startsWith('file:') ? relative(ROOT, fileURLToPath(u)) : u;
        return [file, ...(bundled[file] ?? [])];
      });
      expect(sources).toContain('dist/src/cli/main.js');
      for (const heavy of HEAVY)
        expect(
          sources.filter((u) => u.includes(heavy.replace(/^\//, ''))),
          heavy,
        ).toEqual([]);
    });
  }
});
