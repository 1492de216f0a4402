// A fleet run against emulated tenants: every mailbox is really checked, tenant- and app-wide requests do
// not grow with mailboxes (the emulators' request logs say so), failures stay with their target, and the
// combined report validates and reads back in targets-file order.
import { readFileSync } from 'node:fs';
import { release } from 'node:os';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestCounts, startFleetFixture, type FleetFixture } from '../../bench/fleet-fixture.js';
import { builtinChecks } from '../../checks/index.js';
import type { FleetHeader, FleetTargetEntry } from '../../src/fleet/fleet-report.js';
import { renderFleet, type FleetFormat } from '../../src/fleet/render.js';
import { runFleet } from '../../src/fleet/run-fleet.js';
import { loadTargetsFile } from '../../src/fleet/targets-file.js';
import { Redactor } from '../../src/core/redact.js';
import { runEnvironment } from '../../src/runner/environment.js';
import { parseXml } from '../helpers/xml.js';

const TENANTS = 2;
const MAILBOXES = 8;
let fx: FleetFixture;

beforeAll(async () => {
  fx = await startFleetFixture({ tenants: TENANTS, mailboxes: MAILBOXES });
});
afterAll(async () => {
  await fx?.stop();
});

async function run(opts: { concurrency?: number; env?: Record<string, string> } = {}) {
  for (const e of fx.emulators) e.log.clear();
  const targets = loadTargetsFile(fx.targetsFile, { ...fx.env, ...opts.env });
  const redactor = new Redactor();
  const result = await runFleet({
    targets,
    checks: builtinChecks,
    concurrency: opts.concurrency ?? 4,
    version: '0.0.0',
    redactor,
  });
  const entries = [...result.spool.entries()];
  const render = (format: FleetFormat) => {
    let text = '';
    renderFleet(format, result.header, result.spool.entries(), (s) => {
      text += s;
    });
    return text;
  };
  const out = {
    header: result.header,
    entries,
    json: render('json'),
    junit: render('junit'),
    table: render('table'),
    wire: requestCounts(fx.emulators),
  };
  result.spool.dispose();
  return out;
}

// ajv-formats is CommonJS; vitest hands over its default export, which NodeNext types as the module object.
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

function fleetValidator() {
  const read = (name: string) => JSON.parse(readFileSync(new URL(`../../schemas/${name}`, import.meta.url), 'utf8'));
  const ajv = addFormats(new Ajv({ allErrors: true, strict: true, allowUnionTypes: true }));
  ajv.addSchema(read('report.schema.json'));
  return ajv.compile(read('fleet-report.schema.json'));
}

describe('fleet run', () => {
  let header: FleetHeader;
  let entries: FleetTargetEntry[];
  let out: Awaited<ReturnType<typeof run>>;
  beforeAll(async () => {
    out = await run();
    ({ header, entries } = out);
  }, 120_000);

  it('checks every mailbox for real: all pass, one IMAP, POP and SMTP XOAUTH2 login each', () => {
    expect(header.targetSummary).toEqual({ total: MAILBOXES, withProblems: 0 });
    expect(entries.map((e) => e.index)).toEqual(Array.from({ length: MAILBOXES }, (_, i) => i));
    for (const e of entries) {
      expect(
        e.report.checks.filter((c) => c.status !== 'pass').map((c) => `${c.id}:${c.status}`),
        e.name,
      ).toEqual(['exchange-app-smtp:skip', 'smtp-send:skip']);
      expect(e.report.target.username).toBe(e.name.split('/')[1]);
    }
    // imap: the user's own login plus the app-only login of exchange-app-access.
    expect(out.wire).toMatchObject({ imapLogins: 2 * MAILBOXES, popLogins: MAILBOXES, smtpLogins: MAILBOXES });
  });

  it('describes the machine as a single run does, kernel release included, and each target keeps its own', () => {
    expect(header.environment).toEqual(runEnvironment());
    expect(header.environment.osRelease).toBe(release());
    for (const e of entries) expect(e.report.environment).toEqual(header.environment);
  });

  it('shares tokens and tenant-wide reads per tenant/app group: only ROPC and the mailbox reads grow with mailboxes', () => {
    const w = out.wire;
    expect(header.requests.groups).toBe(TENANTS);
    // Each mailbox has its own password, so each needs its own password-grant token.
    expect(w.ropc).toBe(MAILBOXES);
    // Graph and Exchange app-only tokens, plus the directory reader: three client-credentials POSTs per tenant.
    expect(w.clientCredentials).toBe(3 * TENANTS);
    expect(w.discovery).toBe(TENANTS);
    expect(w.userRealm).toBe(TENANTS);
    // The tool's own counters agree with what the emulators saw.
    expect(header.requests.tokenPosts).toEqual({ ropc: MAILBOXES, appOnly: 2 * TENANTS, admin: TENANTS });
    expect(header.requests.graph).toBe(w.graph);
    // Each mailbox's user object is read once, inside a $batch shared with other mailboxes of its group.
    expect(header.requests.graphBatchedReads).toBe(MAILBOXES);
    expect(w.graphBatch).toBeGreaterThanOrEqual(TENANTS);
    expect(w.graphBatch).toBeLessThanOrEqual(MAILBOXES);
    const shared = (w.graph - w.graphBatch) / TENANTS;
    expect(Number.isInteger(shared), `graph ${w.graph}`).toBe(true);
    console.log(
      `fleet of ${MAILBOXES} in ${TENANTS} tenants: ${JSON.stringify(w)}; ${shared} shared Graph reads per tenant, ${w.graphBatch} $batch requests`,
    );
  });

  it('writes a JSON report that validates and holds no secret', () => {
    const validate = fleetValidator();
    const doc = JSON.parse(out.json);
    expect(validate(doc), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    expect(doc.targets.map((t: { name: string }) => t.name)).toEqual(entries.map((e) => e.name));
    const secrets = [...Object.values(fx.env), ...fx.emulators[0].tenant.users.slice(1).map((u) => u.password)];
    for (const text of [out.json, out.junit, out.table]) for (const s of secrets) expect(text).not.toContain(s);
  });

  it('writes JUnit with one testsuite per target and category, and a table section per target', () => {
    const root = parseXml(out.junit);
    // Two skips per target: smtp-send (no --send-test-mail) and exchange-app-smtp (the app does not hold SMTP.SendAsApp).
    expect(root.attrs).toMatchObject({
      tests: String(MAILBOXES * builtinChecks.length),
      failures: '0',
      errors: '0',
      skipped: String(MAILBOXES * 2),
    });
    expect(root.children).toHaveLength(MAILBOXES * 5);
    expect(root.children[0].attrs.name).toBe(`${entries[0].name} / config`);
    expect(new Set(root.children.map((s) => s.attrs.name)).size).toBe(MAILBOXES * 5);
    expect(out.table.match(/^== Target \d+: /gm)).toHaveLength(MAILBOXES);
    expect(out.table).toMatch(new RegExp(`${MAILBOXES} targets: ${MAILBOXES} without problems, 0 with problems`));
  });
});

describe('fleet run with problems', () => {
  it('keeps a wrong password to its own target; the others pass', async () => {
    const spec = JSON.parse(readFileSync(fx.targetsFile, 'utf8'));
    const victim = spec.targets[3];
    // The target's password file says something else now; the emulator still expects the real one.
    const { writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const path = join(fx.dir, victim.password.file);
    const real = readFileSync(path, 'utf8');
    writeFileSync(path, 'Not-The-Password-1!\n');
    try {
      const { header, entries } = await run({ concurrency: 3 });
      expect(header.targetSummary).toEqual({ total: MAILBOXES, withProblems: 1 });
      const bad = entries.find((e) => e.index === 3)!;
      expect(bad.report.checks.find((c) => c.id === 'ropc-token')).toMatchObject({
        status: 'fail',
        code: 'AADSTS50126',
      });
      expect(entries.filter((e) => e.index !== 3).every((e) => e.report.summary.fail === 0)).toBe(true);
    } finally {
      writeFileSync(path, real);
    }
  }, 120_000);

  it('honours Graph throttling: a 429 with Retry-After pauses the group and the run still passes', async () => {
    fx.emulators[0].tenant.graphThrottle = { requests: 1, retryAfterSeconds: 1 };
    try {
      const { header, wire } = await run();
      expect(header.requests.throttled).toBeGreaterThanOrEqual(1);
      expect(header.targetSummary.withProblems).toBe(0);
      expect(wire.graph).toBe(header.requests.graph);
      // The 429 hit a $batch or a shared read; either way every mailbox's read was answered.
      expect(header.requests.graphBatchedReads).toBeLessThanOrEqual(MAILBOXES);
    } finally {
      delete fx.emulators[0].tenant.graphThrottle;
    }
  }, 120_000);
});
