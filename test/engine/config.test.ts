// Configuration resolution: precedence per field, validation messages naming the field and its source, secrets.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { envLayer } from '../../src/config/env.js';
import { fileLayer } from '../../src/config/file.js';
import type { InputLayer, RawInputs } from '../../src/config/inputs.js';
import { resolveConfig } from '../../src/config/resolve.js';
import { ConfigError } from '../../src/core/errors.js';
import { Redactor } from '../../src/core/redact.js';
import { flagLayer } from '../../src/cli/flag-inputs.js';

const GUID = '0d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6';
const layer = (values: RawInputs, name = 'test'): InputLayer => ({ values, label: (k) => `${k} (${name})` });
const dir = () => mkdtempSync(join(tmpdir(), 'm365-doctor-config-'));
const errorOf = (fn: () => unknown): ConfigError => {
  try {
    fn();
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error('expected a ConfigError');
};

describe('resolveConfig', () => {
  it('uses defaults when nothing is given, and leaves missing inputs to the config check', () => {
    const { config } = resolveConfig([], new Redactor());
    expect(config).toMatchObject({
      cloud: 'global',
      tenant: '',
      clientId: '',
      username: '',
      activities: ['read-imap', 'read-pop', 'send-smtp'],
      timeoutMs: 15000,
      sendTestMail: false,
      exceptions: [],
    });
    expect(config.endpoints.imap).toEqual({ host: 'outlook.office365.com', port: 993 });
    expect(config.password).toBeUndefined();
  });

  it('resolves the connector profile from --profile, M365_DOCTOR_PROFILE or the file key profile (default vendor)', () => {
    const r = new Redactor();
    expect(resolveConfig([], r).config.profile).toBe('vendor');
    expect(resolveConfig([envLayer({ M365_DOCTOR_PROFILE: 'delegated' })], r).config.profile).toBe('delegated');
    const file = join(dir(), 'c.json');
    writeFileSync(file, JSON.stringify({ profile: 'app-only' }));
    expect(resolveConfig([fileLayer(file, {})], r).config.profile).toBe('app-only');
    const flags = flagLayer({ profile: 'delegated', failOn: 'fail', format: 'table' }, {});
    expect(resolveConfig([flags, fileLayer(file, {})], r).config.profile).toBe('delegated');
    expect(() => resolveConfig([envLayer({ M365_DOCTOR_PROFILE: 'vendr' })], r)).toThrow(
      /M365_DOCTOR_PROFILE: "vendr" is not a connector profile/,
    );
    writeFileSync(file, JSON.stringify({ profile: 'all' }));
    expect(() => fileLayer(file, {})).toThrow(/profile in c\.json: must be one of "vendor", "delegated", "app-only"/);
  });

  it('picks each field from the first layer that has it and records the source', () => {
    const { config, sources } = resolveConfig(
      [
        flagLayer({ tenant: 'flag.example.com', failOn: 'fail', format: 'table' }, {}),
        envLayer({
          M365_DOCTOR_TENANT: 'env.example.com',
          M365_DOCTOR_CLIENT_ID: GUID,
          M365_DOCTOR_CLOUD: 'usgov',
          M365_DOCTOR_IMAP: '',
        }),
        layer({ username: 'u@file.example.com', clientId: 'ignored', imap: '[::1]:1993' }, 'file'),
      ],
      new Redactor(),
    );
    expect(config).toMatchObject({
      tenant: 'flag.example.com',
      clientId: GUID,
      username: 'u@file.example.com',
      cloud: 'usgov',
    });
    expect(config.endpoints.graphUrl).toBe('https://graph.microsoft.us'); // the cloud's endpoints...
    expect(config.endpoints.imap).toEqual({ host: '::1', port: 1993 }); // ...unless overridden; empty env counts as unset
    expect(sources).toMatchObject({
      tenant: '--tenant',
      clientId: 'M365_DOCTOR_CLIENT_ID',
      username: 'username (file)',
    });
  });

  it('names the field and its source in every validation error', () => {
    const cases: [RawInputs, string][] = [
      [{ tenant: 'has space.com' }, 'tenant (t)'],
      [{ clientId: 'abc' }, 'clientId (t)'],
      [{ username: 'a@b' }, 'username (t)'],
      [{ activities: [] }, 'activities (t)'],
      [{ cloud: 'moon' }, 'cloud (t)'],
      [{ graphUrl: 'https://graph.example.com/?x=1' }, 'graphUrl (t)'],
      [{ smtp: 'smtp.example.com:0' }, 'smtp (t)'],
      [{ timeoutMs: '1.5' }, 'timeoutMs (t)'],
      [{ admin: 'browser' }, 'admin (t)'],
      [{ adminClientId: GUID }, 'adminClientId (t)'],
      [{ adminClientSecret: 'x' }, 'adminClientSecret (t)'],
    ];
    for (const [values, field] of cases) {
      const err = errorOf(() => resolveConfig([layer(values, 't')], new Redactor()));
      expect(err.field, JSON.stringify(values)).toBe(field);
      expect(err.message.startsWith(`${field}: `)).toBe(true);
      expect(err.fix.length).toBeGreaterThan(5);
    }
  });

  it('accepts the shapes Entra accepts', () => {
    for (const tenant of [GUID, 'contoso.onmicrosoft.com', 'mail.contoso.co.uk', 'organizations']) {
      expect(resolveConfig([layer({ tenant })], new Redactor()).config.tenant).toBe(tenant);
    }
    const { config } = resolveConfig(
      [layer({ activities: ['send-smtp', 'read-imap', 'send-smtp'], authorityHost: 'https://127.0.0.1:8443/' })],
      new Redactor(),
    );
    expect(config.activities).toEqual(['read-imap', 'send-smtp']);
    expect(config.endpoints.authorityHost).toBe('https://127.0.0.1:8443');
  });

  it('wraps secrets and registers them before anything can fail', () => {
    const redactor = new Redactor();
    expect(() =>
      resolveConfig(
        [layer({ password: 'pw-first-layer', clientId: 'bad' }), layer({ clientSecret: 'cs-lower-layer' })],
        redactor,
      ),
    ).toThrow(ConfigError);
    expect(redactor.scrub('pw-first-layer cs-lower-layer')).toBe('[REDACTED] [REDACTED]');
    const { config } = resolveConfig(
      [layer({ password: 'pw-first-layer', adminClientId: GUID, adminClientSecret: 'admin-secret' })],
      new Redactor(),
    );
    expect(String(config.password)).toBe('[REDACTED]');
    expect(JSON.stringify(config)).not.toContain('pw-first-layer');
    expect(config.admin).toMatchObject({ kind: 'client-secret', clientId: GUID });
  });
});

it('a partial resolution (before the demo layer) leaves pairs for later layers to complete', () => {
  expect(
    resolveConfig([layer({ adminClientSecret: 'admin-secret' })], new Redactor(), { partial: true }).config.admin,
  ).toBeUndefined();
  expect(() =>
    resolveConfig([layer({ adminClientSecret: 'admin-secret', clientId: 'bad' })], new Redactor(), { partial: true }),
  ).toThrow(/clientId/);
  const full = resolveConfig(
    [layer({ adminClientSecret: 'admin-secret' }), layer({ adminClientId: GUID }, 'demo')],
    new Redactor(),
  );
  expect(full.config.admin).toMatchObject({ kind: 'client-secret', clientId: GUID });
});

describe('config file', () => {
  it('resolves a relative caFile against the file, and secret references against the environment', () => {
    const d = dir();
    writeFileSync(join(d, 'ca.pem'), '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
    writeFileSync(
      join(d, 'c.json'),
      JSON.stringify({
        caFile: 'ca.pem',
        clientSecret: { env: 'CS' },
        admin: 'device-code',
        exceptions: [{ id: 'x', reason: 'y' }],
      }),
    );
    const file = fileLayer(join(d, 'c.json'), { CS: 'from-env' });
    expect(file.values).toMatchObject({ caFile: join(d, 'ca.pem'), clientSecret: 'from-env', admin: 'device-code' });
    const { config } = resolveConfig([file], new Redactor());
    expect(config.caPem).toContain('BEGIN CERTIFICATE');
    expect(config.admin).toEqual({ kind: 'device-code' });
    expect(config.exceptions).toEqual([{ id: 'x', reason: 'y' }]);
    expect(file.label('imap')).toBe('endpoints.imap in c.json');
  });

  it('names the bad field of an invalid file', () => {
    const d = dir();
    const cases: [unknown, string][] = [
      [{ endpoints: { imapp: 'x:1' } }, 'endpoints.imapp in c.json'],
      [{ admin: { clientId: GUID } }, 'admin.clientSecret in c.json'],
      [{ sendTestMail: 'yes' }, 'sendTestMail in c.json'],
      [{ exceptions: [{ id: 'a', reason: 'b', expires: 'tomorrow' }] }, 'exceptions[0].expires in c.json'],
      [[1, 2], '(top level) in c.json'],
    ];
    for (const [content, field] of cases) {
      writeFileSync(join(d, 'c.json'), JSON.stringify(content));
      expect(errorOf(() => fileLayer(join(d, 'c.json'), {})).field, JSON.stringify(content)).toBe(field);
    }
  });
});
