// Which scopes each token request names. One request may only name scopes of one resource (AADSTS700022).
import { CLOUDS } from '../m365/clouds.js';
import type { Activity, ResolvedConfig } from '../config/types.js';
import type { AppResource } from '../clients/types.js';

const DELEGATED: Record<Activity, string> = {
  'read-imap': 'IMAP.AccessAsUser.All',
  'read-pop': 'POP.AccessAsUser.All',
  'send-smtp': 'SMTP.Send',
};

/** Delegated Exchange scopes for the configured activities, plus offline_access (the connector needs a refresh token). */
export function ropcScopes(config: ResolvedConfig): string[] {
  const host = config.endpoints.exchangeScopeHost.replace(/\/+$/, '');
  const wanted = config.activities.length ? config.activities : (Object.keys(DELEGATED) as Activity[]);
  return [...new Set(wanted.map((a) => `${host}/${DELEGATED[a]}`)), 'offline_access'];
}

/**
 * The Graph resource URI of the configured cloud. graphUrl may point at a proxy or a local emulator, but the
 * token audience is always the cloud's real Graph resource.
 */
export function graphResource(config: ResolvedConfig): string {
  return CLOUDS[config.cloud].endpoints.graphUrl;
}

/** `{resource}/.default` for a client-credentials request. */
export function appOnlyScope(config: ResolvedConfig, resource: AppResource): string {
  const uri = resource === 'graph' ? graphResource(config) : config.endpoints.exchangeResource;
  return `${uri.replace(/\/+$/, '')}/.default`;
}

/** Read-only Graph scopes an administrator grants when signing in with device code. */
export function adminDelegatedScopes(config: ResolvedConfig): string[] {
  const g = graphResource(config);
  return ['Directory.Read.All', 'Application.Read.All', 'Policy.Read.All'].map((s) => `${g}/${s}`);
}
