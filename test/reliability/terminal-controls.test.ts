// Server text carrying C1 controls (U+009B, the one-character CSI), bidi controls (U+202E), ESC sequences
// (CSI 2J, OSC 8 links, OSC 52 clipboard writes), BEL and NUL: a fake IMAP server puts them in its greeting and
// its NO line. Through --verbose, the table (also under a real TTY, via script(1)), Markdown and JUnit, none of
// them reaches an output raw; the JUnit parses back. Needs dist/.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { escapeControls, singleLine } from '../../src/output/terminal-text.js';
import { clean } from '../../reporters/report-text.js';
import { BIN, runCli } from '../helpers/cli.js';
import { parseXml } from '../helpers/xml.js';
import { emulatorEnv } from './helpers/emulator-env.js';

const HOSTILE =
  'x\u009b2J\u202Egpj.exe\u001b[2J\u001b]8;;javascript:alert(1)\u0007link\u001b]8;;\u0007\u001b]52;c;aGVsbG8=\u0007\u0000\u200F\u2066end';
/** Anything that could act on a terminal, or reorder text, other than our own colour codes. */
const RAW =
  /[\u0000-\u0008\u000B-\u001A\u001C-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]|\u001b(?!\[[0-9;]*m)/;

let e: RunningEmulator;
let server: tls.Server;
let port = 0;
const dir = mkdtempSync(join(tmpdir(), 'm365-doctor-controls-'));

beforeAll(async () => {
  e = await startEmulator();
  const cert = e.issueServerCert({ hosts: ['127.0.0.1', 'localhost'] });
  server = tls.createServer({ key: cert.key, cert: cert.cert }, (s) => {
    s.on('error', () => {});
    s.write(`* OK ${HOSTILE}\r\n`);
    let buf = '';
    s.on('data', (d) => {
      buf += d;
      for (let i = buf.indexOf('\r\n'); i >= 0; i = buf.indexOf('\r\n')) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 2);
        const tag = line.split(' ')[0];
        if (/ CAPABILITY$/i.test(line))
          s.write(`* CAPABILITY IMAP4rev1 AUTH=XOAUTH2 SASL-IR\r\n${tag} OK ${HOSTILE}\r\n`);
        else if (/ LOGOUT$/i.test(line)) {
          s.end(`* BYE ${HOSTILE}\r\n${tag} OK\r\n`);
        } else s.write(`${tag} NO [AUTHENTICATIONFAILED] ${HOSTILE}\r\n`);
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  await new Promise((r) => server?.close(r));
  await e?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('control characters from a mail server', () => {
  it('the text helpers treat C1 and bidi controls like C0', () => {
    expect(singleLine('a\u009bb\u202Ec\u2066d\u061Ce')).toBe('a\uFFFDb\uFFFDc\uFFFDd\uFFFDe');
    expect(escapeControls('a\u009b\u202E\u001b')).toBe('a\\u009b\\u202e\\u001b');
    expect(clean('a\u009b\u202Eb\nc')).toBe('a\uFFFD\uFFFDb\nc');
  });

  it('--verbose, the table, Markdown and JUnit show them inert', async () => {
    const md = join(dir, 'r.md');
    const junit = join(dir, 'r.xml');
    const run = await runCli(
      ['check', '--verbose', '--only', 'imap-login', '--report', `markdown:${md}`, '--report', `junit:${junit}`],
      { env: emulatorEnv(e, { M365_DOCTOR_IMAP: `127.0.0.1:${port}` }) },
    );
    expect(run.code, run.stderr).toBe(1);
    // The server's text did arrive (its harmless parts), so the test looks at the right lines.
    expect(run.stderr).toMatch(/gpj\.exe/);
    expect(run.stdout).toMatch(/AUTHENTICATIONFAILED|imap-login/);
    for (const [where, text] of [
      ['stderr', run.stderr],
      ['stdout', run.stdout],
      ['markdown', readFileSync(md, 'utf8')],
      ['junit', readFileSync(junit, 'utf8')],
    ]) {
      const hit = RAW.exec(text);
      expect(
        hit &&
          `${where}: U+${hit[0].charCodeAt(0).toString(16)} at ${hit.index}: ${JSON.stringify(text.slice(Math.max(0, hit.index - 40), hit.index + 40))}`,
      ).toBeNull();
    }
    expect(() => parseXml(readFileSync(junit, 'utf8'))).not.toThrow();
  }, 120_000);

  it.skipIf(spawnSync('script', ['--version']).status !== 0)(
    'under a real TTY the table and live progress carry only our own escape sequences',
    () => {
      const env: Record<string, string> = {};
      for (const [k, v] of Object.entries(process.env))
        if (v !== undefined && !k.startsWith('M365_DOCTOR_')) env[k] = v;
      Object.assign(env, emulatorEnv(e, { M365_DOCTOR_IMAP: `127.0.0.1:${port}` }), {
        FORCE_COLOR: '1',
        COLUMNS: '120',
        TERM: 'xterm',
      });
      const out = join(dir, 'tty.out');
      const cmd = `${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} check --only imap-login > /dev/tty 2>&1`;
      // script(1) gives the CLI a pseudo-terminal and records every byte it writes to it.
      const r = spawnSync('script', ['-qefc', cmd, out], { env, timeout: 60_000 });
      expect(r.status, String(r.stderr)).toBe(1);
      const bytes = readFileSync(out, 'latin1');
      const text = Buffer.from(bytes, 'latin1').toString('utf8');
      // The table wraps at the pseudo-terminal's width: the server's words may be split, the check's id is not.
      expect(text).toMatch(/imap-login/);
      // Ours: colours (SGR), cursor hide/show, erase and move up for the live list.
      const foreign = text.replace(/\u001b\[[0-9;]*m|\u001b\[\?25[lh]|\u001b\[\d*F|\u001b\[J|\u001b\[K|\r/g, '');
      const hit = RAW.exec(foreign);
      expect(
        hit &&
          `U+${hit[0].charCodeAt(0).toString(16)}: ${JSON.stringify(foreign.slice(Math.max(0, hit.index - 40), hit.index + 40))}`,
      ).toBeNull();
      expect(text).not.toContain('\u001b]');
      expect(text).not.toContain('\u009b');
    },
    120_000,
  );
});
