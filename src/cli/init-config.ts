// What `m365-doctor init` writes: the answers, checked with the validators of config resolution, as a
// config file whose secrets are only references to environment variables.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { CLOUDS } from '../config/clouds.js';
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

const fromProblem = (problem: (v: string) => string | undefined): Parse<string> => (raw) => {
  const value = raw.trim();
  const p = problem(value);
  return p ? { problem: p } : { value };
};

export const parseTenant = fromProblem(tenantProblem);
export const parseClientId = fromProblem(guidProblem);
export const parseUsername = fromProblem(upnProblem);

/** "read-imap, send-smtp" -> in catalog order, as config resolution keeps them. */
export const parseActivities: Parse<Activity[]> = (raw) => {
  const named = raw.split(',').map((s) => s.trim()).filter(Boolean);
  if (!named.length) return { problem: `name one or more of ${ACTIVITIES.join(', ')}` };
  const unknown = named.find((a) => !ACTIVITIES.includes(a as Activity));
  if (unknown) return { problem: `"${unknown}" is not an activity (use ${ACTIVITIES.join(', ')})` };
  return { value: ACTIVITIES.filter((a) => named.includes(a)) };
};

export const parseCloud: Parse<Cloud> = (raw) => {
  const value = raw.trim().toLowerCase();
  return value in CLOUDS ? { value: value as Cloud } : { problem: `"${raw.trim()}" is not a cloud (use ${Object.keys(CLOUDS).join(', ')})` };
};

/** Same rule as the schema's { "env": NAME }. */
export const parseEnvName = fromProblem((v) => (/^[A-Za-z_][A-Za-z0-9_]*$/.test(v) ? undefined
  : `"${v}" is not an environment variable name (letters, digits and _)`));

/**
 * "$schema" for editors: the installed package's schema by a relative path when the file sits in a project
 * that has m365-doctor in node_modules, otherwise the schema's published URL (its $id).
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
  const schema = JSON.parse(readFileSync(join(packageRoot(), 'schemas', 'config.schema.json'), 'utf8')) as { $id: string };
  return schema.$id;
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
