// service-principal: the app's enterprise application (service principal) exists in the tenant and is enabled.
import { defineCheck } from '../src/core/check.js';
import { GraphError, unlessNotFound } from '../src/core/errors.js';
import { NEEDS_DIRECTORY_READER, withDirectoryReader } from '../src/diagnose/directory-reader.js';
import { servicePrincipalPath, type GraphServicePrincipal } from '../src/m365/graph-paths.js';
import { EXCHANGE_APP_ID } from '../src/m365/permissions.js';

export default defineCheck({
  meta: {
    id: 'service-principal',
    title: 'Enterprise application is enabled',
    category: 'graph',
    dependsOn: ['tenant-discovery'],
    // Read only to explain a missing service principal: no app registration with this client id either.
    consults: ['app-registration'],
    description:
      'Reads the service principal (enterprise application) of the app and of Office 365 Exchange Online (directory ' +
      "reader). The app's service principal holds its consents, and its object id, not the app registration's, is the one " +
      "Exchange's New-ServicePrincipal needs. It must be enabled for sign-in.",
    codes: {
      SP_OK: { message: 'Enterprise application "{displayName}" is enabled; its object id is {spObjectId}.' },
      SP_NOT_FOUND: {
        message: 'App {clientId} has no enterprise application (service principal) in this tenant.',
        remediation:
          'Create it: New-MgServicePrincipal -AppId {clientId} (or open the admin consent URL {authorityHost}/{tenant}/adminconsent?client_id={clientId} as an administrator, which creates it).',
      },
      SP_DISABLED: {
        message: 'Enterprise application "{displayName}" is disabled for sign-in.',
        remediation:
          'Entra admin center > Enterprise applications > "{displayName}" > Properties > Enabled for users to sign-in = Yes, or Update-MgServicePrincipal -ServicePrincipalId {spObjectId} -AccountEnabled:$true',
      },
      ASSIGNMENT_REQUIRED: {
        message:
          '"{displayName}" requires user assignment; {username} must be assigned or sign-in fails with AADSTS50105.',
        remediation:
          'Assign {username} under Enterprise applications > "{displayName}" > Users and groups, or set Assignment required? = No.',
      },
      EXCHANGE_RESOURCE_MISSING: {
        message:
          'Office 365 Exchange Online has no enabled service principal in this tenant: Exchange tokens cannot be issued.',
        remediation:
          'Check that the tenant has an Exchange Online subscription, and that the "Office 365 Exchange Online" enterprise application is enabled for users to sign in.',
      },
      NEEDS_DIRECTORY_READER,
    },
  },
  run: (ctx) =>
    withDirectoryReader(ctx, async () => {
      const data = {
        clientId: ctx.config.clientId,
        tenant: ctx.config.tenant,
        authorityHost: ctx.config.endpoints.authorityHost,
        username: ctx.config.username,
      };
      let sp: GraphServicePrincipal;
      try {
        sp = await ctx.clients.graph.get<GraphServicePrincipal>(servicePrincipalPath(ctx.config.clientId), 'admin');
      } catch (err) {
        if (err instanceof GraphError && err.info.status === 404) {
          // Neither registration nor service principal: the client id names no app of this tenant, one cause.
          const noApp = (await ctx.settled('app-registration'))?.code === 'APP_NOT_FOUND';
          return { status: 'fail', code: 'SP_NOT_FOUND', data, ...(noApp ? { causedBy: 'app-registration' } : {}) };
        }
        throw err;
      }
      const evidence = {
        spObjectId: sp.id,
        displayName: sp.displayName,
        accountEnabled: sp.accountEnabled,
        appRoleAssignmentRequired: sp.appRoleAssignmentRequired ?? false,
      };
      const spData = { ...data, displayName: sp.displayName, spObjectId: sp.id };
      // Graph's default is enabled: only an explicit false disables sign-in.
      if (sp.accountEnabled === false) return { status: 'fail', code: 'SP_DISABLED', data: spData, evidence };
      const exchange = await unlessNotFound(
        ctx.clients.graph.get<GraphServicePrincipal>(servicePrincipalPath(EXCHANGE_APP_ID), 'admin'),
      );
      if (!exchange || exchange.accountEnabled === false)
        return { status: 'fail', code: 'EXCHANGE_RESOURCE_MISSING', data: spData, evidence };
      // User assignment gates user sign-ins only; an app-only connector signs in as the app.
      if (sp.appRoleAssignmentRequired && ctx.config.profile !== 'app-only')
        return { status: 'warn', code: 'ASSIGNMENT_REQUIRED', data: spData, evidence };
      return { status: 'pass', code: 'SP_OK', data: spData, evidence };
    }),
});
