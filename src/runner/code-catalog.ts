// Codes a report can hold that no check declares: the network layer's, the runner's, Entra's OAuth error classes,
// Microsoft Graph's error codes and Exchange's SMTP status codes. `explain` and error remediations read them here.
// Placeholders: {host}, {port}, {phase} (filled from the failure), plus the run's {tenant}, {clientId}, {username}.
import type { CodeText } from '../core/check.js';
import { PROXY_CODES } from '../net/proxy-codes.js';

export type CodeSource = 'network' | 'runner' | 'entra' | 'graph' | 'smtp';

export interface CatalogEntry extends CodeText {
  source: CodeSource;
  /** Where Microsoft (or the RFC) documents the code, when someone does. */
  reference?: string;
}

// m365-doctor opens its connections itself (src/net, src/mail): no HTTPS_PROXY, no SOCKS. Say so wherever it matters.
const PROXY_NOTE =
  'm365-doctor connects directly and does not use a proxy (HTTPS_PROXY and similar are ignored): where outbound traffic ' +
  'may only leave through a proxy, run it from a host allowed to reach {host}:{port} directly, or have that connection allowed.';
const FIREWALL =
  'Check that an outbound firewall rule (host firewall, network firewall, cloud security group) allows TCP {port} to {host} ' +
  'from this machine; test with Test-NetConnection {host} -Port {port} (Windows) or nc -vz {host} {port}.';
const GRAPH_ERRORS = 'https://learn.microsoft.com/graph/errors';
const OAUTH_ERRORS = 'https://learn.microsoft.com/entra/identity-platform/reference-error-codes';
const EXO_SMTP =
  'https://learn.microsoft.com/exchange/mail-flow-best-practices/fix-issues-with-printers-scanners-and-lob-applications-that-send-email-using-off';

const net = (message: string, remediation: string, reference?: string): CatalogEntry => ({
  source: 'network',
  message,
  remediation,
  ...(reference ? { reference } : {}),
});
const entra = (message: string, remediation: string): CatalogEntry => ({
  source: 'entra',
  message,
  remediation,
  reference: OAUTH_ERRORS,
});
const graph = (message: string, remediation: string, reference = GRAPH_ERRORS): CatalogEntry => ({
  source: 'graph',
  message,
  remediation,
  reference,
});
const smtp = (message: string, remediation: string, reference?: string): CatalogEntry => ({
  source: 'smtp',
  message,
  remediation,
  ...(reference ? { reference } : {}),
});

export const GENERAL_CODES: Record<string, CatalogEntry> = {
  // The HTTP proxy's answers to CONNECT (src/net/proxy-errors.ts).
  ...Object.fromEntries(Object.entries(PROXY_CODES).map(([k, v]) => [k, { source: 'network' as const, ...v }])),
  // Network layer (src/core/errors.ts NetErrorCode); TIMEOUT is also the runner's code for a check over its time limit.
  TIMEOUT: {
    source: 'network',
    message: 'Nothing answered from {host} port {port} in time ({phase}), or the check ran over its time limit.',
    remediation: `${FIREWALL} A firewall that drops packets, rather than refusing them, shows as a timeout. ${PROXY_NOTE} If the network is only slow, raise --timeout.`,
  },
  DNS_NOT_FOUND: net(
    'The host name {host} could not be resolved.',
    `Check the spelling of the host (--authority-host, --graph-url, --imap, --pop, --smtp and --cloud decide it) and resolve it from this machine: nslookup {host}. ${PROXY_NOTE} A network that resolves external names only through a proxy has to let this machine use DNS.`,
  ),
  CONNECTION_REFUSED: net(
    '{host} refused the connection on port {port}: nothing listens there, or a firewall rejects it.',
    `Check the port (IMAP 993, POP 995, SMTP 587, HTTPS 443) and ${FIREWALL.charAt(0).toLowerCase()}${FIREWALL.slice(1)} ${PROXY_NOTE}`,
  ),
  CONNECTION_RESET: net(
    '{host} reset the connection during {phase}.',
    `A firewall, TLS-inspecting proxy or load balancer in between often does this. ${FIREWALL} Then re-run; if it persists, attach the JSON report to a ticket.`,
  ),
  CONNECTION_CLOSED: net(
    '{host} closed the connection in the middle of {phase}.',
    `The server ended the session early: a relay or proxy in between, or a server that refuses this client. Check that {host}:{port} is the Exchange Online endpoint of your cloud, then re-run.`,
  ),
  TLS_UNTRUSTED: net(
    'The TLS certificate of {host} is not trusted.',
    'A TLS-inspecting proxy or a private CA signed it: pass that CA with --ca-file (PEM), or exempt {host} from TLS inspection. Never turn certificate checks off.',
  ),
  TLS_HOSTNAME_MISMATCH: net(
    'The TLS certificate of {host} was issued for another host name.',
    'Connect by a name the certificate holds (the evidence lists them); a proxy answering for {host} must present a certificate for it.',
  ),
  TLS_EXPIRED: net(
    'The TLS certificate of {host} has expired or is not valid yet.',
    "Check this machine's clock first; then whoever runs the server (or the proxy in between) must renew the certificate.",
  ),
  TLS_FAILED: net(
    'The TLS handshake with {host} failed.',
    'Exchange Online and Entra ID need TLS 1.2 or newer: check that nothing in between downgrades or blocks TLS, and that {host}:{port} speaks TLS at all (SMTP 587 starts in clear and uses STARTTLS).',
  ),
  BAD_RESPONSE: net(
    '{host} answered something that is not what the protocol expects ({phase}).',
    'Check that {host}:{port} is the Microsoft endpoint for your cloud and not a captive portal, proxy error page or another server; then re-run.',
  ),
  RESPONSE_TOO_LARGE: net(
    '{host} sent far more data than the answer should hold ({phase}).',
    'Something other than the Microsoft service answered (a proxy error page, another server): check the endpoint settings.',
  ),
  THROTTLED: net(
    'Microsoft throttled the requests to {host} (HTTP 429) and the retries ran out.',
    'Wait a few minutes and re-run; other tools using the same app or tenant share the limit. Run fewer checks at once in fleet mode (--concurrency).',
    'https://learn.microsoft.com/graph/throttling',
  ),
  SERVER_ERROR: net(
    '{host} failed to answer the {phase} request properly (a server error or refusal).',
    'Re-run in a few minutes; check https://status.cloud.microsoft for an incident. If it persists, attach the JSON report to a ticket.',
  ),
  ABORTED: net('The step with {host} was cancelled before it finished.', 'Re-run without interrupting it.'),
  // Runner (src/runner/execute.ts).
  INTERRUPTED: {
    source: 'runner',
    message: 'The run was interrupted (Ctrl-C or SIGTERM) before this check finished.',
    remediation: 'Re-run and let it finish.',
  },
  UNDECLARED_CODE: {
    source: 'runner',
    message: 'A check reported a code its metadata does not declare.',
    remediation:
      'A bug in that check (or plugin): its meta.codes must list every code it reports. Report it with the JSON report attached.',
  },
  INVALID_OUTCOME: {
    source: 'runner',
    message: 'A check returned a status other than pass, warn, fail or skip.',
    remediation:
      'A bug in that check (or plugin): run() must return a valid outcome. Report it with the JSON report attached.',
  },
  CHECK_CRASHED: {
    source: 'runner',
    message: 'A check threw an unexpected error (the result has no code, only "check crashed").',
    remediation:
      'A bug in m365-doctor or the plugin, not in your tenant: report it with the JSON report attached (it holds no secrets).',
  },
  // Entra ID OAuth error classes, reported when the answer carries no AADSTS number (RFC 6749 §5.2, RFC 8628 §3.5).
  invalid_request: entra(
    'Entra ID refused the token request as malformed.',
    'Check --tenant and --cloud; if they are right, report it with the JSON report attached.',
  ),
  invalid_client: entra(
    'Entra ID could not authenticate the app (client id or secret).',
    "Check the client id and the secret's Value (not its Secret ID) in the app registration.",
  ),
  invalid_grant: entra(
    'Entra ID refused the credentials or grant.',
    "The evidence holds Entra's description; see the sign-in log of {username} for the reason.",
  ),
  unauthorized_client: entra(
    'The app may not use this grant type in this tenant.',
    'Check the app registration (Allow public client flows, supported account types) and that it is enabled.',
  ),
  unsupported_grant_type: entra(
    'Entra ID does not support the grant type asked for.',
    'A bug in the caller: report it with the JSON report attached.',
  ),
  invalid_scope: entra(
    'A requested scope is unknown or malformed.',
    'Check --cloud: Exchange and Graph scopes differ per cloud.',
  ),
  access_denied: entra('The sign-in was declined.', 'Sign in again and approve the request.'),
  interaction_required: entra(
    'Entra ID needs the user to interact (MFA, consent, terms of use), which the password grant cannot do.',
    'Check the sign-in log of {username}; exclude the service account from the policy or move to app-only access.',
  ),
  temporarily_unavailable: entra(
    'Entra ID is temporarily unavailable.',
    'Re-run in a few minutes; check https://status.cloud.microsoft.',
  ),
  authorization_pending: entra(
    'The device code sign-in was not completed yet.',
    'Finish the sign-in on the page the prompt showed, within its time.',
  ),
  expired_token: entra(
    'The device code expired before the sign-in was completed.',
    'Re-run and finish the sign-in within 15 minutes.',
  ),
  invalid_resource: entra(
    'The resource (Exchange Online or Graph) is not in the tenant.',
    "Check that the tenant has Exchange Online and that --cloud is the tenant's cloud.",
  ),
  user_password_expired: entra("The user's password has expired.", 'Reset the password of {username}, then re-run.'),
  not_found: entra(
    'Entra ID does not know the tenant or the user asked about.',
    'Check --tenant, the user name and --cloud.',
  ),
  server_error: entra(
    'Entra ID failed while answering.',
    'Re-run in a few minutes; check https://status.cloud.microsoft.',
  ),
  no_token: entra(
    'The token endpoint answered without an access token.',
    'Re-run; if it persists, report it with the JSON report attached.',
  ),
  unknown_error: entra(
    'The authentication library reported an error without an OAuth error class.',
    'The evidence holds the description; re-run, and report it if it persists.',
  ),
  // Microsoft Graph error codes (error.code of a Graph error answer).
  Authorization_RequestDenied: graph(
    'Graph refused the read: the caller lacks the permission.',
    'Consent the application permission the check names (User.Read.All for the connector app; Application.Read.All, Policy.Read.All, Directory.Read.All for the directory reader).',
  ),
  Request_ResourceNotFound: graph(
    'Graph does not have the object asked for.',
    'Check the id or name the check reads (user, app, service principal) and the tenant.',
  ),
  Request_BadRequest: graph(
    'Graph refused the request as malformed.',
    'Check the user name for unusual characters; otherwise report it with the JSON report attached.',
  ),
  BadRequest: graph('Graph refused the request as malformed.', 'Report it with the JSON report attached.'),
  InvalidAuthenticationToken: graph(
    'Graph refused the access token (expired, wrong audience or wrong tenant).',
    'Check --cloud and --tenant; re-run for a fresh token.',
  ),
  TooManyRequests: graph(
    'Graph throttled the request (HTTP 429).',
    'Wait and re-run; see THROTTLED.',
    'https://learn.microsoft.com/graph/throttling',
  ),
  InternalServerError: graph(
    'Graph failed while answering (HTTP 500).',
    'Re-run in a few minutes; check https://status.cloud.microsoft. If it persists, attach the JSON report to a ticket.',
  ),
  serviceNotAvailable: graph(
    'Graph is temporarily unavailable (HTTP 503).',
    'Re-run in a few minutes; check https://status.cloud.microsoft.',
  ),
  UnknownError: graph(
    'Graph answered with an error that names no code.',
    'The evidence holds the HTTP status and request id; re-run, and attach the report to a ticket if it persists.',
  ),
  // Exchange Online SMTP enhanced status codes found in smtp-login / smtp-send answers.
  '5.7.3': smtp(
    '535 5.7.3 Authentication unsuccessful: Exchange refused the XOAUTH2 token or the credentials.',
    'The token lacks SMTP.Send, is for another user or audience, or the mailbox is missing: run m365-doctor check and read ropc-scopes and smtp-login.',
    'https://learn.microsoft.com/exchange/client-developer/legacy-protocols/how-to-authenticate-an-imap-pop-smtp-application-by-using-oauth',
  ),
  '5.7.139': smtp(
    '535 5.7.139 Authentication unsuccessful: SMTP AUTH is disabled (for the tenant or the mailbox, as the text says), or basic authentication is off.',
    'See SMTP_AUTH_DISABLED_TENANT and SMTP_AUTH_DISABLED_MAILBOX; enable SMTP AUTH for the mailbox with Set-CASMailbox -SmtpClientAuthenticationDisabled $false.',
    'https://learn.microsoft.com/exchange/clients-and-mobile-in-exchange-online/authenticated-client-smtp-submission',
  ),
  '5.7.30': smtp(
    '550 5.7.30 Basic authentication is not supported for Client Submission.',
    'The connector sent AUTH LOGIN/PLAIN: switch it to XOAUTH2.',
    'https://techcommunity.microsoft.com/t5/exchange-team-blog/exchange-online-to-retire-basic-auth-for-client-submission-smtp/ba-p/4114750',
  ),
  '5.7.57': smtp(
    '530 5.7.57 Client not authenticated to send mail.',
    'The connector sent MAIL FROM without a successful AUTH: authenticate first.',
    EXO_SMTP,
  ),
  '5.7.60': smtp(
    '550 5.7.60 Client does not have permissions to send as this sender.',
    'The From address is not the authenticated mailbox: send as the mailbox itself, or grant Send As (Add-RecipientPermission -AccessRights SendAs).',
    EXO_SMTP,
  ),
  '4.2.0': smtp(
    '430 4.2.0 STOREDRV; mailbox logon failure (…Cannot open mailbox): the store refused the submitted message; for an app-only sender, the app has no right on the mailbox.',
    'Give the app\'s service principal FullAccess or Send As on the mailbox, or an RBAC for Applications assignment ("Application SMTP.SendAsApp") whose scope covers it; see exchange-app-smtp and smtp-send.',
    'https://github.com/simonrob/email-oauth2-proxy/issues/271',
  ),
  '5.2.0': smtp(
    '554 5.2.0 STOREDRV.Submission.Exception:SendAsDeniedException.MapiExceptionSendAsDenied: the sender may not send as the From address.',
    'Grant the sending identity Send As on the address (Add-RecipientPermission -AccessRights SendAs), or send as the mailbox itself; for an app-only sender see smtp-send APP_SEND_DENIED.',
    'https://github.com/jstedfast/MailKit/issues/1176',
  ),
  '5.1.8': smtp(
    '550 5.1.8 Access denied, bad outbound sender: the mailbox is on the restricted entities list (it sent spam).',
    'Remove it from Restricted entities (Microsoft Defender portal > Email & collaboration > Review > Restricted entities) after securing the account.',
    'https://learn.microsoft.com/exchange/troubleshoot/email-delivery/fix-error-code-5-1-8-in-exchange-online',
  ),
};

/** Host and port from a NetError host ("host:port", "[::1]:993" or a bare HTTPS host). */
export function splitHostPort(host: string): { host: string; port: string } {
  const [, name, port] = /^(\[[^\]]+\]|[^:]+):(\d+)$/.exec(host) ?? [];
  return name !== undefined && port !== undefined ? { host: name, port } : { host, port: '443' };
}
