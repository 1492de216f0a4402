// `m365-doctor completion`: yargs' script for bash or zsh, and the answers it gets back, run in a real bash.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, runCli } from '../helpers/cli.js';

const words = (out: string) => out.split('\n').filter(Boolean);

describe('completion', () => {
  it('prints the bash script, or the zsh script when $SHELL is zsh', async () => {
    const bash = await runCli(['completion'], { env: { SHELL: '/bin/bash' } });
    expect(bash.code, bash.stderr).toBe(0);
    expect(bash.stdout).toMatch(/^###-begin-m365-doctor-completions-###$/m);
    expect(bash.stdout).toMatch(/m365-doctor --get-yargs-completions/);
    expect(bash.stdout).toMatch(/^complete -o bashdefault -o default -F _m365-doctor_yargs_completions m365-doctor$/m);
    const zsh = await runCli(['completion'], { env: { SHELL: '/usr/bin/zsh' } });
    expect(zsh.code, zsh.stderr).toBe(0);
    expect(zsh.stdout).toMatch(/^#compdef m365-doctor$/m);
    expect(zsh.stdout).toMatch(/compdef _m365-doctor_yargs_completions m365-doctor/);
  });

  it('answers with commands, options and option values', async () => {
    const commands = await runCli(['--get-yargs-completions', 'm365-doctor', '']);
    expect(words(commands.stdout)).toEqual(expect.arrayContaining(['check', 'checks', 'explain', 'init', 'token', 'completion']));
    const formats = await runCli(['--get-yargs-completions', 'm365-doctor', 'check', '--format', '']);
    expect(words(formats.stdout)).toEqual(['table', 'json', 'junit', 'markdown', 'html']);
    const tokenOptions = await runCli(['--get-yargs-completions', 'm365-doctor', 'token', '--']);
    expect(words(tokenOptions.stdout)).toEqual(expect.arrayContaining(['--scope', '--app', '--resource', '--raw']));
  });

  it('completes in a real bash once the script is sourced', () => {
    const bash = spawnSync('bash', ['--version']);
    if (bash.status !== 0) {
      console.warn('completion test: bash is not installed here; the sourced-script test did not run');
      return;
    }
    // The script calls the tool by its installed name, so put that name on PATH.
    const dir = mkdtempSync(join(tmpdir(), 'm365-doctor-completion-'));
    symlinkSync(BIN, join(dir, 'm365-doctor'));
    const script = [
      'source <(m365-doctor completion)',
      'COMP_WORDS=(m365-doctor to); COMP_CWORD=1; _m365-doctor_yargs_completions; echo "token: ${COMPREPLY[*]}"',
      'COMP_WORDS=(m365-doctor check --fail-on ""); COMP_CWORD=3; _m365-doctor_yargs_completions; echo "fail-on: ${COMPREPLY[*]}"',
    ].join('\n');
    const run = spawnSync('bash', ['--norc', '--noprofile', '-c', script], {
      env: { ...process.env, PATH: `${dir}${delimiter}${process.env.PATH}`, SHELL: '/bin/bash' }, encoding: 'utf8', timeout: 20000,
    });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^token: token$/m);
    expect(run.stdout).toMatch(/^fail-on: fail warn$/m);
  });
});
