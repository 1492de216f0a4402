// user-account: the mailbox user exists, is enabled and is a member of the tenant (Graph).
import { defineCheck } from '../src/core/check.js';
import { GraphError } from '../src/core/errors.js';
import { userByMailPath, userPath, type GraphUser } from '../src/m365/graph-paths.js';
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
    description:
      'Reads the user from Microsoft Graph (application permission User.Read.All). The mailbox user must exist in the ' +
      'tenant, be enabled for sign-in and be a member: guests have no mailbox here and cannot use the password grant. The ' +
      'user name should be its user principal name, and, when the connector sends, also an address of its mailbox.',
    codes: {
      USER_OK: { message: '{upn} exists, is enabled and is a member (object id {id}).' },
      BLOCKED_APP_ONLY_OK: {
        message:
          "{upn} is blocked from signing in, as a shared mailbox is; the app-only profile opens its mailbox with the app's token, which that does not stop (object id {id}).",
      },
      USER_NOT_FOUND: {
        message: 'No user {username} in the tenant.',
        remediation:
          'Check the user principal name (Microsoft 365 admin center > Users > Active users), or create the service account and license it.',
      },
      USER_DISABLED: {
        message: '{upn} is blocked from signing in (accountEnabled = false).',
        remediation:
          'Unblock it: Microsoft 365 admin center > Users > the user > Block sign-in off, or Update-MgUser -UserId {id} -AccountEnabled:$true',
      },
      USER_IS_GUEST: {
        message: '{upn} is a guest, not a member: it has no mailbox in this tenant and cannot use the password grant.',
        remediation: 'Use a member account of the tenant that owns the mailbox.',
      },
      USERNAME_NOT_UPN: {
        message: '{username} is not a user principal name but the mail address of {upn}.',
        remediation:
          "Configure the connector with the user principal name {upn}: Exchange SMTP AUTH refuses an XOAUTH2 user= that is not the token's UPN, and the password grant accepts {username} only while email as an alternate login ID is enabled for the tenant.",
      },
      UPN_NOT_AN_ADDRESS: {
        message:
          '{upn} is not an address of its mailbox (primary address {mail}): mail sent from {upn} is refused with 554 5.2.252 SendAsDenied.',
        remediation:
          "Send from {mail} (the connector's From address), or add {upn} to the mailbox's addresses: Connect-ExchangeOnline; Set-Mailbox -Identity {mail} -EmailAddresses @{Add='smtp:{upn}'} (its domain must be an accepted domain).",
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
    const { username } = ctx.config;
    let user: GraphUser | undefined;
    try {
      user = await ctx.clients.graph.get<GraphUser>(userPath(username), as);
    } catch (err) {
      if (!(err instanceof GraphError && err.info.status === 404)) throw err;
      // /users/{x} takes an id or a UPN only: a connector configured with the mail address is found by it.
      [user] = await ctx.clients.graph.list<GraphUser>(userByMailPath(username), as);
      if (!user) {
        return {
          status: 'fail',
          code: 'USER_NOT_FOUND',
          data: { username },
          evidence: { graphCode: err.info.code, requestId: err.info.requestId ?? null },
        };
      }
    }
    const addresses = (user.proxyAddresses ?? []).filter((p) => /^smtp:/i.test(p)).map((p) => p.slice(5));
    const mail = user.mail ?? addresses[0] ?? '';
    const upn = user.userPrincipalName ?? username;
    const data = { upn, id: user.id, username, mail };
    const evidence = {
      id: user.id,
      userPrincipalName: user.userPrincipalName,
      accountEnabled: user.accountEnabled ?? null,
      userType: user.userType ?? null,
      mail: user.mail ?? null,
      addresses,
      onPremisesSyncEnabled: user.onPremisesSyncEnabled ?? null,
      readAs: as,
    };
    // App-only connectors name the mailbox, not a sign-in: a blocked account (a shared mailbox) and any of the
    // mailbox's addresses are right there.
    const signsIn = ctx.config.profile !== 'app-only';
    if (signsIn && user.accountEnabled === false) return { status: 'fail', code: 'USER_DISABLED', data, evidence };
    if (user.userType === 'Guest') return { status: 'fail', code: 'USER_IS_GUEST', data, evidence };
    if (signsIn && upn.toLowerCase() !== username.toLowerCase())
      return { status: 'warn', code: 'USERNAME_NOT_UPN', data, evidence };
    // Exchange submits mail only from an address of the mailbox: a connector that sends as its UPN needs it to be one.
    const sends = ctx.config.activities.includes('send-smtp');
    const isAddress = [mail, ...addresses].some((a) => a.toLowerCase() === username.toLowerCase());
    if (sends && mail && !isAddress) return { status: 'warn', code: 'UPN_NOT_AN_ADDRESS', data, evidence };
    if (user.accountEnabled === false) return { status: 'pass', code: 'BLOCKED_APP_ONLY_OK', data, evidence };
    return { status: 'pass', code: 'USER_OK', data, evidence };
  },
});
