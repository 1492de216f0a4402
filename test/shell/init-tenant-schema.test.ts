// Issue #13 item 6: init refuses a multi-tenant endpoint as the tenant, and its $schema resolves to the JSON
// schema itself: a relative path into node_modules when installed locally, the raw file URL otherwise.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runInit } from '../../src/cli/init-command.js';
import { ROOT, runCli } from '../helpers/cli.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'm365-doctor-init6-'));
const CLIENT_ID = '6f1d2c3b-4a59-4e8f-9a0b-1c2d3e4f5a6b';
const SCHEMA = join(ROOT, 'schemas', 'config.schema.json');
const flags = (tenant: string) => [
  'init',
  '--tenant',
  tenant,
  '--client-id',
  CLIENT_ID,
  '--username',
  'box@contoso.com',
  '--yes',
];

describe('init --tenant', () => {
  for (const tenant of ['common', 'organizations', 'consumers', 'Common']) {
    it(`refuses "${tenant}" with the reason, on one line, exit 2, writing nothing`, async () => {
      const dir = tmp();
      const run = await runCli(flags(tenant), { cwd: dir });
      expect(run.code).toBe(2);
      const lines = run.stderr.split('\n').filter(Boolean);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(
        new RegExp(
          `^m365-doctor: --tenant: "${tenant}" is a multi-tenant sign-in endpoint, not a tenant: the password grant \\(ROPC\\) needs one specific tenant`,
        ),
      );
      expect(existsSync(join(dir, 'm365-doctor.json'))).toBe(false);
    });
  }

  it('re-asks on a terminal, with the reason', async () => {
    const dir = tmp();
    const input = new PassThrough();
    const output = new PassThrough();
    let said = '';
    output.on('data', (d) => {
      said += String(d);
    });
    input.end(
      ['organizations', 'contoso.onmicrosoft.com', CLIENT_ID, 'box@contoso.com', '', ''].map((a) => `${a}\n`).join(''),
    );
    const code = await runInit(
      { file: 'm365-doctor.json', clientSecretEnv: 'S', passwordEnv: 'P' },
      { input, output, interactive: true, terminal: false, cwd: dir },
    );
    expect(code, said).toBe(0);
    expect(said).toMatch(/"organizations" is a multi-tenant sign-in endpoint, not a tenant.*Try again\./);
    expect(JSON.parse(readFileSync(join(dir, 'm365-doctor.json'), 'utf8')).tenant).toBe('contoso.onmicrosoft.com');
  });
});

describe('init $schema', () => {
  it('is the raw schema URL outside a project with m365-doctor installed', async () => {
    const dir = tmp();
    const run = await runCli(flags('contoso.onmicrosoft.com'), { cwd: dir });
    expect(run.code, run.stderr).toBe(0);
    const ref = JSON.parse(readFileSync(join(dir, 'm365-doctor.json'), 'utf8')).$schema as string;
    // raw.githubusercontent.com serves the file itself (JSON); github.com/.../blob/... serves an HTML page.
    const m = /^https:\/\/raw\.githubusercontent\.com\/m365-doctor\/m365-doctor\/main\/(.+)$/.exec(ref);
    expect(m, ref).not.toBeNull();
    // The path in the URL is the schema's path in this repository.
    expect(readFileSync(join(ROOT, m![1]), 'utf8')).toBe(readFileSync(SCHEMA, 'utf8'));
  });

  it('is a relative path that resolves to the installed schema inside a project', async () => {
    const project = tmp();
    const installed = join(project, 'node_modules', 'm365-doctor', 'schemas', 'config.schema.json');
    mkdirSync(dirname(installed), { recursive: true });
    copyFileSync(SCHEMA, installed);
    mkdirSync(join(project, 'ops'));
    const run = await runCli([...flags('contoso.onmicrosoft.com'), '--file', 'ops/m365-doctor.json'], { cwd: project });
    expect(run.code, run.stderr).toBe(0);
    const ref = JSON.parse(readFileSync(join(project, 'ops', 'm365-doctor.json'), 'utf8')).$schema as string;
    expect(ref).toBe('../node_modules/m365-doctor/schemas/config.schema.json');
    const schema = JSON.parse(readFileSync(resolve(project, 'ops', ref), 'utf8')) as {
      title: string;
      properties: object;
    };
    expect(schema.title).toBe('m365-doctor configuration');
  });
});

describe('init next steps', () => {
  it('say how to set the secrets without echo on bash/zsh, PowerShell and cmd', async () => {
    const dir = tmp();
    const run = await runCli([...flags('contoso.onmicrosoft.com'), '--password-env', 'BOX_PW'], { cwd: dir });
    expect(run.code, run.stderr).toBe(0);
    const out = run.stdout;
    expect(out).toMatch(
      /On a terminal it asks for the secrets it lacks, without echo:\n {2}m365-doctor check --config m365-doctor\.json\n/,
    );
    expect(out).toContain('read -rs M365_DOCTOR_CLIENT_SECRET && export M365_DOCTOR_CLIENT_SECRET');
    expect(out).toContain('read -rs BOX_PW && export BOX_PW');
    expect(out).toContain(
      "$env:BOX_PW = [Net.NetworkCredential]::new('', (Read-Host -AsSecureString 'Password')).Password",
    );
    expect(out).toContain(
      "$env:M365_DOCTOR_CLIENT_SECRET = [Net.NetworkCredential]::new('', (Read-Host -AsSecureString 'Client secret')).Password",
    );
    expect(out).toMatch(/cmd: "set \/p" shows what is typed on the screen/);
    expect(out).toContain('set /p BOX_PW=Password (shown as typed):');
  });

  it('the bash lines set the variable from hidden input (run in a real bash)', () => {
    const out = spawnSync(
      'bash',
      ['--norc', '--noprofile', '-c', 'read -rs BOX_PW && export BOX_PW && bash -c \'printf "%s" "$BOX_PW"\''],
      { input: 'Canary-Typed-1\n', encoding: 'utf8' },
    );
    expect(out.stdout).toBe('Canary-Typed-1');
  });
});
