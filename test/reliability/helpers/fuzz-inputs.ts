// A seeded generator of hostile inputs: config files, argument lists and environments mutated with random
// types, truncations, huge strings, unicode, nulls and injected newlines. Same seed, same inputs.

/** mulberry32: small, fast, and enough for reproducible test inputs. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class Fuzz {
  constructor(readonly random: () => number) {}
  int(n: number): number {
    return Math.floor(this.random() * n);
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }
  chance(p: number): boolean {
    return this.random() < p;
  }

  /** A string meant to break a parser or a one-line message. */
  nastyString(): string {
    const pieces = [
      () => 'contoso.onmicrosoft.com',
      () => '6f1d2c3b-4a59-4e8f-9a0b-1c2d3e4f5a6b',
      () => 'box@contoso.com',
      () => 'outlook.office365.com:993',
      () => 'https://login.microsoftonline.com',
      () => 'read-imap',
      () => 'global',
      () => '',
      () => ' ',
      () => '\n',
      () => '\r\n',
      () => 'line1\nline2',
      () => '\u0000',
      () => '\u001b[31mred\u001b[0m',
      () => '\u202eevil\u202c',
      () => '𝓤𝓷𝓲𝓬𝓸𝓭𝓮',
      () => 'Ω≈ç√∫',
      () => '😀'.repeat(1 + this.int(50)),
      () => '\ud800',
      () => 'x'.repeat(5_000 + this.int(60_000)),
      () => 'a.'.repeat(1 + this.int(5000)) + '!',
      () => 'a-'.repeat(this.int(3000)),
      () => '../../../../etc/passwd',
      () => '%00%0a',
      () => '{"env":"X"}',
      () => '--tenant',
      () => '-1',
      () => '0',
      () => '1e309',
      () => 'NaN',
      () => '0x10',
      () => 'null',
      () => 'true',
      () => '['.repeat(this.int(100)),
      () => "'; DROP TABLE x; --",
      () => '<script>alert(1)</script>',
      () => '$(id)',
      () => '${HOME}',
      () => 'host:99999',
      () => '[::1]:993',
      () => 'https://',
      () => 'http://127.0.0.1:1',
      () => 'https://user:pw@host/x?y#z',
      () => '\t',
      () => String(this.random()),
    ];
    let s = '';
    for (let i = 1 + this.int(3); i > 0; i--) s += this.pick(pieces)();
    return s;
  }

  /** Any JSON value, nested a little. */
  jsonValue(depth = 0): unknown {
    switch (this.int(depth > 2 ? 6 : 9)) {
      case 0:
        return this.nastyString();
      case 1:
        return this.pick([0, -1, 1.5, 2 ** 53, -(2 ** 31), 1e308, 15000, 1]);
      case 2:
        return this.chance(0.5);
      case 3:
        return null;
      case 4:
        return this.pick(['', 'device-code', 'global', 'read-pop', '2027-03-31']);
      case 5:
        return this.int(100_000);
      case 6:
        return Array.from({ length: this.int(5) }, () => this.jsonValue(depth + 1));
      case 7:
        return Object.fromEntries(
          Array.from({ length: this.int(4) }, () => [
            this.pick(CONFIG_KEYS.concat(['env', 'id', 'reason', 'x'])),
            this.jsonValue(depth + 1),
          ]),
        );
      default:
        return { env: this.pick(['M365_FUZZ_SET', 'M365_FUZZ_UNSET', '', 'PATH\n']) };
    }
  }
}

export const CONFIG_KEYS = [
  'tenant',
  'clientId',
  'clientSecret',
  'username',
  'password',
  'activities',
  'cloud',
  'endpoints',
  'caFile',
  'timeoutMs',
  'admin',
  'sendTestMail',
  'exceptions',
  '$schema',
];

/** A config file that passes validation: each fuzz case starts from it and breaks something. */
export function validConfig(): Record<string, unknown> {
  return {
    tenant: 'contoso.onmicrosoft.com',
    clientId: '6f1d2c3b-4a59-4e8f-9a0b-1c2d3e4f5a6b',
    clientSecret: { env: 'M365_FUZZ_SET' },
    username: 'connector@contoso.com',
    password: 'not-a-real-password',
    activities: ['read-imap', 'send-smtp'],
    cloud: 'global',
    endpoints: { imap: 'outlook.office365.com:993', authorityHost: 'https://login.microsoftonline.com' },
    timeoutMs: 15000,
    sendTestMail: false,
    exceptions: [{ id: 'sign-in-policy', reason: 'approved', expires: '2027-03-31' }],
  };
}

/** The config file's text after one to three mutations; sometimes not JSON at all. */
export function mutateConfigText(f: Fuzz): string {
  const config = validConfig();
  const endpoints = config.endpoints as Record<string, unknown>;
  for (let i = 1 + f.int(3); i > 0; i--) {
    const target = f.chance(0.2) ? endpoints : config;
    const keys =
      target === endpoints
        ? ['authorityHost', 'graphUrl', 'imap', 'pop', 'smtp', 'bogus']
        : [...CONFIG_KEYS, 'unknownKey', 'Tenant', ''];
    const key = f.pick(keys);
    if (f.chance(0.15)) delete target[key];
    else target[key] = f.jsonValue();
  }
  let text = JSON.stringify(config, null, f.chance(0.5) ? 2 : 0);
  switch (f.int(12)) {
    case 0:
      text = text.slice(0, f.int(text.length));
      break; // truncated
    case 1:
      text = `\ufeff${text}`;
      break; // byte-order mark
    case 2:
      text = text.replace(/"tenant"/, '"tenant": 1, "tenant"');
      break; // duplicate key
    case 3:
      text = JSON.stringify(f.jsonValue());
      break; // not an object
    case 4:
      text = '';
      break;
    case 5:
      text = text.replace(/,/, ',,');
      break;
    case 6:
      text = `${'['.repeat(5000)}${']'.repeat(5000)}`;
      break; // deep nesting
    default:
      break;
  }
  return text;
}

/** Flags of `check` the fuzzer may set, each with how its value is made. */
export type ArgMaker = (f: Fuzz, ctx: { configPath: string; tmp: string; paths: readonly string[] }) => string[];

const value =
  (flag: string): ArgMaker =>
  (f) =>
    f.chance(0.1) ? [flag] : [flag, f.nastyString()];
const choice =
  (flag: string, good: string[]): ArgMaker =>
  (f) => [flag, f.chance(0.5) ? f.pick(good) : f.nastyString()];

export const ARG_MAKERS: readonly ArgMaker[] = [
  value('--tenant'),
  value('--client-id'),
  value('--username'),
  value('--password'),
  value('--client-secret'),
  choice('--activities', ['read-imap', 'read-pop,send-smtp', 'read-imap,fax', '']),
  choice('--cloud', ['global', 'usgov', 'china', 'mars']),
  choice('--authority-host', [
    'https://login.microsoftonline.com',
    'http://login.microsoftonline.com',
    'https://127.0.0.1:1',
  ]),
  choice('--graph-url', ['https://graph.microsoft.com', 'ftp://graph', 'https://graph.microsoft.com/?x=1']),
  choice('--imap', ['outlook.office365.com:993', 'outlook.office365.com', 'host:0', '[::1]:993']),
  value('--pop'),
  value('--smtp'),
  choice('--timeout', ['1', '15000', '0', '-5', '1.5', 'abc', '1e3', '99999999999999999999']),
  choice('--fail-on', ['fail', 'warn', 'error']),
  choice('--format', ['table', 'json', 'junit', 'pdf']),
  choice('--admin', ['device-code', 'password']),
  value('--admin-client-id'),
  value('--admin-client-secret'),
  (f) => [
    f.pick([
      '--send-test-mail',
      '--no-send-test-mail',
      '--send-test-mail=false',
      '--verbose',
      '--quiet',
      '--verbose=maybe',
    ]),
  ],
  (f) => ['--skip', f.pick(['config', 'imap-login', f.nastyString()])],
  // Selection stays away from real check ids other than config: the in-process run must never reach the network.
  (f) => ['--only', f.nastyString()],
  (f, c) => [
    '--report',
    f.chance(0.5)
      ? `${f.pick(['json', 'junit', 'table', 'xml', ''])}:${c.tmp}/r${f.int(1000)}.out`
      : f.pick(['json', 'json:', ':x', 'nocolon']),
  ],
  (f, c) => ['--ca-file', f.pick(c.paths)],
  (f, c) => ['--config', f.chance(0.8) ? c.configPath : f.pick(c.paths)],
  (f) => [
    f.pick(['--no-such-flag', '--tenant-id', '-x', '--', 'positional', '--client_id', '--TIMEOUT', '--clientId']),
    f.nastyString(),
  ],
];

/** An argument list: a few random flags, sometimes in --flag=value form. */
export function mutateArgs(f: Fuzz, ctx: Parameters<ArgMaker>[1]): string[] {
  const args: string[] = [];
  for (let i = f.int(5); i >= 0; i--) {
    const made = f.pick(ARG_MAKERS)(f, ctx);
    args.push(...(made.length === 2 && made[0].startsWith('--') && f.chance(0.2) ? [`${made[0]}=${made[1]}`] : made));
  }
  return args;
}

/** M365_DOCTOR_* variables with random values (the file may refer to M365_FUZZ_SET). */
export function mutateEnv(f: Fuzz): Record<string, string> {
  const env: Record<string, string> = { M365_FUZZ_SET: 'from-the-environment' };
  const names = [
    'TENANT',
    'CLIENT_ID',
    'CLIENT_SECRET',
    'USERNAME',
    'PASSWORD',
    'ACTIVITIES',
    'CLOUD',
    'AUTHORITY_HOST',
    'GRAPH_URL',
    'IMAP',
    'POP',
    'SMTP',
    'TIMEOUT',
    'ADMIN',
    'ADMIN_CLIENT_ID',
    'ADMIN_CLIENT_SECRET',
  ];
  for (let i = f.int(3); i > 0; i--) env[`M365_DOCTOR_${f.pick(names)}`] = f.nastyString().replace(/\0/g, '');
  return env;
}

/** Small changes that keep the input valid, so the runs that go on to check (exit 0 or 1) get fuzzed too. */
export function validVariant(f: Fuzz): { config: string; args: string[] } {
  const config = validConfig();
  if (f.chance(0.5)) config.activities = [f.pick(['read-imap', 'read-pop', 'send-smtp'])];
  if (f.chance(0.3)) config.cloud = f.pick(['global', 'usgov', 'usgovdod', 'china']);
  if (f.chance(0.3)) config.timeoutMs = 1 + f.int(60_000);
  if (f.chance(0.3))
    delete config[f.pick(['tenant', 'clientId', 'clientSecret', 'username', 'password', 'exceptions'])];
  if (f.chance(0.2))
    config.admin = f.chance(0.5)
      ? 'device-code'
      : { clientId: '11111111-2222-3333-4444-555555555555', clientSecret: 'x-secret' };
  const args: string[] = [];
  for (let i = f.int(3); i > 0; i--) {
    args.push(
      ...f.pick([
        ['--format', f.pick(['table', 'json', 'junit', 'markdown', 'html'])],
        ['--quiet'],
        ['--verbose'],
        ['--fail-on', 'warn'],
        ['--timeout', String(1 + f.int(30_000))],
        ['--activities', 'read-pop,send-smtp'],
        ['--tenant', '11111111-2222-3333-4444-555555555555'],
        ['--username', 'other@contoso.com'],
        ['--cloud', 'china'],
      ]),
    );
  }
  if (args.includes('--quiet') && args.includes('--verbose')) args.splice(args.indexOf('--verbose'), 1);
  return { config: JSON.stringify(config), args };
}
