// app-registration: the app registration lists every permission the activities need, and its secret is not about to expire.
import { advisory, advisoryText } from '../src/m365/advisories.js';
import { defineCheck } from '../src/core/check.js';
import type { GraphReader } from '../src/clients/types.js';
import { GraphError, NetError } from '../src/core/errors.js';
import { NEEDS_DIRECTORY_READER, withDirectoryReader } from '../src/diagnose/directory-reader.js';
import { applicationPath, servicePrincipalPath, type GraphServicePrincipal } from '../src/m365/graph-paths.js';
import { EXCHANGE_APP_ID, profileNeeds, profilePermissions, requiredPermissions } from '../src/m365/permissions.js';

const DAY = 86_400_000;
const EXPIRY_WARNING_DAYS = 30;

interface GraphApplication {
  id: string;
  appId: string;
  displayName: string;
  signInAudience: string;
  isFallbackPublicClient?: boolean | null;
  requiredResourceAccess: Array<{ resourceAppId: string; resourceAccess: Array<{ id: string; type: string }> }>;
  passwordCredentials?: Array<{
    keyId: string;
    displayName?: string | null;
    hint?: string | null;
    endDateTime: string;
  }>;
}

/** Graph reads a full run has in flight at once (the directory checks read side by side). */
const GRAPH_CONNECTIONS = 4;

export default defineCheck({
  meta: {
    id: 'app-registration',
    title: 'App registration is complete',
    category: 'graph',
    dependsOn: ['tenant-discovery'],
    description:
      'Reads the app registration (directory reader), judged against the connector profile. For the vendor profile its API permissions (requiredResourceAccess) must list the Graph ' +
      'delegated permissions offline_access, IMAP.AccessAsUser.All / POP.AccessAsUser.All and User.Read for reading and SMTP.Send ' +
      'for sending, the Graph application permissions Mail.Send and User.Read.All, and the Exchange application permissions ' +
      'IMAP.AccessAsApp / POP.AccessAsApp; the delegated profile only the delegated ones, the app-only profile only the Exchange ' +
      'application ones (with SMTP.SendAsApp for sending). Without a client secret the app must allow public client flows. A secret that expires ' +
      'within 30 days is flagged before it breaks the connector.',
    codes: {
      REGISTRATION_OK: {
        message: '"{displayName}" lists every needed permission; its newest secret is valid until {secretEnd}.',
      },
      APP_NOT_FOUND: {
        message: 'No app registration with application (client) id {clientId} in this tenant.',
        remediation:
          'Use the "Application (client) ID" from Entra admin center > App registrations > the app > Overview. The object id and the secret id are different values.',
      },
      PERMISSION_MISSING: {
        message: 'The app registration does not list {missing}.',
        remediation:
          'Entra admin center > App registrations > "{displayName}" > API permissions > Add a permission: {missingDetail}. Then "Grant admin consent for" the tenant.',
      },
      SECRET_EXPIRED: {
        message: 'Every client secret of "{displayName}" has expired (newest ended {secretEnd}).',
        remediation:
          'Certificates & secrets > New client secret, put its value into the connector, then delete the expired secrets.',
      },
      SECRET_EXPIRING: {
        message: 'The newest client secret of "{displayName}" expires in {days} days ({secretEnd}).',
        remediation:
          'Create a new secret now (Certificates & secrets > New client secret), roll it into the connector, and delete the old one after the switch.',
      },
      PUBLIC_CLIENT_DISABLED: {
        message:
          'No client secret is used and "Allow public client flows" is off: the password grant will fail with AADSTS7000218.',
        remediation:
          'Entra admin center > App registrations > "{displayName}" > Authentication > Allow public client flows = Yes, or give the connector the client secret.',
      },
      NEEDS_DIRECTORY_READER,
    },
  },
  // The Graph checks' first reads wait on a token: its request goes out beside discovery (kept only if discovery names
  // that endpoint), and their connections are set up meanwhile.
  prepare(ctx) {
    ctx.clients.tokens.prefetchAdmin?.();
    ctx.clients.preconnectHttps?.('graph', GRAPH_CONNECTIONS);
  },
  run: (ctx) =>
    withDirectoryReader(ctx, async () => {
      let app: GraphApplication;
      try {
        app = await ctx.clients.graph.get<GraphApplication>(applicationPath(ctx.config.clientId), 'admin');
      } catch (err) {
        if (err instanceof GraphError && err.info.status === 404)
          return { status: 'fail', code: 'APP_NOT_FOUND', data: { clientId: ctx.config.clientId } };
        throw err;
      }
      // Graph always sends the list (empty when nothing is requested); without it nothing can be judged.
      if (!Array.isArray(app.requiredResourceAccess)) {
        throw new NetError(
          'BAD_RESPONSE',
          new URL(ctx.config.endpoints.graphUrl).host,
          'graph',
          'Graph answered the application without requiredResourceAccess: the permissions it lists cannot be read',
        );
      }
      const listed = new Set(
        app.requiredResourceAccess.flatMap((r) =>
          (r.resourceAccess ?? []).map((a) => `${r.resourceAppId}/${a.type}/${a.id}`),
        ),
      );
      const isListed = (p: { resourceAppId: string; type: string; id: string }) =>
        listed.has(`${p.resourceAppId}/${p.type}/${p.id}`);
      // Judged against the connector profile; what only the vendor list asks for is mentioned, never failed.
      const needed = profilePermissions(ctx.config.activities, ctx.config.profile);
      const rbacGrantable = profileNeeds(ctx.config.activities, ctx.config.profile).rbacGrantable;
      const missing = needed.filter((p) => !isListed(p));
      const notNeeded = requiredPermissions(ctx.config.activities).filter(
        (p) => !needed.some((n) => n.id === p.id) && !isListed(p),
      );
      // Secrets unreadable (the field left out of the answer): their expiry is not judged.
      const secrets = Array.isArray(app.passwordCredentials) ? app.passwordCredentials : undefined;
      const newestEnd = (secrets ?? [])
        .map((p) => Date.parse(p.endDateTime))
        .filter(Number.isFinite)
        .sort((a, b) => b - a)[0];
      const secretEnd = newestEnd ? new Date(newestEnd).toISOString().slice(0, 10) : 'none';
      const days = newestEnd ? Math.floor((newestEnd - Date.now()) / DAY) : 0;
      const evidence = {
        objectId: app.id,
        displayName: app.displayName,
        signInAudience: app.signInAudience,
        isFallbackPublicClient: app.isFallbackPublicClient ?? false,
        secrets: secrets ? secrets.length : null,
        newestSecretEnds: secrets ? secretEnd : null,
        profile: ctx.config.profile,
        permissions: needed.map(
          (p) =>
            `${p.value} (${p.type === 'Role' ? 'application' : 'delegated'}, ${p.resource})${missing.includes(p) ? ' MISSING' : ''}`,
        ),
        // Not failed when unlisted: RBAC for Applications may grant them instead, and smtp-login's login decides.
        ...(rbacGrantable.length
          ? {
              rbacGrantable: rbacGrantable.map(
                (p) =>
                  `${p.value} ${isListed(p) ? 'listed' : 'not listed (Exchange may grant it through RBAC for Applications; smtp-login decides)'}`,
              ),
            }
          : {}),
        notNeededByProfile: notNeeded.map(
          (p) => `${p.value} (not listed; the ${ctx.config.profile} profile does not need it)`,
        ),
        advisory: (await requestsEws(ctx.clients.graph, app)) ? advisoryText(advisory('ews-retirement')) : undefined,
      };
      const data = { displayName: app.displayName, secretEnd, days, clientId: app.appId };
      if (missing.length) {
        return {
          status: 'fail',
          code: 'PERMISSION_MISSING',
          evidence,
          data: {
            ...data,
            missing: missing.map((p) => p.value).join(', '),
            missingDetail: missing
              .map((p) => `${p.resource} > ${p.type === 'Role' ? 'Application' : 'Delegated'} permissions > ${p.value}`)
              .join('; '),
          },
        };
      }
      if (ctx.config.clientSecret) {
        if (!secrets) return { status: 'pass', code: 'REGISTRATION_OK', data, evidence };
        if (!newestEnd || newestEnd < Date.now()) return { status: 'fail', code: 'SECRET_EXPIRED', data, evidence };
        if (days < EXPIRY_WARNING_DAYS) return { status: 'warn', code: 'SECRET_EXPIRING', data, evidence };
      } else if (!app.isFallbackPublicClient && ctx.config.profile !== 'app-only') {
        return { status: 'fail', code: 'PUBLIC_CLIENT_DISABLED', data, evidence };
      }
      return { status: 'pass', code: 'REGISTRATION_OK', data, evidence };
    }),
});

const EWS_PERMISSIONS = ['EWS.AccessAsUser.All', 'full_access_as_app', 'EWS.AccessAsApp'];

/** Does the app also request Exchange Web Services permissions (so the connector likely calls EWS)? Names come from
 * the Exchange Online service principal, as the tenant has them; unreadable means "not known", no advisory. */
async function requestsEws(graph: GraphReader, app: GraphApplication): Promise<boolean> {
  const ids = app.requiredResourceAccess
    .filter((r) => r.resourceAppId === EXCHANGE_APP_ID)
    .flatMap((r) => (r.resourceAccess ?? []).map((a) => a.id));
  if (!ids.length) return false;
  const sp = await graph
    .get<GraphServicePrincipal>(servicePrincipalPath(EXCHANGE_APP_ID), 'admin')
    .catch(() => undefined);
  const names = [...(sp?.oauth2PermissionScopes ?? []), ...(sp?.appRoles ?? [])]
    .filter((p) => ids.includes(p.id))
    .map((p) => p.value);
  return names.some((n) => EWS_PERMISSIONS.includes(n));
}
