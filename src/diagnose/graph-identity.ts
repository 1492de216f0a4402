// Which credential reads user data from Graph: the connector app when its User.Read.All is consented, else the directory reader.
import type { CheckContext, Outcome } from '../core/check.js';
import type { GraphIdentity } from '../clients/types.js';

export function userReader(ctx: CheckContext): GraphIdentity | undefined {
  // The app reads users when its Graph token carries User.Read.All, whatever the profile needs.
  const roles = ctx.upstream('app-roles-graph')?.evidence.roles;
  if (Array.isArray(roles) && roles.includes('User.Read.All')) return 'app';
  if (ctx.config.admin) return 'admin';
  return undefined;
}

export const NO_USER_READER = {
  message: 'Not checked: the app has no consented User.Read.All and no directory reader was given.',
  remediation: 'Fix app-roles-graph (consent User.Read.All), or re-run with --admin device-code / --admin-client-id.',
};

export function noUserReader(): Outcome<'NO_USER_READER'> {
  return { status: 'skip', code: 'NO_USER_READER', skipReason: 'needs-directory-reader' };
}
