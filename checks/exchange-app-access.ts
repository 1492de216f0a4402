// exchange-app-access: app-only IMAP/POP login to the mailbox proves New-ServicePrincipal and FullAccess were done right.
import { readRoles } from '../src/auth/claims.js';
import { defineCheck } from '../src/core/check.js';
import type { Activity } from '../src/config/types.js';
import { appObjectIds } from '../src/diagnose/app-smtp.js';
import { appMailboxCause } from '../src/diagnose/login-token.js';
import { loginEvidence, loginWorked, notConnected } from '../src/diagnose/mail-outcome.js';
import { NOT_IN_PROFILE, notInProfile } from '../src/diagnose/profile.js';
import { skipForUnknownUser } from '../src/diagnose/unknown-user.js';

export default defineCheck({
  meta: {
    id: 'exchange-app-access',
    title: 'App-only mailbox access (Exchange service principal)',
    category: 'exchange',
    // Its input is the app-only Exchange token, which needs the app's valid credentials. A token without the role is still tried.
    dependsOn: ['app-credentials'],
    after: ['user-account'],
    // Read only to explain a refusal (or to name the app's object id), so the app-only login runs beside the
    // delegated ones instead of after them: two round trips off the run's critical path over a real network.
    consults: ['app-roles-exchange', 'imap-login', 'pop-login', 'app-registration', 'user-license'],
    description:
      'Logs into the mailbox over IMAP (or POP) with the app-only client-credentials token. Exchange accepts it only if the ' +
      "app's service principal was registered in Exchange with New-ServicePrincipal using the enterprise application's object id " +
      "(not the app registration's), and the mailbox granted it FullAccess with Add-MailboxPermission.",
    codes: {
      APP_ACCESS_OK: { message: 'App-only {protocol} login to {mailbox} worked: "{afterAuthLine}".' },
      EXCHANGE_SP_NOT_REGISTERED: {
        message:
          'Exchange refused the app-only token ("{authLine}"): the app\'s service principal is not registered in Exchange, or was registered with the wrong object id.',
        remediation:
          'In Exchange Online PowerShell: Connect-ExchangeOnline; Get-ServicePrincipal | Where-Object AppId -eq "{clientId}" | Format-List ObjectId. If it is missing, or shows {appObjectId} (the app registration\'s object id) instead of {spObjectId}, run Remove-ServicePrincipal for the wrong one and then: New-ServicePrincipal -AppId {clientId} -ObjectId {spObjectId} -DisplayName "m365-doctor connector"; Add-MailboxPermission -Identity {mailbox} -User {spObjectId} -AccessRights FullAccess',
      },
      NO_MAILBOX_PERMISSION: {
        message:
          'The app signed in to {protocol} but cannot open {mailbox} ("{afterAuthLine}"): it has no FullAccess on the mailbox.',
        remediation:
          'Connect-ExchangeOnline; Add-MailboxPermission -Identity {mailbox} -User {spObjectId} -AccessRights FullAccess. Check with Get-MailboxPermission {mailbox} | Where-Object User -like "*{spObjectId}*".',
      },
      IMAP_DISABLED_FOR_MAILBOX: {
        message: 'The app signed in but IMAP is disabled for {mailbox} ("{afterAuthLine}"), as imap-login found.',
        remediation: 'Connect-ExchangeOnline; Set-CASMailbox -Identity {mailbox} -ImapEnabled $true',
      },
      POP_DISABLED_FOR_MAILBOX: {
        message: 'The app signed in but POP is disabled for {mailbox} ("{afterAuthLine}"), as pop-login found.',
        remediation: 'Connect-ExchangeOnline; Set-CASMailbox -Identity {mailbox} -PopEnabled $true',
      },
      NOT_NEEDED: { message: 'No reading activity chosen: app-only mailbox access is not used.' },
      NO_USABLE_MAILBOX: {
        message:
          'Not checked: {check} found no usable mailbox for {mailbox}, so an app-only login would prove nothing.',
      },
      ROLES_MISSING: {
        message:
          'Exchange refused the app-only {protocol} login ("{authLine}"): the token lacks {role}, as app-roles-exchange found.',
        remediation:
          'Fix app-roles-exchange: add Office 365 Exchange Online > Application permissions > {role} to app {clientId} and grant admin consent.',
      },
      NO_MAILBOX: {
        message:
          'Exchange refused the app-only {protocol} login ("{authLine}"): {mailbox} has no mailbox, as {check} found.',
        remediation: 'Fix {check} first (a licensed, enabled member account has a mailbox), then re-run.',
      },
      NOT_IN_PROFILE,
    },
  },
  // A second session of its own (the read-login check takes the first): its opening overlaps the token requests.
  prepare(ctx) {
    const protocol = appProtocol(ctx.config.activities);
    if (protocol) ctx.clients.mail.preconnect?.(protocol);
  },
  async run(ctx) {
    const protocol = appProtocol(ctx.config.activities);
    if (!protocol) return { status: 'skip', code: 'NOT_NEEDED', skipReason: 'not-applicable' };
    if (ctx.config.profile === 'delegated')
      return notInProfile(ctx, "the delegated profile reads mail with the user's token only");
    if (ctx.config.profile === 'app-only')
      return notInProfile(ctx, `${protocol}-login already logs in with the app-only token`);
    // A missing user leaves no mailbox to open: the login could prove nothing about the app.
    const noUser = skipForUnknownUser(ctx, 'NO_USABLE_MAILBOX', {
      check: 'user-account',
      mailbox: ctx.config.username,
    });
    if (noUser) return noUser;
    const token = await ctx.clients.tokens.appOnly('exchange');
    const request = { user: ctx.config.username, accessToken: token.accessToken, signal: ctx.signal };
    const r = protocol === 'imap' ? await ctx.clients.mail.imap(request) : await ctx.clients.mail.pop(request);
    const { spObjectId, appObjectId } = await appObjectIds(ctx, token);
    const data = {
      protocol: protocol.toUpperCase(),
      mailbox: ctx.config.username,
      clientId: ctx.config.clientId,
      spObjectId,
      appObjectId,
      authLine: r.authLine,
      afterAuthLine: r.afterAuthLine ?? '',
    };
    const evidence = {
      ...loginEvidence(r),
      servicePrincipalObjectId: spObjectId,
      roles: readRoles(token.claims) ?? [],
    };
    if (loginWorked(r)) return { status: 'pass', code: 'APP_ACCESS_OK', data, evidence };
    if (!r.authenticated) {
      const role = protocol === 'imap' ? 'IMAP.AccessAsApp' : 'POP.AccessAsApp';
      const roles = await ctx.settled('app-roles-exchange');
      if (roles?.status === 'fail' && !evidence.roles.includes(role))
        return {
          status: 'fail',
          code: 'ROLES_MISSING',
          data: { ...data, role },
          evidence,
          causedBy: 'app-roles-exchange',
        };
      const mailboxCheck = await appMailboxCause(ctx);
      if (mailboxCheck)
        return {
          status: 'fail',
          code: 'NO_MAILBOX',
          data: { ...data, check: mailboxCheck },
          evidence,
          causedBy: mailboxCheck,
        };
      return { status: 'fail', code: 'EXCHANGE_SP_NOT_REGISTERED', data, evidence };
    }
    if (notConnected(r)) {
      const delegated = await ctx.settled(protocol === 'imap' ? 'imap-login' : 'pop-login');
      const disabled = protocol === 'imap' ? 'IMAP_DISABLED_FOR_MAILBOX' : 'POP_DISABLED_FOR_MAILBOX';
      if (delegated?.code === disabled)
        return { status: 'fail', code: disabled, data, evidence, causedBy: delegated.id };
    }
    return { status: 'fail', code: 'NO_MAILBOX_PERMISSION', data, evidence };
  },
});

/** The protocol the app-only login uses: IMAP when reading over IMAP is chosen, else POP, else none. */
function appProtocol(acts: readonly Activity[]): 'imap' | 'pop' | undefined {
  return acts.includes('read-imap') ? 'imap' : acts.includes('read-pop') ? 'pop' : undefined;
}
