// What `m365-doctor init` writes: the answers, checked with the validators of config resolution, as a
// config file whose secrets are only references to environment variables.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { CLOUDS } from '../m365/clouds.js';
import { packageRoot } from '../config/package-root.js';
import { ACTIVITIES, type Activity, type Cloud } from '../config/types.js';
import { guidProblem, tenantProblem, upnProblem } from '../config/validate.js';
import type { Parse } from './prompt.js';

export const DEFAULT_CONFIG_FILE = 'm365-doctor.json';
export const SECRET_ENV = { clientSecret: 'M365_DOCTOR_CLIENT_SECRET', password: 'M365_DOCTOR_PASSWORD' } as const;

export interface InitAnswers {
  tenant: string;
  clientId: string;
  username: string;
  activities: Activity[];
  cloud: Cloud;
  clientSecretEnv: string;
  passwordEnv: string;
}

const fromProblem =
  (problem: (v: string) => string | undefined): Parse<string> =>
  (raw) => {
    const value = raw.trim();
    const p = problem(value);
    return p ? { problem: p } : { value };
  };

/**
 * Stricter than config resolution, which lets the config check explain these at run time: a file `init` writes
 * must name one tenant, because the password grant (ROPC) and the directory reads are about that tenant.
 */
export const parseTenant = fromProblem((v) =>
  /^(common|organizations|consumers)$/i.test(v)
    ? `"${v}" is a multi-tenant sign-in endpoint, not a tenant: the password grant (ROPC) needs one specific tenant, its id (GUID) or a verified domain such as contoso.onmicrosoft.com`
    : tenantProblem(v),
);
export const parseClientId = fromProblem(guidProblem);
export const parseUsername = fromProblem(upnProblem);

/** "read-imap, send-smtp" -> in catalog order, as config resolution keeps them. */
export const parseActivities: Parse<Activity[]> = (raw) => {
  const named = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (!named.length) return { problem: `name one or more of ${ACTIVITIES.join(', ')}` };
  const unknown = named.find((a) => !ACTIVITIES.includes(a as Activity));
  if (unknown) return { problem: `"${unknown}" is not an activity (use ${ACTIVITIES.join(', ')})` };
  return { value: ACTIVITIES.filter((a) => named.includes(a)) };
};

export const parseCloud: Parse<Cloud> = (raw) => {
  const value = raw.trim().toLowerCase();
  return value in CLOUDS
    ? { value: value as Cloud }
    : { problem: `"${raw.trim()}" is not a cloud (use ${Object.keys(CLOUDS).join(', ')})` };
};

/** Same rule as the schema's { "env": NAME }. */
export const parseEnvName = fromProblem((v) =>
  /^[A-Za-z_][A-Za-z0-9_]*$/.test(v) ? undefined : `"${v}" is not an environment variable name (letters, digits and _)`,
);

/**
 * "$schema" for editors: the installed package's schema by a relative path when the file sits in a project
 * that has m365-doctor in node_modules, otherwise the raw file behind the schema's $id: the $id is a GitHub page,
 * which serves HTML, where an editor needs the JSON itself.
 */
export function schemaReference(fileDir: string): string {
  for (let dir = fileDir; ; dir = dirname(dir)) {
    const installed = join(dir, 'node_modules', 'm365-doctor', 'schemas', 'config.schema.json');
    if (existsSync(installed)) {
      const rel = relative(fileDir, installed).split(sep).join('/');
      return rel.startsWith('.') ? rel : `./${rel}`;
    }
    if (dirname(dir) === dir) break;
  }
  const schema = JSON.parse(readFileSync(join(packageRoot(), 'schemas', 'config.schema.json'), 'utf8')) as {
    $id: string;
  };
  return rawUrl(schema.$id);
}

/** The file's text. Secrets appear only as { "env": NAME }: the file can be committed and shared. */
export function configFileText(answers: InitAnswers, schemaRef: string): string {
  const file = {
    $schema: schemaRef,
    tenant: answers.tenant,
    clientId: answers.clientId,
    clientSecret: { env: answers.clientSecretEnv },
    username: answers.username,
    password: { env: answers.passwordEnv },
    activities: answers.activities,
    cloud: answers.cloud,
  };
  return `${JSON.stringify(file, null, 2)}\n`;
}

/** https://github.com/OWNER/REPO/blob/REF/PATH -> https://raw.githubusercontent.com/OWNER/REPO/REF/PATH */
export function rawUrl(githubUrl: string): string {
  const m = /^https:\/\/github\.com\/([^/]+)\/([^/]+)\/blob\/(.+)$/.exec(githubUrl);
  return m ? `https://raw.githubusercontent.com/${m[1]}/${m[2]}/${m[3]}` : githubUrl;
}
