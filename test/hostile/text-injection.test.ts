// The hostile world, text injection from servers: the app's display name (from Graph) and Entra's error_description
// carry terminal escapes, bidi controls, Markdown control and HTML/JS. The terminal output shows them inert, the
// JUnit parses back, the Markdown carries none of them raw, and the HTML report, rendered in headless Chromium,
// runs only its own script (skipped loudly without Chromium).
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { loopbackServerCert } from '../../src/emulator/tls.js';
import { runCli, type CliRun } from '../helpers/cli.js';
import { parseXml } from '../helpers/xml.js';
import { emulatorEnv } from '../reliability/helpers/emulator-env.js';
import { formOf, isTokenPost, startEchoFront, type EchoFront } from './helpers/echo-front.js';
import { CHROMIUM, headlessFlags } from '../helpers/chromium.js';

const PAYLOADS = [
  '<script>document.title="pwned"</script>',
  '<img src=x onerror="document.title=\'pwned\'">',
  '</style><b>bold</b>',
  '<details open><summary>x</summary>',
  '<!-- hidden -->',
  '[link](javascript:alert(1))',
  '| a | b |',
  '`code`',
  '\u001b[2J',
  '\u001b]8;;https://evil.example\u0007click\u001b]8;;\u0007',
  '\u001b]52;c;ZXZpbA==\u0007',
  '\u009b31m',
  '\u202eevil',
  'line\r\nbreak',
  'nul\u0000',
  'xml\u0001\uFFFE',
];
const HOSTILE = `Hostile ${PAYLOADS.join(' ')}`;
if (!existsSync(CHROMIUM))
  console.warn(`\n*** SKIPPING the Chromium part of the text-injection probe: ${CHROMIUM} is missing. ***\n`);

let emulator: RunningEmulator;
let entra: EchoFront;
let run: CliRun;
const dir = mkdtempSync(join(tmpdir(), 'm365-doctor-inject-'));
const file = (f: string) => join(dir, `out.${f}`);

beforeAll(async () => {
  emulator = await startEmulator();
  emulator.tenant.applications.find((a) => a.appId === emulator.credentials.clientId)!.displayName = HOSTILE;
  entra = await startEchoFront({
    upstream: emulator.authorityHost,
    caPem: emulator.caPem,
    cert: loopbackServerCert(),
    answer: (req) =>
      isTokenPost(req) && formOf(req).get('grant_type') === 'password'
        ? {
            status: 400,
            body: JSON.stringify({
              error: 'invalid_grant',
              error_description: `AADSTS50126: ${HOSTILE}`,
              error_codes: [50126],
            }),
          }
        : undefined,
  });
  run = await runCli(
    [
      'check',
      '--all',
      '--format',
      'table',
      ...['html', 'markdown', 'junit', 'json'].map((f) => `--report=${f}:${file(f)}`),
    ],
    { env: emulatorEnv(emulator, { M365_DOCTOR_AUTHORITY_HOST: entra.origin, NO_COLOR: '1', COLUMNS: '120' }) },
  );
}, 60_000);
afterAll(async () => {
  await entra?.close();
  await emulator?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('server text with escapes, controls, Markdown and HTML', () => {
  it('reached the report (the probe is real)', () => {
    expect(run.code, run.stderr).toBe(1);
    const json = readFileSync(file('json'), 'utf8');
    expect(json).toContain('Hostile <script>');
    expect(run.stdout).toContain('Hostile');
  });

  it('the terminal output holds no control character (NO_COLOR: not even our own colours)', () => {
    expect(run.stdout).not.toMatch(
      /[\u0000-\u0009\u000B-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/,
    );
    expect(run.stderr).not.toMatch(/[\u0000-\u0009\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/);
  });

  it('the JUnit file is well-formed XML 1.0 and parses back', () => {
    const xml = readFileSync(file('junit'), 'utf8');
    expect(xml).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/);
    expect(() => parseXml(xml)).not.toThrow();
    expect(xml).toContain('Hostile');
  });

  it('the Markdown carries no server HTML, comment, link or table cell raw', () => {
    const md = readFileSync(file('markdown'), 'utf8');
    // Fenced code blocks are inert (evidence is JSON in one: no line of it can start a closing fence); the rest may
    // carry nothing raw.
    expect(md.split('\n').filter((l) => /^\s{0,3}```/.test(l)).length % 2).toBe(0);
    const prose = md.replace(/^```[^\n]*\n[\s\S]*?^```$/gm, '');
    // Markdown-escaped (\<script\>) renders as text; unescaped it would be HTML.
    const raw = (p: string) => new RegExp(`(?<!\\\\)${p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`);
    for (const p of [
      '<script>',
      '<img src=x',
      '</style>',
      '<details open><summary>x',
      '<!-- hidden -->',
      '](javascript:',
    ]) {
      expect(prose, p).not.toMatch(raw(p));
    }
    expect(prose).not.toMatch(/[\u001b\u009b\u202e]/);
    expect(md).toContain('Hostile');
  });

  it.skipIf(!existsSync(CHROMIUM))(
    'the HTML report runs only its own script in Chromium',
    async () => {
      const profile = mkdtempSync(join(dir, 'profile-'));
      const flags = headlessFlags(profile);
      const dom = await new Promise<string>((done, fail) =>
        execFile(
          CHROMIUM,
          [...flags, '--dump-dom', pathToFileURL(file('html')).href],
          { timeout: 60_000, maxBuffer: 32 * 1024 * 1024 },
          (err, stdout, stderr) => (err ? fail(new Error(`${err.message}\n${stderr}`)) : done(stdout)),
        ),
      );
      expect(dom).toMatch(/<html lang="en" data-js="on">/); // our script ran (CSP admits its hash)
      expect(dom.match(/<script/g)).toHaveLength(1);
      // The document's own title (the first): a script of the payload would have set it to "pwned".
      expect(/<title>[^<]*<\/title>/.exec(dom)?.[0]).not.toContain('pwned');
      expect(dom).not.toMatch(/<img|<b>bold|<details open=""><summary>x/);
      expect(dom).not.toMatch(/href="javascript:/);
      expect(dom).toContain('Hostile');
    },
    90_000,
  );
});
