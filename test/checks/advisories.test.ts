// The dated advisories: each has Microsoft's source and an "as of" date, never speaks of a passed date as future,
// and is pinned in its wording for today. The review test fails once an advisory's undated follow-up is due.
import { describe, expect, it } from 'vitest';
import { ADVISORIES, advisory, advisoryText } from '../../src/m365/advisories.js';
import { EXCHANGE_SCOPES } from '../../src/emulator/ids.js';
import { EXCHANGE_APP_ID } from '../../src/emulator/model.js';
import { healthyTenant } from '../../src/emulator/tenant.js';
import { runScenario, runTenant } from './run-scenario.js';

const today = new Date().toISOString().slice(0, 10);

describe.each(ADVISORIES.map((a) => [a.id, a] as const))('advisory %s', (_id, a) => {
  it('has sources (https) and a valid "as of" date not in the future', () => {
    expect(a.sources.length).toBeGreaterThan(0);
    for (const s of a.sources) expect(s).toMatch(/^https:\/\/[a-z0-9.-]+\//);
    expect(a.asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(a.asOf <= today).toBe(true);
  });

  it('is not past its review date (re-check the sources and update it when this fails)', () => {
    expect(today <= a.reviewBy, `${a.id} needed a review by ${a.reviewBy}`).toBe(true);
  });

  it('speaks of each milestone in the future before its date and in the past from it', () => {
    for (const m of a.milestones) {
      expect(m.before).toMatch(/\bwill\b/);
      expect(m.after).not.toMatch(/\bwill\b/);
      const dayBefore = new Date(Date.parse(`${m.date}T00:00:00Z`) - 1000);
      expect(advisoryText(a, dayBefore)).toContain(m.before);
      expect(advisoryText(a, new Date(`${m.date}T00:00:00Z`))).toContain(m.after);
      expect(advisoryText(a, new Date(`${m.date}T00:00:00Z`))).not.toContain(m.before);
    }
  });

  it('names its "as of" date and main source in the text', () => {
    expect(advisoryText(a)).toContain(`(as of ${a.asOf}; source: ${a.sources[0]})`);
  });
});

describe('advisory wording pinned for 2026-12-02', () => {
  const at = new Date('2026-12-02T12:00:00Z');
  it('SMTP AUTH Basic: off by default at the end of December 2026, final date announced in the second half of 2027', () => {
    const text = advisoryText(advisory('smtp-basic-auth'), at);
    expect(text).toContain(
      'At the end of December 2026 Exchange Online will turn SMTP AUTH Basic authentication off by default for existing tenants',
    );
    expect(text).toContain('final removal date in the second half of 2027');
  });
  it('SMTP AUTH Basic on 2027-01-01 speaks in the past', () => {
    expect(advisoryText(advisory('smtp-basic-auth'), new Date('2027-01-01T00:00:00Z'))).toContain(
      'Since the end of December 2026 SMTP AUTH Basic authentication is off by default',
    );
  });
  it('EWS: blocked since 2026-10-01 unless allow-listed, shut down on 2027-04-01', () => {
    const text = advisoryText(advisory('ews-retirement'), at);
    expect(text).toContain('Since 2026-10-01 EWS in Exchange Online is blocked unless');
    expect(text).toContain('On 2027-04-01 EWS in Exchange Online will be shut down');
  });
  it('ROPC: deprecated in MSAL', () => {
    expect(advisoryText(advisory('ropc-deprecated'), at)).toContain('acquireTokenByUsernamePassword is @deprecated');
  });
});

describe('advisories in a run where the evidence applies', () => {
  it('smtp-login and ropc-token carry theirs; no EWS advisory when the app requests no EWS permission', async () => {
    const { results } = await runScenario('healthy');
    expect(results.get('smtp-login')!.evidence.advisory).toBe(advisoryText(advisory('smtp-basic-auth')));
    expect(results.get('ropc-token')!.evidence.advisory).toBe(advisoryText(advisory('ropc-deprecated')));
    expect(results.get('app-registration')!.evidence).not.toHaveProperty('advisory');
  }, 30_000);

  it('app-registration carries the EWS advisory when the app also requests EWS.AccessAsUser.All', async () => {
    const t = healthyTenant();
    const app = t.tenant.applications.find((a) => a.appId === t.credentials.clientId)!;
    const exchange = app.requiredResourceAccess.find((r) => r.resourceAppId === EXCHANGE_APP_ID);
    const ews = { id: EXCHANGE_SCOPES['EWS.AccessAsUser.All'], type: 'Scope' as const };
    if (exchange) exchange.resourceAccess.push(ews);
    else app.requiredResourceAccess.push({ resourceAppId: EXCHANGE_APP_ID, resourceAccess: [ews] });
    const { results } = await runTenant(t);
    const r = results.get('app-registration')!;
    expect(r.status).toBe('pass');
    expect(r.evidence.advisory).toBe(advisoryText(advisory('ews-retirement')));
    expect(String(r.evidence.advisory)).toContain('https://blog.tophhie.cloud/m365-message-center/message/mc1227454/');
  }, 30_000);
});
