// The HTML reporter as text: self-contained, escaped, one graph node per check with its status, and the graph layout itself.
import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { builtinChecks } from '../../checks/index.js';
import { depths, layoutGraph } from '../../reporters/graph-layout.js';
import { htmlReporter, STATUS_FILL } from '../../reporters/html.js';
import type { RunReport } from '../../src/core/result.js';
import { TEST_SECRETS } from '../helpers/engine-fixtures.js';
import { sampleReport } from '../helpers/sample-report.js';
import { hostileReport } from './hostile.js';
import { graphNodes } from './dom.js';
import { failingScenario } from './scenario.js';

let report: RunReport;
let html: string;

beforeAll(async () => {
  report = await sampleReport();
  html = htmlReporter.render(report, { color: false });
});

describe('html reporter', () => {
  it('names itself and its extension', () => {
    expect(htmlReporter.name).toBe('html');
    expect(htmlReporter.extension).toBe('html');
  });

  it('is one document with the verdict, target, version and timings', () => {
    expect(html.startsWith('<!DOCTYPE html>\n<html lang="en">')).toBe(true);
    expect(html.trimEnd().endsWith('</html>')).toBe(true);
    expect(html).toContain('<span class="verdict-label">FAILED</span>');
    expect(html).toContain('1 check failed, 1 check could not be checked (error).');
    expect(html).toContain('<dt>Tenant</dt><dd>contoso.onmicrosoft.com</dd>');
    expect(html).toContain('<dt>Client id</dt><dd><code>11111111-2222-3333-4444-555555555555</code></dd>');
    expect(html).toContain('<dt>User</dt><dd>mailbox@contoso.onmicrosoft.com</dd>');
    expect(html).toContain('<dt>Cloud</dt><dd>global</dd>');
    expect(html).toContain('m365-doctor 0.1.0');
    expect(html).toMatch(/<dt>Duration<\/dt><dd>\d+ ms <span class="muted">\(critical path \d+ ms\)<\/span>/);
    for (const [s, n] of Object.entries(report.summary)) {
      expect(html).toContain(`<li class="count s-${s}${n ? '' : ' zero'}"><span class="count-n">${n}</span>`);
    }
  });

  it('references nothing outside the file but the docs links, as plain anchors', () => {
    expect(html).not.toMatch(/<link\b/i);
    expect(html).not.toMatch(/<script[^>]*\bsrc\s*=/i);
    expect(html).not.toMatch(/\bsrc\s*=/i);
    expect(html).not.toMatch(/@import|url\((?!#)|xlink:href|<iframe|<object|<embed|<img/i);
    expect(html).not.toMatch(/\bxmlns/i);
    const docs = new Set(report.checks.map((c) => c.docsUrl));
    const external = [...html.matchAll(/<(\w+)\s[^>]*\bhref\s*=\s*"(https?:[^"]*)"/gi)];
    expect(external.length).toBe(report.checks.length);
    for (const [, tag, url] of external) {
      expect(tag).toBe('a');
      expect(docs.has(url), url).toBe(true);
    }
    // Every other link stays inside the page.
    for (const [, url] of html.matchAll(/\bhref="([^"]*)"/g))
      if (!/^https?:/.test(url)) expect(url).toMatch(/^#check-/);
  });

  it('allows only its own inline script and style (Content-Security-Policy with the script hash)', () => {
    const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)];
    expect(scripts).toHaveLength(1);
    expect(html.match(/<script/g)).toHaveLength(1);
    const hash = createHash('sha256').update(scripts[0][1]).digest('base64');
    expect(html).toContain(
      `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-${hash}';`,
    );
    expect(scripts[0][1].split('\n').length).toBeLessThanOrEqual(6);
  });

  it('draws one node per check with its status, fill, tooltip and link', () => {
    const nodes = graphNodes(html);
    expect(nodes.map((n) => n.id)).toEqual(report.checks.map((c) => c.id));
    for (const c of report.checks) {
      const n = nodes.find((x) => x.id === c.id)!;
      expect(n.status).toBe(c.status);
      expect(n.fill).toBe(STATUS_FILL[c.status]);
      expect(n.href).toBe(`#check-${c.id}`);
      expect(n.title).toContain(`${c.id}: ${c.status}`);
    }
    expect(STATUS_FILL).toEqual({
      pass: '#2e7d32',
      warn: '#f9a825',
      fail: '#c62828',
      error: '#6a1b9a',
      skip: '#9e9e9e',
    });
    // Three dependency edges in the sample: inputs -> app-found, inputs -> consent, consent -> ropc.
    expect(html.match(/<path class="edge/g)).toHaveLength(3);
    expect(html).toMatch(
      /<path class="edge blocked" d="[^"]+" marker-end="url\(#arrow-blocked\)"><title>consent → ropc<\/title>/,
    );
  });

  it('has one <details> per check, open for problems, with message, code, fix, evidence, docs and skip reason', () => {
    const details = [
      ...html.matchAll(
        /<details id="check-([^"]*)" class="check s-(\w+)" data-status="\w+"( open)?>([\s\S]*?)<\/details>/g,
      ),
    ];
    expect(details.map((d) => d[1])).toEqual(report.checks.map((c) => c.id));
    for (const [, id, status, open] of details) {
      expect(Boolean(open), id).toBe(['fail', 'error', 'warn'].includes(status));
    }
    const consent = details.find((d) => d[1] === 'consent')![4];
    expect(consent).toContain('<p class="msg">Broken: consent &lt;IMAP&gt; &amp; &quot;POP&quot; \uFFFD.</p>');
    expect(consent).toContain('<dt>Code</dt><dd><code>BAD</code></dd>');
    expect(consent).toContain(
      '<h3>How to fix</h3><p>Fix consent &lt;IMAP&gt; &amp; &quot;POP&quot; \uFFFD in tenant contoso.onmicrosoft.com.</p>',
    );
    expect(consent).toContain(
      '<tr><th scope="row">scopes</th><td><ul><li><code>IMAP.AccessAsUser.All</code></li></ul></td></tr>',
    );
    expect(consent).toContain('<tr><th scope="row">seen</th><td><code>true</code></td></tr>');
    expect(consent).toContain('<a href="https://github.com/m365-doctor/m365-doctor/blob/main/docs/checks/consent.md">');
    expect(consent).toContain('<dt>Depends on</dt><dd><a href="#check-inputs"><code>inputs</code></a></dd>');
    const ropc = details.find((d) => d[1] === 'ropc')![4];
    expect(ropc).toContain(
      '<dt>Skip reason</dt><dd>A check it depends on failed, errored or was skipped. <code>dependency-failed</code></dd>',
    );
    expect(ropc).toMatch(/<dt>Duration<\/dt><dd>\d+ ms<\/dd>/);
  });

  it('renders PowerShell remediation as code blocks', () => {
    const out = htmlReporter.render(failingScenario(report), { color: false });
    expect(out).toContain(
      '<pre class="ps" aria-label="PowerShell"><code>Connect-ExchangeOnline\nAdd-MailboxPermission -Identity mailbox@contoso.onmicrosoft.com',
    );
    expect(graphNodes(out)).toHaveLength(20);
  });

  it('escapes every string from the report', () => {
    const out = htmlReporter.render(hostileReport(report), { color: false });
    // Only the reporter's own script element, and no element the report brought in.
    expect(out.match(/<script/gi)).toHaveLength(1);
    expect(out).not.toMatch(/<img|<svg onload|<b>|alert\(1\)<\/script>/i);
    expect(out).toContain(
      'Server said &lt;script&gt;alert(1)&lt;/script&gt; and &lt;img src=x onerror=&quot;document.title=&#39;pwned&#39;&quot;&gt; | pipe<br>second line',
    );
    expect(out).toContain(
      '<td>&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=&quot;document.title=&#39;pwned&#39;&quot;&gt;</td>',
    );
    expect(out).toContain('<li><code>&lt;script&gt;alert(1)&lt;/script&gt;</code></li>');
    expect(out).toContain('<li><code>&quot;quoted&quot; &amp; &lt;b&gt;bold&lt;/b&gt;</code></li>');
    expect(out).toContain('<dd>contoso&lt;script&gt;alert(1)&lt;/script&gt;</dd>');
    expect(out).toContain('<dd>&quot;&gt;&lt;svg onload=alert(1)&gt;</dd>');
    expect(out).toContain('<title>m365-doctor failed: contoso&lt;script&gt;alert(1)&lt;/script&gt;</title>');
    // No attribute value is broken out of: every quote inside one is an entity.
    for (const [, value] of out.matchAll(/="([^"]*)"/g)) expect(value).not.toMatch(/[<>]/);
    // A javascript: docs URL is shown as text, never as a link.
    expect(out).not.toMatch(/href="javascript:/i);
    expect(out).toContain('<p class="docs">Documentation: javascript:alert(1)</p>');
  });

  it('gives the verdict of the exit code: warnings pass, an empty run renders', () => {
    const warn = structuredClone(report);
    for (const c of warn.checks) if (c.status !== 'warn') c.status = 'pass';
    warn.summary = { pass: 5, warn: 1, fail: 0, skip: 0, error: 0 };
    expect(htmlReporter.render(warn, { color: false })).toContain(
      '<div class="verdict v-warn" role="status"><span class="verdict-label">PASSED WITH WARNINGS</span>',
    );
    const empty = { ...report, checks: [], summary: { pass: 0, warn: 0, fail: 0, skip: 0, error: 0 } };
    const out = htmlReporter.render(empty, { color: false });
    expect(out).toContain('<span class="verdict-label">NOTHING FAILED</span>');
    expect(graphNodes(out)).toEqual([]);
    expect(out).toContain('<p>None: nothing failed or warned.</p>');
  });

  it('keeps secrets out', () => {
    expect(html).not.toContain(TEST_SECRETS.clientSecret);
    expect(html).not.toContain(TEST_SECRETS.password);
  });
});

describe('graph layout', () => {
  const catalog = builtinChecks.map((c) => ({ id: c.meta.id, dependsOn: [...c.meta.dependsOn] }));

  it('puts each check one column right of its deepest dependency', () => {
    const d = depths(catalog);
    expect(Object.fromEntries(d)).toMatchObject({
      config: 1,
      'tenant-discovery': 1,
      'user-realm': 1,
      'app-credentials': 2,
      'ropc-token': 2,
      'ropc-scopes': 3,
      'imap-login': 3,
      'smtp-send': 4,
    });
    for (const c of catalog) expect(d.get(c.id)).toBe(1 + Math.max(0, ...c.dependsOn.map((x) => d.get(x)!)));
  });

  it('ignores unknown dependencies and survives cycles', () => {
    expect(
      Object.fromEntries(
        depths([
          { id: 'a', dependsOn: ['missing'] },
          { id: 'b', dependsOn: ['c'] },
          { id: 'c', dependsOn: ['b'] },
        ]),
      ),
    ).toEqual({ a: 1, b: 2, c: 1 });
    const g = layoutGraph([{ id: 'a', dependsOn: ['a', 'missing'] }]);
    expect(g.edges).toEqual([]);
    expect(g.nodes).toHaveLength(1);
  });

  it('places nodes without overlap, edges left to right, inside the drawing', () => {
    const g = layoutGraph(catalog);
    const o = g.options;
    expect(g.nodes).toHaveLength(catalog.length);
    expect(g.edges).toHaveLength(catalog.reduce((n, c) => n + c.dependsOn.length, 0));
    for (const a of g.nodes) {
      expect(a.x).toBe(g.columns[a.depth - 1]);
      expect(a.y).toBeGreaterThanOrEqual(o.margin.top);
      expect(a.x + o.nodeWidth).toBeLessThanOrEqual(g.width);
      expect(a.y + o.nodeHeight).toBeLessThanOrEqual(g.height);
      for (const b of g.nodes) {
        if (a !== b && a.depth === b.depth)
          expect(Math.abs(a.y - b.y)).toBeGreaterThanOrEqual(o.nodeHeight + o.rowGap - 1);
      }
    }
    const at = new Map(g.nodes.map((n) => [n.id, n]));
    for (const e of g.edges) expect(at.get(e.from)!.depth).toBeLessThan(at.get(e.to)!.depth);
    // A chain is drawn straight: smtp-send sits level with smtp-login, its only dependency.
    expect(at.get('smtp-send')!.y).toBe(at.get('smtp-login')!.y);
  });
});
