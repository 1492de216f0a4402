// Entra ID error answers in the shapes Microsoft documents (reference-error-codes, v2-oauth-ropc): error_codes alone,
// AADSTS only in error_description with its Trace ID / Correlation ID / Timestamp lines, invalid_client as HTTP 400 or
// 401, suberror, codes as strings. The right AADSTS code must come out each time, from exactly one ROPC POST.
import { afterAll, describe, expect, it } from 'vitest';
import { runAgainst, startFakeM365, tokenPosts, type FakeAnswer, type FakeServer } from './helpers/fake-m365.js';

const servers: FakeServer[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

const TRACE = 'd2f3c1b0-6e7a-4b21-9c55-0a1b2c3d4e5f';
const CORR = '7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d';
const tail = `\r\nTrace ID: ${TRACE}\r\nCorrelation ID: ${CORR}\r\nTimestamp: 2026-12-05 06:12:44Z`;

function entra(status: number, body: Record<string, unknown>): FakeAnswer {
  return { status, body };
}

async function ropcAgainst(answer: FakeAnswer, inputs = {}) {
  const fake = await startFakeM365((req) =>
    req.path.endsWith('/oauth2/v2.0/token') && req.form.get('grant_type') === 'password' ? answer : undefined,
  );
  servers.push(fake);
  const run = await runAgainst(fake, { only: ['ropc-token'], inputs });
  expect(tokenPosts(fake)).toHaveLength(1);
  return run.get('ropc-token')!;
}

describe('ropc-token reads the AADSTS code from every documented error shape', { timeout: 30_000 }, () => {
  it('error_codes array, description without the AADSTS prefix', async () => {
    const r = await ropcAgainst(
      entra(400, {
        error: 'invalid_grant',
        error_description: 'Error validating credentials due to invalid username or password.',
        error_codes: [50126],
      }),
    );
    expect([r.status, r.code]).toEqual(['fail', 'AADSTS50126']);
  });

  it('AADSTS only in error_description, with Trace ID / Correlation ID / Timestamp lines', async () => {
    const r = await ropcAgainst(
      entra(400, {
        error: 'invalid_grant',
        error_description: `AADSTS50126: Error validating credentials due to invalid username or password.${tail}`,
      }),
    );
    expect([r.status, r.code]).toEqual(['fail', 'AADSTS50126']);
    expect(r.evidence.traceId).toBe(TRACE);
    expect(r.evidence.correlationId).toBe(CORR);
    expect(String(r.evidence.description)).not.toMatch(/Trace ID/);
  });

  it('the full documented body (error_codes, timestamp, trace_id, correlation_id, error_uri)', async () => {
    const r = await ropcAgainst(
      entra(400, {
        error: 'invalid_grant',
        error_description: `AADSTS50057: The user account is disabled.${tail}`,
        error_codes: [50057],
        timestamp: '2026-12-05 06:12:44Z',
        trace_id: TRACE,
        correlation_id: CORR,
        error_uri: 'https://login.microsoftonline.com/error?code=50057',
      }),
    );
    expect([r.status, r.code]).toEqual(['fail', 'AADSTS50057']);
  });

  it('error_codes as strings', async () => {
    const r = await ropcAgainst(
      entra(400, { error: 'invalid_grant', error_description: 'The account is locked.', error_codes: ['50053'] }),
    );
    expect([r.status, r.code]).toEqual(['fail', 'AADSTS50053']);
  });

  it('invalid_grant with suberror basic_action (MFA required): AADSTS50076 and the suberror kept', async () => {
    const r = await ropcAgainst(
      entra(400, {
        error: 'invalid_grant',
        error_description: `AADSTS50076: Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access '00000002-0000-0ff1-ce00-000000000000'.${tail}`,
        error_codes: [50076],
        suberror: 'basic_action',
        claims: '{"access_token":{"capolids":{"essential":true,"values":["a1b2"]}}}',
      }),
    );
    expect([r.status, r.code]).toEqual(['fail', 'AADSTS50076']);
    expect(r.evidence.suberror).toBe('basic_action');
  });

  it('interaction_required with suberror consent_required (AADSTS65001)', async () => {
    const r = await ropcAgainst(
      entra(400, {
        error: 'invalid_grant',
        error_description: `AADSTS65001: The user or administrator has not consented to use the application.${tail}`,
        error_codes: [65001],
        suberror: 'consent_required',
      }),
    );
    expect([r.status, r.code]).toEqual(['fail', 'AADSTS65001']);
  });

  it.each([400, 401])('invalid_client (wrong secret) as HTTP %i: AADSTS7000215', async (status) => {
    const r = await ropcAgainst(
      entra(status, {
        error: 'invalid_client',
        error_description: `AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.${tail}`,
        error_codes: [7000215],
      }),
      { clientSecret: 'wrong-secret-value-0123456789' },
    );
    expect([r.status, r.code]).toEqual(['fail', 'AADSTS7000215']);
  });

  it.each([400, 401])('invalid_client (confidential app, no secret) as HTTP %i: AADSTS7000218', async (status) => {
    const r = await ropcAgainst(
      entra(status, {
        error: 'invalid_client',
        error_description: `AADSTS7000218: The request body must contain the following parameter: 'client_assertion' or 'client_secret'.${tail}`,
        error_codes: [7000218],
      }),
    );
    expect([r.status, r.code]).toEqual(['fail', 'AADSTS7000218']);
  });
});

describe('discovery errors', { timeout: 30_000 }, () => {
  it('an unknown tenant (HTTP 400, AADSTS90002 in error_description only): tenant-discovery fails with AADSTS90002 and no ROPC POST is made', async () => {
    const fake = await startFakeM365((req) =>
      req.path.endsWith('/openid-configuration')
        ? entra(400, {
            error: 'invalid_tenant',
            error_description: `AADSTS90002: Tenant 'fabrikam.example' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.${tail}`,
          })
        : undefined,
    );
    servers.push(fake);
    const run = await runAgainst(fake, { only: ['ropc-token'] });
    expect([run.get('tenant-discovery')!.status, run.get('tenant-discovery')!.code]).toEqual(['fail', 'AADSTS90002']);
    expect(run.get('ropc-token')!.status).toBe('skip');
    expect(tokenPosts(fake)).toHaveLength(0);
  });
});

describe('client-credentials refusals', { timeout: 30_000 }, () => {
  it.each([400, 401])(
    'invalid_client as HTTP %i on the client-credentials POST: app-credentials AADSTS7000215, and no ROPC POST follows',
    async (status) => {
      const fake = await startFakeM365((req) =>
        req.path.endsWith('/oauth2/v2.0/token') && req.form.get('grant_type') === 'client_credentials'
          ? entra(status, {
              error: 'invalid_client',
              error_description: `AADSTS7000215: Invalid client secret provided.${tail}`,
              error_codes: [7000215],
              trace_id: TRACE,
              correlation_id: CORR,
            })
          : undefined,
      );
      servers.push(fake);
      const run = await runAgainst(fake, {
        only: ['app-credentials', 'ropc-token'],
        inputs: { clientSecret: 'wrong-secret-value-0123456789' },
      });
      expect([run.get('app-credentials')!.status, run.get('app-credentials')!.code]).toEqual(['fail', 'AADSTS7000215']);
      expect([run.get('ropc-token')!.status, run.get('ropc-token')!.code]).toEqual(['skip', 'APP_CREDENTIALS_FAILED']);
      expect(tokenPosts(fake)).toHaveLength(0);
    },
  );
});
