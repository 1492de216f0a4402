// The HTML report in a real browser: headless Chromium loads it from file://, we read the DOM after its script ran,
// and keep a screenshot (and a PDF, for print) in test-artifacts/. Skips, loudly, when Chromium is not installed.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { htmlReporter, STATUS_FILL } from '../../reporters/html.js';
import type { RunReport } from '../../src/core/result.js';
import { sampleReport } from '../helpers/sample-report.js';
import { graphNodes } from './dom.js';
import { hostileReport } from './hostile.js';
import { failingScenario } from './scenario.js';
import { CHROMIUM, headlessFlags } from '../helpers/chromium.js';

const HAVE_CHROMIUM = existsSync(CHROMIUM);
if (!HAVE_CHROMIUM) {
  console.warn(
    `\n*** SKIPPING the real-browser HTML report tests: ${CHROMIUM} is missing. ` +
      "Install Debian's chromium (apt-get install -y chromium) or set M365_DOCTOR_CHROMIUM to a Chromium binary. ***\n",
  );
}

const ARTIFACTS = resolve(import.meta.dirname, '../../test-artifacts');
const BROWSER_TIMEOUT_MS = 60_000;
let work: string;
let report: RunReport;

/** Runs headless Chromium once with a fresh profile and returns its stdout. */
function chromium(args: string[]): Promise<string> {
  const profile = mkdtempSync(join(work, 'profile-'));
  const flags = [...headlessFlags(profile), '--hide-scrollbars'];
  return new Promise((done, fail) => {
    execFile(
      CHROMIUM,
      [...flags, ...args],
      { timeout: BROWSER_TIMEOUT_MS, maxBuffer: 32 * 1024 * 1024 },
      (err, stdout, stderr) => {
        rmSync(profile, { recursive: true, force: true });
        if (err) fail(new Error(`${CHROMIUM} ${args.join(' ')} failed: ${err.message}\n${stderr}`));
        else done(stdout);
      },
    );
  });
}

function writeReport(name: string, r: RunReport): string {
  const file = join(work, name);
  writeFileSync(file, htmlReporter.render(r, { color: false }));
  return pathToFileURL(file).href;
}

function pngSize(file: string): { width: number; height: number } {
  const png = readFileSync(file);
  expect(png.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(true);
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

describe.skipIf(!HAVE_CHROMIUM)('html report in headless Chromium', () => {
  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'm365-doctor-html-'));
    report = failingScenario(await sampleReport());
    mkdirSync(ARTIFACTS, { recursive: true });
  });
  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it(
    'renders the failing run: script ran under the CSP, text visible, every node in its status colour',
    async () => {
      const url = writeReport('failing.html', report);
      const dom = await chromium(['--dump-dom', url]);
      // The inline script marks the document: proof that the CSP hash admits it and that it ran.
      expect(dom).toMatch(/<html lang="en" data-js="on">/);
      expect(dom).toContain('<span class="verdict-label">FAILED</span>');
      expect(dom).toContain('2 checks failed, 1 check could not be checked (error).');
      expect(dom).toContain('Entra ID rejected the user name or password (AADSTS50126).');
      const nodes = graphNodes(dom);
      expect(nodes.map((n) => n.id)).toEqual(report.checks.map((c) => c.id));
      for (const c of report.checks) {
        const n = nodes.find((x) => x.id === c.id)!;
        expect(n.status, c.id).toBe(c.status);
        expect(n.fill, c.id).toBe(STATUS_FILL[c.status]);
      }
      expect(nodes.find((n) => n.id === 'ropc-token')).toMatchObject({ status: 'fail', fill: '#c62828' });
      for (const id of ['ropc-scopes', 'imap-login', 'pop-login', 'smtp-login', 'smtp-send']) {
        expect(nodes.find((n) => n.id === id)).toMatchObject({ status: 'skip', fill: '#9e9e9e' });
      }
      // Problems are open, the rest closed (the browser serialises open as open="").
      expect(dom).toMatch(/<details id="check-ropc-token" class="check s-fail" data-status="fail" open="">/);
      expect(dom).toMatch(/<details id="check-config" class="check s-pass" data-status="pass">/);
    },
    BROWSER_TIMEOUT_MS,
  );

  it(
    'does not run or build what a hostile report carries',
    async () => {
      const url = writeReport('hostile.html', hostileReport(await sampleReport()));
      const dom = await chromium(['--dump-dom', url]);
      expect(dom).toMatch(/<html lang="en" data-js="on">/);
      expect(dom).toContain('<title>m365-doctor failed: contoso&lt;script&gt;alert(1)&lt;/script&gt;</title>');
      expect(dom).not.toContain('pwned</title>');
      expect(dom).not.toMatch(/<img|<svg onload|<b>/i);
      expect(dom.match(/<script/g)).toHaveLength(1);
    },
    BROWSER_TIMEOUT_MS,
  );

  it(
    'takes a screenshot and prints to PDF (test-artifacts/html-report.png, .pdf)',
    async () => {
      const url = writeReport('html-report.html', report);
      writeFileSync(join(ARTIFACTS, 'html-report.html'), readFileSync(new URL(url)));
      const png = join(ARTIFACTS, 'html-report.png');
      const pdf = join(ARTIFACTS, 'html-report.pdf');
      rmSync(png, { force: true });
      rmSync(pdf, { force: true });
      await chromium([`--screenshot=${png}`, '--window-size=1400,2000', url]);
      expect(pngSize(png)).toEqual({ width: 1400, height: 2000 });
      expect(readFileSync(png).length).toBeGreaterThan(50_000); // a rendered page, not a blank one
      await chromium([`--print-to-pdf=${pdf}`, '--no-pdf-header-footer', url]);
      expect(readFileSync(pdf).subarray(0, 5).toString()).toBe('%PDF-');
    },
    2 * BROWSER_TIMEOUT_MS,
  );
});
