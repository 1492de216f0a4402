// The emulated Microsoft Graph v1.0 over HTTPS: read-only, served from the tenant model, with Graph's
// permission checks, OData paging/$select/$filter, error shape and throttling.
import { randomUUID, type KeyObject } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TenantModel } from './model.js';
import type { RequestLog } from './request-log.js';
import { authenticate, requireAny, type Caller } from './graph-auth.js';
import {
  applySelect,
  GraphFailure,
  paginate,
  parseFilter,
  parseSelect,
  skipToken,
  type Entity,
} from './graph-odata.js';
import {
  applicationView,
  appRoleAssignmentView,
  conditionalAccessView,
  licenseDetailsView,
  organizationView,
  securityDefaultsView,
  servicePrincipalView,
  userDefault,
  userFull,
} from './graph-views.js';
import { answerBatch, BATCH_PATH, type InnerAnswer } from './graph-batch.js';
import {
  answeredStatus,
  listenHttps,
  logTarget,
  pathSegments,
  sendFault,
  sendJson,
  type EmulatorFaults,
  type HttpsListener,
} from './http-kit.js';

export interface GraphServerOptions {
  tenant: () => TenantModel;
  publicKey: KeyObject;
  tls: { key: string; cert: string };
  host: string;
  port: number;
  log: RequestLog;
  faults: () => EmulatorFaults;
}

const APP_READ = ['Application.Read.All', 'Application.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'];
const GRANT_READ = [
  'Directory.Read.All',
  'DelegatedPermissionGrant.Read.All',
  'Directory.ReadWrite.All',
  'DelegatedPermissionGrant.ReadWrite.All',
];
const USER_READ = ['User.Read.All', 'User.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'];
const LICENSE_READ = ['LicenseAssignment.Read.All', 'User.Read.All', 'Directory.Read.All'];
const ORG_READ = [
  'Organization.Read.All',
  'Organization.ReadWrite.All',
  'Directory.Read.All',
  'Directory.ReadWrite.All',
];
const POLICY_READ = ['Policy.Read.All'];
const MEMBER_READ = ['GroupMember.Read.All', 'Group.Read.All', 'Directory.Read.All', 'Directory.ReadWrite.All'];

const notFound = (id: string) =>
  new GraphFailure(
    404,
    'Request_ResourceNotFound',
    `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`,
  );

interface Ctx {
  tenant: TenantModel;
  caller: Caller;
  params: URLSearchParams;
  base: string;
  path: string[];
}

type Answer =
  | { kind: 'entity'; context: string; entity: Entity; full: Entity; type: string }
  | { kind: 'collection'; context: string; items: Array<{ entity: Entity; full: Entity }>; type: string };

/** Entity key segments: "{id}" or "(appId='…')" appended to the set name. */
function keyOf(segment: string, set: string): { byAppId?: string } | undefined {
  const m = new RegExp(`^${set}\\(appId='([^']*)'\\)$`, 'i').exec(segment);
  return m ? { byAppId: m[1] } : undefined;
}

function collection(type: string, context: string, entities: Entity[], full = entities): Answer {
  return { kind: 'collection', type, context, items: entities.map((entity, i) => ({ entity, full: full[i] })) };
}
const single = (type: string, context: string, entity: Entity, full = entity): Answer => ({
  kind: 'entity',
  type,
  context,
  entity,
  full,
});

function servicePrincipalRoutes(ctx: Ctx, head: string, rest: string[]): Answer {
  const { tenant, caller } = ctx;
  requireAny(caller, APP_READ);
  const key = keyOf(head, 'servicePrincipals');
  const id = key ? undefined : rest.shift();
  if (!key && id === undefined)
    return collection('servicePrincipal', 'servicePrincipals', tenant.servicePrincipals.map(servicePrincipalView));
  const sp = tenant.servicePrincipals.find((s) =>
    key ? s.appId.toLowerCase() === key.byAppId!.toLowerCase() : s.id === id,
  );
  if (!sp) throw notFound(key ? key.byAppId! : id!);
  const nav = rest.shift();
  if (nav === undefined) return single('servicePrincipal', 'servicePrincipals/$entity', servicePrincipalView(sp));
  if (nav === 'appRoleAssignments' && !rest.length) {
    return collection(
      'appRoleAssignment',
      `servicePrincipals('${sp.id}')/appRoleAssignments`,
      tenant.appRoleAssignments.filter((a) => a.principalId === sp.id).map((a) => appRoleAssignmentView(tenant, a)),
    );
  }
  if (nav === 'oauth2PermissionGrants' && !rest.length) {
    requireAny(caller, GRANT_READ);
    return collection(
      'oAuth2PermissionGrant',
      'oauth2PermissionGrants',
      tenant.oauth2PermissionGrants.filter((g) => g.clientId === sp.id).map((g) => ({ ...g })),
    );
  }
  throw new GraphFailure(400, 'BadRequest', `Resource not found for the segment '${nav}'.`);
}

function userRoutes(ctx: Ctx, rest: string[], me: boolean): Answer {
  const { tenant, caller } = ctx;
  const id = me ? caller.userId : rest.shift();
  if (me && caller.kind === 'app') {
    throw new GraphFailure(400, 'BadRequest', '/me request is only valid with delegated authentication flow.');
  }
  if (id === undefined) {
    requireAny(caller, USER_READ);
    const full = tenant.users.map((u) => userFull(tenant, u));
    return collection('user', 'users', full.map(userDefault), full);
  }
  const self = caller.kind === 'delegated' && caller.userId === id;
  const user = tenant.users.find((u) => u.id === id || u.userPrincipalName.toLowerCase() === id.toLowerCase());
  const nav = rest.shift();
  if (nav === 'licenseDetails' && !rest.length) {
    // Microsoft documents no application permission for licenseDetails.
    requireAny(caller, self ? [...LICENSE_READ, 'User.Read'] : LICENSE_READ, { delegatedOnly: true });
    if (!user) throw notFound(id);
    return collection('licenseDetails', `users('${user.id}')/licenseDetails`, licenseDetailsView(tenant, user));
  }
  if (nav === 'transitiveMemberOf' && !rest.length) {
    requireAny(caller, MEMBER_READ);
    if (!user) throw notFound(id);
    const groups = (tenant.groups ?? []).filter((g) => user.memberOf?.includes(g.id));
    return collection(
      'directoryObject',
      'directoryObjects',
      groups.map((g) => ({ '@odata.type': '#microsoft.graph.group', id: g.id, displayName: g.displayName })),
    );
  }
  if (nav !== undefined) throw new GraphFailure(400, 'BadRequest', `Resource not found for the segment '${nav}'.`);
  const ownUser = self || (caller.kind === 'delegated' && user?.id === caller.userId);
  requireAny(caller, ownUser ? [...USER_READ, 'User.Read'] : USER_READ);
  if (!user) throw notFound(id);
  const full = userFull(tenant, user);
  return single('user', 'users/$entity', userDefault(full), full);
}

function route(ctx: Ctx): Answer {
  const { tenant, caller } = ctx;
  const [head, ...rest] = ctx.path;
  if (head === undefined) throw new GraphFailure(400, 'BadRequest', 'Invalid request.');

  if (/^applications(\(|$)/i.test(head)) {
    requireAny(caller, APP_READ);
    const key = keyOf(head, 'applications');
    const id = key ? undefined : rest.shift();
    if (rest.length) throw new GraphFailure(400, 'BadRequest', `Resource not found for the segment '${rest[0]}'.`);
    if (!key && id === undefined)
      return collection('application', 'applications', tenant.applications.map(applicationView));
    const app = tenant.applications.find((a) =>
      key ? a.appId.toLowerCase() === key.byAppId!.toLowerCase() : a.id === id,
    );
    if (!app) throw notFound(key ? key.byAppId! : id!);
    return single('application', 'applications/$entity', applicationView(app));
  }
  if (/^servicePrincipals(\(|$)/i.test(head)) return servicePrincipalRoutes(ctx, head, rest);
  if (head === 'oauth2PermissionGrants' && !rest.length) {
    requireAny(caller, GRANT_READ);
    return collection(
      'oAuth2PermissionGrant',
      'oauth2PermissionGrants',
      tenant.oauth2PermissionGrants.map((g) => ({ ...g })),
    );
  }
  if (head === 'users') return userRoutes(ctx, rest, false);
  if (head === 'me') return userRoutes(ctx, rest, true);
  if (head === 'subscribedSkus' && !rest.length) {
    requireAny(caller, ORG_READ);
    return collection(
      'subscribedSku',
      'subscribedSkus',
      tenant.subscribedSkus.map((s) => ({ ...s })),
    );
  }
  if (head === 'organization' && !rest.length) {
    requireAny(caller, ORG_READ);
    return collection('organization', 'organization', [organizationView(tenant)]);
  }
  if (head === 'policies' && rest.join('/') === 'identitySecurityDefaultsEnforcementPolicy') {
    requireAny(caller, POLICY_READ);
    return single(
      'identitySecurityDefaultsEnforcementPolicy',
      'policies/identitySecurityDefaultsEnforcementPolicy/$entity',
      securityDefaultsView(tenant),
    );
  }
  if (head === 'identity' && rest.join('/') === 'conditionalAccess/policies') {
    requireAny(caller, POLICY_READ);
    return collection(
      'conditionalAccessPolicy',
      'identity/conditionalAccess/policies',
      tenant.conditionalAccessPolicies.map(conditionalAccessView),
    );
  }
  throw new GraphFailure(400, 'BadRequest', `Resource not found for the segment '${head}'.`);
}

/** Apply $filter, $select and paging; build the OData body. */
function render(ctx: Ctx, answer: Answer, rawUrl: string): Record<string, unknown> {
  const select = parseSelect(ctx.params.get('$select'));
  const metadata = `${ctx.base}/v1.0/$metadata#`;
  const contextUrl = (suffix: string) => {
    if (!select) return metadata + suffix;
    const [set, tail] = suffix.split('/$entity');
    return `${metadata}${set}(${select.join(',')})${tail !== undefined ? '/$entity' : ''}`;
  };
  if (answer.kind === 'entity') {
    return {
      '@odata.context': contextUrl(answer.context),
      ...applySelect(answer.entity, select, answer.full, answer.type),
    };
  }
  const predicates = parseFilter(ctx.params.get('$filter'));
  const matching = answer.items.filter(({ full }) => predicates.every((p) => p(full)));
  const page = paginate(
    matching.map(({ entity, full }) => applySelect(entity, select, full, answer.type)),
    ctx.params,
  );
  const body: Record<string, unknown> = { '@odata.context': contextUrl(answer.context) };
  if (page.nextOffset !== undefined) {
    const url = new URL(rawUrl, ctx.base);
    url.searchParams.set('$skiptoken', skipToken(page.nextOffset));
    body['@odata.nextLink'] = `${ctx.base}${url.pathname}${url.search}`;
  }
  body.value = page.items;
  return body;
}

function errorBody(failure: GraphFailure, clientRequestId: string, requestId: string) {
  return {
    error: {
      code: failure.code,
      message: failure.message,
      innerError: {
        date: new Date().toISOString().slice(0, 19),
        'request-id': requestId,
        'client-request-id': clientRequestId,
      },
    },
  };
}

function sendGraphError(res: ServerResponse, failure: GraphFailure, clientRequestId: string, requestId: string): void {
  sendJson(res, failure.status, errorBody(failure, clientRequestId, requestId), {
    ...failure.headers,
    'request-id': requestId,
    'client-request-id': clientRequestId,
  });
}

export interface GraphServer extends HttpsListener {
  graphUrl: string;
}

export async function startGraphServer(opts: GraphServerOptions): Promise<GraphServer> {
  let base = '';
  // Throttle budget per graphThrottle object, so a test replacing it starts a fresh count.
  const throttled = new WeakMap<object, number>();

  /** One GET of a /v1.0 URL as the tenant model answers it; throws GraphFailure. */
  const answerGet = (rawUrl: string, authorization: string | undefined, tenant: TenantModel): unknown => {
    const url = new URL(rawUrl, base);
    const segments = pathSegments(url.pathname);
    if (segments[0] !== 'v1.0') throw new GraphFailure(400, 'BadRequest', `Invalid version: ${segments[0] ?? ''}`);
    const caller = authenticate(authorization, opts.publicKey, tenant);
    const ctx: Ctx = { tenant, caller, params: url.searchParams, base, path: segments.slice(1) };
    return render(ctx, route(ctx), rawUrl);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse, batch: boolean) => {
    const requestId = randomUUID();
    const clientRequestId = String(req.headers['client-request-id'] ?? randomUUID());
    res.on('close', () =>
      opts.log.record({
        service: 'graph',
        method: req.method ?? 'GET',
        target: logTarget(req.url ?? '/'),
        result: answeredStatus(res),
      }),
    );
    try {
      // Graph is read-only here: the doctor never writes to a tenant ($batch only carries GETs).
      if (req.method !== 'GET' && !batch) {
        throw new GraphFailure(
          405,
          'Request_BadRequest',
          `The emulated Graph is read-only; ${req.method} is not allowed.`,
          { allow: 'GET' },
        );
      }
      const fault = opts.faults().graph;
      if (fault) {
        sendFault(res, fault, 'graph');
        return;
      }
      const tenant = opts.tenant();
      const throttle = tenant.graphThrottle;
      if (throttle) {
        const used = throttled.get(throttle) ?? 0;
        if (used < throttle.requests) {
          throttled.set(throttle, used + 1);
          throw new GraphFailure(
            429,
            'TooManyRequests',
            'Too many requests. Please retry after the time given in the Retry-After header.',
            { 'retry-after': String(throttle.retryAfterSeconds) },
          );
        }
      }
      if (batch) {
        const inner = (rawUrl: string): InnerAnswer => {
          try {
            return {
              status: 200,
              headers: { 'content-type': 'application/json' },
              body: answerGet(rawUrl, req.headers.authorization, tenant),
            };
          } catch (err) {
            const f =
              err instanceof GraphFailure
                ? err
                : new GraphFailure(500, 'InternalServerError', 'The emulator failed to handle the request.');
            return { status: f.status, headers: { ...f.headers }, body: errorBody(f, clientRequestId, requestId) };
          }
        };
        sendJson(res, 200, await answerBatch(req, inner), {
          'request-id': requestId,
          'client-request-id': clientRequestId,
        });
        return;
      }
      sendJson(res, 200, answerGet(req.url ?? '/', req.headers.authorization, tenant), {
        'request-id': requestId,
        'client-request-id': clientRequestId,
      });
    } catch (err) {
      if (err instanceof GraphFailure) sendGraphError(res, err, clientRequestId, requestId);
      else
        sendGraphError(
          res,
          new GraphFailure(500, 'InternalServerError', 'The emulator failed to handle the request.'),
          clientRequestId,
          requestId,
        );
    }
  };

  const listener = await listenHttps(opts.tls, opts.host, opts.port, (req, res) => {
    const batch = req.method === 'POST' && (req.url ?? '').split('?')[0] === BATCH_PATH;
    // Drain any other body so keep-alive connections stay usable after a refused write.
    if (!batch) req.resume();
    void handle(req, res, batch);
  });
  base = `https://${opts.host.includes(':') ? `[${opts.host}]` : opts.host}:${listener.port}`;
  return { ...listener, graphUrl: base };
}
