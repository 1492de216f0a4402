// Options of `m365-doctor check`. Only light imports here: --help must not load the heavy libraries.
import { normalize } from 'node:path';
import { secretFlagsOnce } from './secret-flags.js';
import type { Argv, Options } from 'yargs';
import { REPORTER_NAMES } from '../../reporters/types.js';
import { CLOUDS } from '../m365/clouds.js';
import { ACTIVITIES, CONNECTOR_PROFILES } from '../config/types.js';

export interface CheckArgs {
  config?: string;
  tenant?: string;
  clientId?: string;
  clientSecret?: string;
  clientSecretStdin?: boolean;
  username?: string;
  password?: string;
  passwordStdin?: boolean;
  /** Ask for missing secrets on the terminal (true), never (false), or when stdin and stderr are terminals (undefined). */
  prompt?: boolean;
  activities?: string[];
  profile?: string;
  cloud?: string;
  authorityHost?: string;
  graphUrl?: string;
  imap?: string;
  pop?: string;
  smtp?: string;
  caFile?: string;
  admin?: string;
  adminClientId?: string;
  adminClientSecret?: string;
  adminClientSecretStdin?: boolean;
  sendTestMail?: boolean;
  proxy?: string;
  mailProxy?: boolean;
  only?: string[];
  skip?: string[];
  timeout?: number;
  failOn: 'fail' | 'warn';
  format: string;
  report?: string[];
  plugin?: string[];
  demo?: boolean;
  scenario?: string;
  scenarioFile?: string;
  verbose?: boolean;
  quiet?: boolean;
  /** Table: every check in the bordered table (as --verbose), not one line per category. */
  all?: boolean;
  /** Fleet mode: a targets file (schemas/targets.schema.json), how many targets at once, and which slice. */
  targets?: string;
  concurrency?: number;
  shard?: string;
}

export const TARGET = 'Target (flag > M365_DOCTOR_* env > config file):';
export const SECRETS = 'Secrets (prefer stdin, env or the config file):';
const ENDPOINTS = 'Cloud and endpoints:';
const RUN = 'Selection and gating:';
const OUTPUT = 'Output:';
const DEMO = 'Emulated tenant:';
const FLEET = 'Fleet (many mailboxes in one run):';

// Options that take one value. yargs turns a repeated option into a list, which nothing downstream expects:
// the last one wins, as in most command-line tools (and as `init` does).
// The secret flags are not among them: given twice or empty they are an error (secret-flags.ts).
const SINGLE = [
  'tenant',
  'client-id',
  'username',
  'admin',
  'admin-client-id',
  'profile',
  'cloud',
  'authority-host',
  'graph-url',
  'imap',
  'pop',
  'smtp',
  'proxy',
  'timeout',
  'fail-on',
  'format',
  'scenario',
  'concurrency',
  'shard',
];
// Paths are normalized here: yargs' own `normalize` throws on a repeated option.
const PATHS = ['config', 'ca-file', 'scenario-file', 'targets'];
const lastOf = (v: unknown): unknown => (Array.isArray(v) ? v[v.length - 1] : v);
const lastPath = (v: unknown): unknown => {
  const p = lastOf(v);
  return typeof p === 'string' && p ? normalize(p) : p;
};

/** Who signs in, and with which secrets: the same options for every command that gets a token. */
export const SIGN_IN_OPTIONS = {
  config: { type: 'string', describe: 'JSON config file (schemas/config.schema.json)', group: TARGET },
  tenant: { type: 'string', describe: 'Tenant id (GUID) or verified domain', group: TARGET },
  'client-id': { type: 'string', describe: 'Application (client) id of the connector app', group: TARGET },
  username: { type: 'string', describe: 'User principal name of the mailbox user', group: TARGET },
  'client-secret-stdin': { type: 'boolean', describe: 'Read the client secret from stdin', group: SECRETS },
  'password-stdin': {
    type: 'boolean',
    describe: 'Read the user password from stdin (after the client secret when both); on a terminal, asked hidden',
    group: SECRETS,
  },
  prompt: {
    type: 'boolean',
    describe:
      'Ask for a missing secret on the terminal, hidden (the default when stdin and stderr are terminals; --no-prompt never asks)',
    group: SECRETS,
  },
  'client-secret': {
    type: 'string',
    describe: 'Client secret (lands in shell history: prefer stdin/env)',
    group: SECRETS,
  },
  password: { type: 'string', describe: 'User password (lands in shell history: prefer stdin/env)', group: SECRETS },
} as const satisfies Record<string, Options>;

export function checkOptions<T>(y: Argv<T>): Argv<T> {
  return (
    (secretFlagsOnce(y.coerce(SINGLE, lastOf).coerce(PATHS, lastPath)).options(SIGN_IN_OPTIONS) as unknown as Argv<T>)
      .option('activities', {
        type: 'string',
        array: true,
        describe: `What the connector does: ${ACTIVITIES.join(', ')} (comma list; default all)`,
        group: TARGET,
      })
      .option('profile', {
        type: 'string',
        choices: [...CONNECTOR_PROFILES],
        describe: 'Permissions the connector needs: vendor (default), delegated, app-only',
        group: TARGET,
      })
      .option('admin', {
        type: 'string',
        choices: ['device-code'],
        describe: 'Directory reader: an administrator signs in with a device code',
        group: SECRETS,
      })
      .option('admin-client-id', {
        type: 'string',
        describe:
          'Directory reader: client id of an auditing app (secret via M365_DOCTOR_ADMIN_CLIENT_SECRET or stdin)',
        group: SECRETS,
      })
      .option('admin-client-secret-stdin', {
        type: 'boolean',
        describe: "Read the auditing app's secret from stdin (last when several)",
        group: SECRETS,
      })
      .option('admin-client-secret', {
        type: 'string',
        describe: 'Auditing app secret (lands in shell history: prefer stdin/env)',
        group: SECRETS,
        hidden: true,
      })
      .option('cloud', {
        type: 'string',
        choices: Object.keys(CLOUDS),
        describe: 'Microsoft cloud of the tenant (default global)',
        group: ENDPOINTS,
      })
      .option('authority-host', {
        type: 'string',
        describe: 'Override the Entra authority host (https URL)',
        group: ENDPOINTS,
      })
      .option('graph-url', {
        type: 'string',
        describe: 'Override the Microsoft Graph root (https URL)',
        group: ENDPOINTS,
      })
      .option('imap', {
        type: 'string',
        describe: 'Override the IMAP server (HOST:PORT, implicit TLS)',
        group: ENDPOINTS,
      })
      .option('pop', {
        type: 'string',
        describe: 'Override the POP server (HOST:PORT, implicit TLS)',
        group: ENDPOINTS,
      })
      .option('smtp', { type: 'string', describe: 'Override the SMTP server (HOST:PORT, STARTTLS)', group: ENDPOINTS })
      .option('ca-file', {
        type: 'string',
        describe: 'PEM file of extra CAs trusted for every TLS connection (verification stays on)',
        group: ENDPOINTS,
      })
      .option('proxy', {
        type: 'string',
        describe:
          'HTTP(S) proxy for Entra and Graph, http://[user:pass@]host:port (default HTTPS_PROXY / HTTP_PROXY; NO_PROXY honoured)',
        group: ENDPOINTS,
      })
      .option('mail-proxy', {
        type: 'boolean',
        describe: 'Tunnel IMAP/POP/SMTP through the proxy too (HTTP CONNECT); by default they connect directly',
        group: ENDPOINTS,
      })
      .option('only', {
        type: 'string',
        array: true,
        describe: 'Run only these check ids (comma list) and what they depend on',
        group: RUN,
      })
      .option('skip', { type: 'string', array: true, describe: 'Skip these check ids (comma list)', group: RUN })
      .option('timeout', { type: 'number', describe: 'Time limit per check in ms (default 15000)', group: RUN })
      .option('fail-on', {
        type: 'string',
        choices: ['fail', 'warn'],
        default: 'fail',
        describe: 'Exit 1 on failures only, or on warnings too',
        group: RUN,
      })
      .option('send-test-mail', {
        type: 'boolean',
        describe: 'Also send one test mail from the user to itself (writes to the mailbox)',
        group: RUN,
      })
      .option('plugin', {
        type: 'string',
        array: true,
        describe: 'Load extra checks from a module path or package (repeatable)',
        group: RUN,
      })
      .option('format', {
        type: 'string',
        choices: REPORTER_NAMES,
        default: 'table',
        describe: 'Report written to stdout',
        group: OUTPUT,
      })
      .option('report', {
        type: 'string',
        array: true,
        describe: 'Also write FORMAT:FILE, e.g. junit:out/junit.xml (repeatable)',
        group: OUTPUT,
      })
      .option('verbose', { type: 'boolean', describe: 'Log what happens on stderr', group: OUTPUT })
      .option('quiet', { type: 'boolean', describe: 'No progress; the table lists problems only', group: OUTPUT })
      .option('all', {
        type: 'boolean',
        describe: 'Table: every check in a bordered table (--verbose does too), not one line per category',
        group: OUTPUT,
      })
      .option('demo', { type: 'boolean', describe: 'Check the built-in emulated tenant (no network)', group: DEMO })
      .option('scenario', {
        type: 'string',
        describe: 'Emulated tenant with a named problem (implies --demo)',
        group: DEMO,
      })
      .option('scenario-file', {
        type: 'string',
        describe: 'Emulated tenant from a JSON file (implies --demo)',
        group: DEMO,
      })
      .option('targets', {
        type: 'string',
        describe: 'Check every target of a JSON targets file (schemas/targets.schema.json)',
        group: FLEET,
      })
      .option('concurrency', { type: 'number', describe: 'Targets checked at once (default 8)', group: FLEET })
      .option('shard', {
        type: 'string',
        describe: 'Check only slice K of N (K/N), e.g. one per CI job; merge the JSON reports with "m365-doctor merge"',
        group: FLEET,
      })
      .implies('concurrency', 'targets')
      .implies('shard', 'targets')
      // A fleet takes every target value from its file; single-target inputs would be ambiguous.
      .conflicts('targets', [
        'config',
        'tenant',
        'client-id',
        'username',
        'client-secret',
        'client-secret-stdin',
        'password',
        'prompt',
        'password-stdin',
        'admin',
        'admin-client-id',
        'admin-client-secret',
        'admin-client-secret-stdin',
        'send-test-mail',
        'demo',
        'scenario',
        'scenario-file',
      ])
      .strict()
      .conflicts('verbose', 'quiet')
      .conflicts('scenario', 'scenario-file')
  );
}
