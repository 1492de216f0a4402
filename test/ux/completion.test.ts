// `m365-doctor completion [shell]`: scripts for bash, zsh, fish and PowerShell that call back the very bin that
// printed them (no m365-doctor on PATH needed), with values for --scenario, --only, --skip, --format, --cloud and
// --profile. Each script is checked for syntax in its shell and, where the shell is here, completed end to end.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SCENARIO_NAMES } from '../../src/emulator/scenarios.js';
import { BIN, runCli } from '../helpers/cli.js';

const words = (out: string) => out.split('\n').filter(Boolean);
const has = (shell: string, versionArg = '--version') => spawnSync(shell, [versionArg]).status === 0;
const tmp = () => mkdtempSync(join(tmpdir(), 'm365-doctor-completion-'));
/** PATH without any m365-doctor: the script must not need one. */
const PATH_WITHOUT_TOOL = '/usr/bin:/bin';

async function script(shell: string): Promise<string> {
  const run = await runCli(['completion', shell]);
  expect(run.code, run.stderr).toBe(0);
  const file = join(tmp(), `m365-doctor.${shell}`);
  writeFileSync(file, run.stdout);
  return file;
}

describe('completion command', () => {
  it('--help and --version answer as for any command, without printing a script', async () => {
    const help = await runCli(['completion', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^m365-doctor completion \[shell\]/);
    expect(help.stdout).toMatch(/choices: "bash", "zsh", "fish", "powershell"/);
    expect(help.stdout).toMatch(/npx m365-doctor completion bash >> ~\/\.bashrc/);
    expect(help.stdout).not.toMatch(/get-yargs-completions/);
    const version = await runCli(['completion', '--version']);
    expect(version.code).toBe(0);
    expect(version.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });

  it('picks the shell from $SHELL, and names the absolute bin it runs', async () => {
    const bin = realpathSync(BIN);
    for (const [shell, mark] of [
      ['/bin/bash', /complete -o bashdefault -o default -F _m365_doctor_completions m365-doctor/],
      ['/usr/bin/zsh', /^#compdef m365-doctor$/m],
      ['/usr/bin/fish', /complete -c m365-doctor -f -a/],
    ] as const) {
      const run = await runCli(['completion'], { env: { SHELL: shell } });
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toMatch(mark);
      expect(run.stdout).toContain(`'${bin}'`);
    }
    const ps = await runCli(['completion', 'powershell']);
    expect(ps.stdout).toMatch(/Register-ArgumentCompleter -Native -CommandName m365-doctor/);
    const bad = await runCli(['completion', 'tcsh']);
    expect(bad.code).toBe(2);
  });

  it('answers with commands, options and the values of six options', async () => {
    const get = async (...w: string[]) =>
      words((await runCli(['--get-yargs-completions', 'm365-doctor', ...w])).stdout);
    expect(await get('')).toEqual(
      expect.arrayContaining(['check', 'checks', 'explain', 'init', 'token', 'completion']),
    );
    expect(await get('')).not.toContain('__completion-yargs');
    expect(await get('check', '--format', '')).toEqual(['table', 'json', 'junit', 'markdown', 'html']);
    expect(await get('check', '--cloud', '')).toEqual(['global', 'usgov', 'usgovdod', 'china']);
    expect(await get('init', '--cloud', 'us')).toEqual(['usgov', 'usgovdod']);
    expect(await get('check', '--profile', '')).toEqual(['vendor', 'delegated', 'app-only']);
    expect(await get('check', '--scenario', '')).toEqual([...SCENARIO_NAMES]);
    expect(await get('check', '--only', 'smtp')).toEqual(['smtp-login', 'smtp-send']);
    expect(await get('check', '--skip', 'config,tenant-discovery,user-')).toEqual([
      'config,tenant-discovery,user-realm',
      'config,tenant-discovery,user-account',
      'config,tenant-discovery,user-license',
    ]);
    expect(await get('token', '--')).toEqual(expect.arrayContaining(['--scope', '--app', '--resource', '--raw']));
  });
});

describe('bash', () => {
  it('passes bash -n and completes in a real bash without m365-doctor on PATH', async () => {
    if (!has('bash')) {
      console.warn('completion test SKIPPED for bash: bash is not installed');
      return;
    }
    const file = await script('bash');
    expect(spawnSync('bash', ['-n', file], { encoding: 'utf8' }).stderr).toBe('');
    const complete = (line: string[], label: string) =>
      `COMP_WORDS=(${line.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${line.length - 1}; _m365_doctor_completions; echo "${label}: \${COMPREPLY[*]}"`;
    const run = spawnSync(
      'bash',
      [
        '--norc',
        '--noprofile',
        '-c',
        [
          `source '${file}'`,
          'type -t m365-doctor',
          complete(['m365-doctor', 'to'], 'command'),
          complete(['m365-doctor', 'check', '--fail-on', ''], 'fail-on'),
          complete(['m365-doctor', 'check', '--scenario', 'app-'], 'scenario'),
          complete(['m365-doctor', 'check', '--only', 'imap-login,po'], 'only'),
          complete(['m365-doctor', 'check', '--profile', 'v'], 'profile'),
          complete(['m365-doctor', 'check', '--config', ''], 'config'),
        ].join('\n'),
      ],
      { env: { ...process.env, PATH: PATH_WITHOUT_TOOL }, encoding: 'utf8', timeout: 30000 },
    );
    expect(run.status, run.stderr).toBe(0);
    // No m365-doctor on PATH: the script defines the npx wrapper function.
    expect(run.stdout).toMatch(/^function$/m);
    expect(run.stdout).toMatch(/^command: token$/m);
    expect(run.stdout).toMatch(/^fail-on: fail warn$/m);
    expect(run.stdout).toMatch(
      new RegExp(`^scenario: ${SCENARIO_NAMES.filter((n) => n.startsWith('app-')).join(' ')}$`, 'm'),
    );
    expect(run.stdout).toMatch(/^only: imap-login,pop-login$/m);
    expect(run.stdout).toMatch(/^profile: vendor$/m);
    // Path options are left to bash's file name completion.
    expect(run.stdout).toMatch(/^config: $/m);
  });
});

describe('zsh', () => {
  it('passes zsh -n and completes through its function', async () => {
    if (!has('zsh')) {
      console.warn('completion test SKIPPED for zsh: zsh is not installed (apt-get install zsh)');
      return;
    }
    const file = await script('zsh');
    expect(spawnSync('zsh', ['-n', file], { encoding: 'utf8' }).stderr).toBe('');
    // compadd/_describe need a live completion widget; stand-ins print what would be offered.
    const run = spawnSync(
      'zsh',
      [
        '-f',
        '-c',
        [
          `source '${file}'`,
          '_describe() { print -rl -- ${(P)2} }',
          '_files() { print FILES }',
          "words=(m365-doctor check --profile ''); CURRENT=4; _m365_doctor_completions",
          'words=(m365-doctor check --scenario mfa-r); CURRENT=4; _m365_doctor_completions',
          "words=(m365-doctor check --targets ''); CURRENT=4; _m365_doctor_completions",
        ].join('\n'),
      ],
      { env: { ...process.env, PATH: PATH_WITHOUT_TOOL }, encoding: 'utf8', timeout: 30000 },
    );
    expect(run.status, run.stderr).toBe(0);
    expect(words(run.stdout)).toEqual(['vendor', 'delegated', 'app-only', 'mfa-required', 'FILES']);
  });
});

describe('fish', () => {
  it('passes fish --no-execute and completes with complete -C', async () => {
    if (!has('fish')) {
      console.warn('completion test SKIPPED for fish: fish is not installed (apt-get install fish)');
      return;
    }
    const file = await script('fish');
    const syntax = spawnSync('fish', ['--no-execute', file], { encoding: 'utf8' });
    expect(syntax.status, syntax.stderr).toBe(0);
    const run = spawnSync(
      'fish',
      [
        '--no-config',
        '-c',
        `source '${file}'; complete -C 'm365-doctor check --cloud us'; complete -C 'm365-doctor check --skip smtp-login,smtp'`,
      ],
      { env: { ...process.env, PATH: PATH_WITHOUT_TOOL, HOME: tmp() }, encoding: 'utf8', timeout: 30000 },
    );
    expect(run.status, run.stderr).toBe(0);
    expect(words(run.stdout)).toEqual(['usgov', 'usgovdod', 'smtp-login,smtp-send']);
  });
});

describe('PowerShell', () => {
  it('parses in pwsh', async () => {
    if (!has('pwsh', '-Version')) {
      console.warn(
        'completion test SKIPPED for PowerShell: pwsh is not installed here, so the PowerShell script was not parsed',
      );
      return;
    }
    const file = await script('powershell');
    const run = spawnSync(
      'pwsh',
      [
        '-NoProfile',
        '-Command',
        `$e = $null; [void][System.Management.Automation.Language.Parser]::ParseFile('${file}', [ref]$null, [ref]$e); if ($e.Count) { $e; exit 1 }`,
      ],
      { encoding: 'utf8' },
    );
    expect(run.status, run.stdout + run.stderr).toBe(0);
  });
});
