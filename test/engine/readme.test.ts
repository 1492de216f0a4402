// The README stays true: it opens with the two commands, documents every option of `check`, and every exit code.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

describe('README', () => {
  it('starts with the install-and-demo command and the test command', () => {
    const firstBlock = /```sh\n([\s\S]*?)```/.exec(readme)![1];
    expect(firstBlock).toContain('npm ci && npx m365-doctor check --demo');
    expect(firstBlock).toContain('npm test');
    expect(readme.indexOf('```sh')).toBeLessThan(readme.indexOf('m365-doctor diagnoses'));
  });

  it('documents every option of check (hidden ones included) and each exit code', async () => {
    const help = (await runCli(['check', '--help'])).stdout;
    const options = new Set([...help.matchAll(/--([a-z][a-z-]+)/g)].map((m) => m[1]));
    options.add('admin-client-secret'); // hidden from --help, still documented with its warning
    expect(options.size).toBeGreaterThan(30);
    for (const option of options) expect(readme, option).toMatch(new RegExp(`--${option}(?![a-z-])`));
    for (const code of ['| 0 |', '| 1 |', '| 2 |']) expect(readme).toContain(code);
  });

  it('names every command', async () => {
    const help = (await runCli(['--help'])).stdout;
    const commands = [...help.matchAll(/^\s+m365-doctor ([a-z]+)/gm)].map((m) => m[1]);
    expect(commands).toContain('check');
    for (const command of commands) expect(readme, command).toContain(`m365-doctor ${command}`);
  });

  it('shows a sample of each report', () => {
    for (const marker of ['<!-- sample:table -->', '<!-- sample:json -->', '<!-- sample:junit -->'])
      expect(readme).toContain(marker);
    expect(readme).toContain('"schemaVersion": 2');
    expect(readme).toContain('"rootCauses": [');
    expect(readme).toMatch(/^\[✖\] Tokens and permissions: /m);
    expect(readme).toContain('<testsuites name="m365-doctor"');
  });
});
