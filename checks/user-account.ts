// user-account: the mailbox user exists, is enabled and is a member of the tenant (Graph).
import { defineCheck } from '../src/check.js';
import { GraphError } from '../src/errors.js';
import { userPath, type GraphUser } from '../src/diagnose/graph-paths.js';
import { missingInput, NO_INPUT } from '../src/diagnose/inputs.js';
import { NO_USER_READER, noUserReader, userReader } from '../src/diagnose/graph-identity.js';

export default defineCheck({
  meta: {
    id: 'user-account',
    title: 'User account is usable',
    category: 'graph',
    // Graph tokens are issued by the tenant's authority: a tenant not found (or in another cloud) issues none.
    dependsOn: ['tenant-discovery'],
    after: ['app-roles-graph'],
    description: 'Reads the user from Microsoft Graph (application permission User.Read.All). The mailbox user must exist in the ' +
      'tenant, be enabled for sign-in and be a member: guests have no mailbox here and cannot use the password grant.',
    codes: {
      USER_OK: { message: '{upn} exists, is enabled and is a member (object id {id}).' },
      USER_NOT_FOUND: {
        message: 'No user {username} in the tenant.',
        remediation: 'Check the user principal name (Microsoft 365 admin center > Users > Active users), or create the service account and license it.',
      },
      USER_DISABLED: {
        message: '{upn} is blocked from signing in (accountEnabled = false).',
        remediation: 'Unblock it: Microsoft 365 admin center > Users > the user > Block sign-in off, or Update-MgUser -UserId {id} -AccountEnabled:$true',
      },
      USER_IS_GUEST: {
        message: '{upn} is a guest, not a member: it has no mailbox in this tenant and cannot use the password grant.',
        remediation: 'Use a member account of the tenant that owns the mailbox.',
      },
      NO_USER_READER,
      NO_INPUT,
    },
  },
  async run(ctx) {
    const noInput = missingInput(ctx, ['username']);
    if (noInput) return noInput;
    const as = userReader(ctx);
    if (!as) return noUserReader();
    let user: GraphUser;
    try {
      user = await ctx.clients.graph.get<GraphUser>(userPath(ctx.config.username), as);
    } catch (err) {
      if (err instanceof GraphError && err.info.status === 404) {
        return { status: 'fail', code: 'USER_NOT_FOUND', data: { username: ctx.config.username }, evidence: { graphCode: err.info.code, requestId: err.info.requestId ?? null } };
      }
      throw err;
    }
    const data = { upn: user.userPrincipalName ?? ctx.config.username, id: user.id };
    const evidence = {
      id: user.id, userPrincipalName: user.userPrincipalName, accountEnabled: user.accountEnabled ?? null,
      userType: user.userType ?? null, mail: user.mail ?? null, onPremisesSyncEnabled: user.onPremisesSyncEnabled ?? null, readAs: as,
    };
    if (user.accountEnabled === false) return { status: 'fail', code: 'USER_DISABLED', data, evidence };
    if (user.userType === 'Guest') return { status: 'fail', code: 'USER_IS_GUEST', data, evidence };
    return { status: 'pass', code: 'USER_OK', data, evidence };
  },
});
