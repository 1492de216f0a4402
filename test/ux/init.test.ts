// `m365-doctor init`: questions re-asked until valid, flags without a terminal, a file that loads with
// `check --config`, secrets only as environment variable names.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runInit, EXIT_CANCELLED, type InitArgs } from '../../src/cli/init-command.js';
import { schemaReference } from '../../src/cli/init-config.js';
import { runCli } from '../helpers/cli.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'm365-doctor-init-'));
const CLIENT_ID = '6f1d2c3b-4a59-4e8f-9a0b-1c2d3e4f5a6b';
const SCHEMA_URL = 'https://raw.githubusercontent.com/m365-doctor/m365-doctor/main/schemas/config.schema.json';
const defaults: InitArgs = {
  file: 'm365-doctor.json',
  clientSecretEnv: 'M365_DOCTOR_CLIENT_SECRET',
  passwordEnv: 'M365_DOCTOR_PASSWORD',
};

/** Answers the questions from `answers` (one line each) the way a pipe would, and collects what init said. */
async function interactiveInit(answers: string[], cwd: string, args: Partial<InitArgs> = {}) {
  const input = new PassThrough();
  const output = new PassThrough();
  let said = '';
  output.on('data', (d) => {
    said += String(d);
  });
  input.end(answers.map((a) => `${a}\n`).join(''));
  const code = await runInit({ ...defaults, ...args }, { input, output, interactive: true, terminal: false, cwd });
  return { code, said };
}

describe('init on a terminal (questions)', () => {
  it('asks each question, re-asks a bad answer with the reason, and writes the file', async () => {
    const dir = tmp();
    const { code, said } = await interactiveInit(
      [
        'not a tenant!',
        'contoso.onmicrosoft.com',
        '1234',
        CLIENT_ID,
        'connector',
        'connector@contoso.com',
        'read-imap, bogus',
        'send-smtp, read-imap',
        '',
      ],
      dir,
    );
    expect(code, said).toBe(0);
    expect(said).toMatch(
      /Tenant id or verified domain.*: not a tenant!\n {2}"not a tenant!" is neither a tenant id \(GUID\) nor a domain name\. Try again\.\nTenant id/,
    );
    expect(said).toMatch(/"1234" is not a GUID \(expected 8-4-4-4-12 hex digits\)\. Try again\./);
    expect(said).toMatch(/"connector" is not a user principal name/);
    expect(said).toMatch(/"bogus" is not an activity/);
    expect(said).toMatch(/Microsoft cloud: global, usgov, usgovdod or china \[global\]: \n/);
    expect(JSON.parse(readFileSync(join(dir, 'm365-doctor.json'), 'utf8'))).toEqual({
      $schema: SCHEMA_URL,
      tenant: 'contoso.onmicrosoft.com',
      clientId: CLIENT_ID,
      clientSecret: { env: 'M365_DOCTOR_CLIENT_SECRET' },
      username: 'connector@contoso.com',
      password: { env: 'M365_DOCTOR_PASSWORD' },
      activities: ['read-imap', 'send-smtp'],
      cloud: 'global',
    });
    expect(said).toMatch(/Wrote m365-doctor\.json .* It holds no secret\./);
  });

  it('does not ask what a flag already gave', async () => {
    const dir = tmp();
    const { code, said } = await interactiveInit([CLIENT_ID, 'usgov'], dir, {
      tenant: 'contoso.onmicrosoft.us',
      username: 'box@contoso.us',
      activities: ['read-pop'],
    });
    expect(code, said).toBe(0);
    expect(said).not.toMatch(/Tenant id|User principal name|What the connector does/);
    expect(JSON.parse(readFileSync(join(dir, 'm365-doctor.json'), 'utf8'))).toMatchObject({
      cloud: 'usgov',
      activities: ['read-pop'],
    });
  });

  it('writes nothing when the answers stop (Ctrl-D)', async () => {
    const dir = tmp();
    const { code, said } = await interactiveInit(['contoso.onmicrosoft.com'], dir);
    expect(code).toBe(EXIT_CANCELLED);
    expect(said).toMatch(/input ended before every question was answered; nothing was written/);
    expect(existsSync(join(dir, 'm365-doctor.json'))).toBe(false);
  });
});

describe('$schema', () => {
  it('points at the installed package by a relative path, else at the published schema', () => {
    const project = tmp();
    expect(schemaReference(project)).toBe(SCHEMA_URL);
    mkdirSync(join(project, 'node_modules', 'm365-doctor', 'schemas'), { recursive: true });
    writeFileSync(join(project, 'node_modules', 'm365-doctor', 'schemas', 'config.schema.json'), '{}');
    mkdirSync(join(project, 'config'));
    expect(schemaReference(project)).toBe('./node_modules/m365-doctor/schemas/config.schema.json');
    expect(schemaReference(join(project, 'config'))).toBe('../node_modules/m365-doctor/schemas/config.schema.json');
  });
});

describe('init without a terminal (flags)', () => {
  const flags = [
    'init',
    '--tenant',
    'contoso.onmicrosoft.com',
    '--client-id',
    CLIENT_ID,
    '--username',
    'connector@contoso.com',
  ];
  const SECRET = 'Canary-Secret-4f9a';
  const PASSWORD = 'Canary-Password-77c1';

  it('writes a file without secrets that loads with check --config', async () => {
    const dir = tmp();
    // Secrets in the environment while init runs must not end up in the file.
    const init = await runCli([...flags, '--activities', 'read-imap,send-smtp', '--yes'], {
      cwd: dir,
      env: { M365_DOCTOR_CLIENT_SECRET: SECRET, M365_DOCTOR_PASSWORD: PASSWORD },
    });
    expect(init.code, init.stderr).toBe(0);
    const text = readFileSync(join(dir, 'm365-doctor.json'), 'utf8');
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain(PASSWORD);
    expect(JSON.parse(text)).toMatchObject({
      $schema: SCHEMA_URL,
      clientSecret: { env: 'M365_DOCTOR_CLIENT_SECRET' },
      password: { env: 'M365_DOCTOR_PASSWORD' },
    });

    const check = await runCli(['check', '--config', 'm365-doctor.json', '--only', 'config', '--format', 'json'], {
      cwd: dir,
      env: { M365_DOCTOR_CLIENT_SECRET: SECRET, M365_DOCTOR_PASSWORD: PASSWORD },
    });
    expect(check.code, check.stderr).toBe(0);
    const report = JSON.parse(check.stdout) as {
      target: Record<string, unknown>;
      checks: { id: string; status: string }[];
    };
    expect(report.checks.find((c) => c.id === 'config')?.status).toBe('pass');
    expect(report.target).toMatchObject({
      tenant: 'contoso.onmicrosoft.com',
      clientId: CLIENT_ID,
      username: 'connector@contoso.com',
    });

    const noSecrets = await runCli(['check', '--config', 'm365-doctor.json', '--only', 'config'], { cwd: dir });
    expect(noSecrets.code).toBe(2);
    expect(noSecrets.stderr).toMatch(
      /clientSecret in m365-doctor\.json: refers to environment variable M365_DOCTOR_CLIENT_SECRET, which is not set/,
    );
  });

  it('refuses to overwrite without --force, and replaces with it', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'm365-doctor.json'), '{"keep": true}\n');
    const refused = await runCli(flags, { cwd: dir });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe(
      'm365-doctor: --file: m365-doctor.json already exists. Add --force to replace it, or choose another name with --file\n',
    );
    expect(readFileSync(join(dir, 'm365-doctor.json'), 'utf8')).toBe('{"keep": true}\n');
    const forced = await runCli([...flags, '--force', '--password-env', 'MAILBOX_PASSWORD'], { cwd: dir });
    expect(forced.code, forced.stderr).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'm365-doctor.json'), 'utf8'))).toMatchObject({
      password: { env: 'MAILBOX_PASSWORD' },
    });
  });

  it('takes the last value of a repeated flag', async () => {
    const dir = tmp();
    const run = await runCli(
      [...flags, '--file', 'first.json', '--file', 'second.json', '--tenant', 'fabrikam.onmicrosoft.com'],
      { cwd: dir },
    );
    expect(run.code, run.stderr).toBe(0);
    expect(existsSync(join(dir, 'first.json'))).toBe(false);
    expect(JSON.parse(readFileSync(join(dir, 'second.json'), 'utf8'))).toMatchObject({
      tenant: 'fabrikam.onmicrosoft.com',
    });
  });

  it('names the missing or bad flag with exit code 2 and writes nothing', async () => {
    const dir = tmp();
    const cases: [string[], RegExp][] = [
      [
        ['init', '--tenant', 'contoso.com'],
        /^m365-doctor: --client-id: is needed \(there is no terminal to ask on, or --yes was given\)/,
      ],
      [[...flags, '--client-id', 'nope'], /--client-id: "nope" is not a GUID/],
      [[...flags, '--activities', 'read-imap,write-imap'], /--activities: "write-imap" is not an activity/],
      [[...flags, '--cloud', 'mars'], /--cloud: "mars" is not a cloud/],
      [[...flags, '--password-env', 'not-a-name'], /--password-env: "not-a-name" is not an environment variable name/],
    ];
    for (const [args, pattern] of cases) {
      const run = await runCli(args, { cwd: dir });
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr).toMatch(pattern);
      expect(run.stderr).not.toMatch(/\n\s+at /);
    }
    expect(existsSync(join(dir, 'm365-doctor.json'))).toBe(false);
  });
});
