// Turns parsed flags (and stdin secrets) into the highest-precedence input layer.
import { splitList } from '../config/env.js';
import { FLAG_OF, type InputLayer, type RawInputs } from '../config/inputs.js';
import type { CheckArgs } from './check-options.js';

const PLAIN_SECRET_FLAGS = [
  ['clientSecret', '--client-secret', '--client-secret-stdin or M365_DOCTOR_CLIENT_SECRET'],
  ['password', '--password', '--password-stdin or M365_DOCTOR_PASSWORD'],
  ['adminClientSecret', '--admin-client-secret', '--admin-client-secret-stdin or M365_DOCTOR_ADMIN_CLIENT_SECRET'],
] as const;

/** Comma lists may also be repeated flags: --only a,b --only c. */
export function listFlag(values: string[] | undefined): string[] | undefined {
  return values?.flatMap(splitList);
}

/** Warnings for secrets typed on the command line, where shell history and `ps` can see them. */
export function plainSecretWarnings(args: CheckArgs): string[] {
  return PLAIN_SECRET_FLAGS.filter(([key]) => args[key] !== undefined).map(
    ([, flag, better]) =>
      `warning: ${flag} puts the secret in your shell history and the process list; use ${better} instead.`,
  );
}

export function flagLayer(
  args: CheckArgs,
  stdinSecrets: Partial<Record<'clientSecret' | 'password' | 'adminClientSecret', string>>,
): InputLayer {
  const values: RawInputs = {
    tenant: args.tenant,
    clientId: args.clientId,
    username: args.username,
    clientSecret: stdinSecrets.clientSecret ?? args.clientSecret,
    password: stdinSecrets.password ?? args.password,
    adminClientSecret: stdinSecrets.adminClientSecret ?? args.adminClientSecret,
    activities: listFlag(args.activities),
    profile: args.profile,
    cloud: args.cloud,
    authorityHost: args.authorityHost,
    graphUrl: args.graphUrl,
    imap: args.imap,
    pop: args.pop,
    smtp: args.smtp,
    caFile: args.caFile,
    timeoutMs: args.timeout,
    admin: args.admin,
    adminClientId: args.adminClientId,
    sendTestMail: args.sendTestMail,
    proxy: args.proxy,
    mailProxy: args.mailProxy,
  };
  const viaStdin = new Set(Object.keys(stdinSecrets));
  return { values, label: (key) => (viaStdin.has(key) ? `${FLAG_OF[key]}-stdin` : FLAG_OF[key]) };
}
