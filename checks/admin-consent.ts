// admin-consent: the tenant-wide delegated grant and the app role assignments exist for every permission needed.
import { defineCheck } from '../src/core/check.js';
import { unlessNotFound } from '../src/core/errors.js';
import { NEEDS_DIRECTORY_READER, withDirectoryReader } from '../src/diagnose/directory-reader.js';
import { servicePrincipalPath, type GraphServicePrincipal } from '../src/m365/graph-paths.js';
import { EXCHANGE_APP_ID, GRAPH_APP_ID, profileNeeds } from '../src/m365/permissions.js';
import { missingFromRegistration } from '../src/diagnose/app-roles.js';

interface Grant {
  clientId: string;
  consentType: string;
  principalId: string | null;
  resourceId: string;
  scope: string;
}
interface RoleAssignment {
  appRoleId: string;
  resourceId: string;
}

export default defineCheck({
  meta: {
    id: 'admin-consent',
    title: 'Admin consent is granted',
    category: 'graph',
    // Graph tokens are issued by the tenant's authority. The app's service principal, whose object id every read needs,
    // it reads itself: service-principal's verdict (disabled, assignment required) does not change what was consented.
    dependsOn: ['tenant-discovery'],
    // Read only to interpret: a consent missing for a permission the app does not even request (fix the registration
    // first), and no service principal at all.
    consults: ['app-registration', 'service-principal'],
    description:
      "Lists the app's consents (directory reader): an AllPrincipals oauth2PermissionGrant must hold every delegated " +
      'permission (the password grant cannot ask the user for consent, AADSTS65001), and an app role assignment must exist for every ' +
      'application permission.',
    codes: {
      CONSENT_OK: { message: 'Admin consent covers {delegated} (delegated) and {roles} (application).' },
      CONSENT_MISSING: {
        message: 'No admin consent for {missing}.',
        remediation:
          'Entra admin center > App registrations > the app > API permissions > "Grant admin consent for" the tenant, or as an administrator open {authorityHost}/{tenant}/adminconsent?client_id={clientId}.',
      },
      NO_SERVICE_PRINCIPAL: {
        message:
          'Not checked: app {clientId} has no enterprise application (service principal) in this tenant, so it holds no consents (see service-principal).',
      },
      NEEDS_DIRECTORY_READER,
    },
  },
  run: (ctx) =>
    withDirectoryReader(ctx, async () => {
      const { graph } = ctx.clients;
      const sp = await unlessNotFound(
        graph.get<GraphServicePrincipal>(servicePrincipalPath(ctx.config.clientId), 'admin'),
      );
      if (!sp) {
        const found = await ctx.settled('service-principal');
        return {
          status: 'skip',
          code: 'NO_SERVICE_PRINCIPAL',
          skipReason: 'dependency-failed',
          data: { clientId: ctx.config.clientId },
          ...(found?.code === 'SP_NOT_FOUND' ? { causedBy: 'service-principal' } : {}),
        };
      }
      const [graphSp, exchangeSp] = await Promise.all([
        graph.get<GraphServicePrincipal>(servicePrincipalPath(GRAPH_APP_ID), 'admin'),
        graph.get<GraphServicePrincipal>(servicePrincipalPath(EXCHANGE_APP_ID), 'admin'),
      ]);
      const [grants, assignments] = await Promise.all([
        graph.list<Grant>(`/oauth2PermissionGrants?$filter=clientId eq '${sp.id}'`, 'admin'),
        graph.list<RoleAssignment>(`/servicePrincipals/${sp.id}/appRoleAssignments`, 'admin'),
      ]);
      // Exchange maps the IMAP/POP/SMTP scopes listed under Graph onto its own resource: a grant on either counts.
      const granted = new Set(
        grants
          .filter(
            (g) => g.consentType === 'AllPrincipals' && (g.resourceId === graphSp.id || g.resourceId === exchangeSp.id),
          )
          .flatMap((g) => g.scope.split(' ').filter(Boolean)),
      );
      const assigned = new Set(assignments.map((a) => `${a.resourceId}/${a.appRoleId}`));
      const roleIdOf = (resource: GraphServicePrincipal, value: string, fallback: string) =>
        resource.appRoles?.find((r) => r.value === value)?.id ?? fallback;

      // Judged against the connector profile: a permission it does not need is never reported missing.
      const needs = profileNeeds(ctx.config.activities, ctx.config.profile);
      const delegated = needs.delegated;
      const roles = [
        ...needs.graphRoles.map((p) => ({ p, key: `${graphSp.id}/${roleIdOf(graphSp, p.value, p.id)}` })),
        ...needs.exchangeRoles.map((p) => ({ p, key: `${exchangeSp.id}/${roleIdOf(exchangeSp, p.value, p.id)}` })),
      ];
      const missing = [
        ...delegated.filter((p) => !granted.has(p.value)).map((p) => `${p.value} (delegated)`),
        ...roles.filter((r) => !assigned.has(r.key)).map((r) => `${r.p.value} (application, ${r.p.resource})`),
      ];
      const evidence = {
        spObjectId: sp.id,
        grantedScopes: [...granted].join(' '),
        appRoleAssignments: assignments.length,
        principalGrants: grants.filter((g) => g.consentType === 'Principal').length,
        profile: ctx.config.profile,
        // Not failed when absent: RBAC for Applications may grant them instead, and smtp-login's login decides.
        ...(needs.rbacGrantable.length
          ? {
              rbacGrantable: needs.rbacGrantable.map(
                (p) =>
                  `${p.value} ${assigned.has(`${exchangeSp.id}/${roleIdOf(exchangeSp, p.value, p.id)}`) ? 'consented' : 'not consented (Exchange may grant it through RBAC for Applications; smtp-login decides)'}`,
              ),
            }
          : {}),
      };
      const data = {
        delegated: delegated.map((p) => p.value).join(', ') || 'nothing',
        roles: roles.map((r) => r.p.value).join(', ') || 'nothing',
        authorityHost: ctx.config.endpoints.authorityHost,
        tenant: ctx.config.tenant,
        clientId: ctx.config.clientId,
      };
      if (missing.length) {
        const registration = await ctx.settled('app-registration');
        const unrequested = registration?.code === 'PERMISSION_MISSING' ? missingFromRegistration(registration) : [];
        // split() always yields at least one element: [0] is the permission name.
        const causedBy = missing.every((m) => unrequested.includes(m.split(' ')[0]!)) ? 'app-registration' : undefined;
        return {
          status: 'fail',
          code: 'CONSENT_MISSING',
          data: { ...data, missing: missing.join(', ') },
          evidence,
          ...(causedBy ? { causedBy } : {}),
        };
      }
      return { status: 'pass', code: 'CONSENT_OK', data, evidence };
    }),
});
