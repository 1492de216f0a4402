// The remediation of an `error` result the check's own code table does not cover: what failed where (host, port)
// and what to check next, from the shared catalog (src/runner/code-catalog.ts).
import { aadstsText } from '../m365/aadsts.js';
import { formatHostPort } from '../config/validate.js';
import type { Check } from '../core/check.js';
import { GENERAL_CODES, splitHostPort } from './code-catalog.js';
import type { HostPort, ResolvedConfig } from '../config/types.js';
import { EntraError, GraphError, NetError } from '../core/errors.js';
import { fillTemplate } from './render.js';

const hostOfUrl = (url: string): HostPort => {
  try {
    const u = new URL(url);
    return { host: u.hostname, port: Number(u.port || 443) };
  } catch {
    return { host: url, port: 443 };
  }
};

/** The servers a check talks to, most specific last (a mail check gets its token from Entra first). */
export function checkEndpoints(check: Check, config: ResolvedConfig): [HostPort, ...HostPort[]] {
  const e = config.endpoints;
  const entra = hostOfUrl(e.authorityHost);
  const id = check.meta.id;
  if (id === 'imap-login') return [entra, e.imap];
  if (id === 'pop-login') return [entra, e.pop];
  if (id === 'smtp-login' || id === 'smtp-send' || id === 'exchange-app-smtp') return [entra, e.smtp];
  if (id === 'exchange-app-access') return [entra, config.activities.includes('read-imap') ? e.imap : e.pop];
  if (check.meta.category === 'graph') return [entra, hostOfUrl(e.graphUrl)];
  return [entra];
}

const fill = (template: string | undefined, data: Record<string, string>) =>
  template ? fillTemplate(template, data) : undefined;

export function errorRemediation(
  check: Check,
  config: ResolvedConfig | undefined,
  err: unknown,
  code: string | undefined,
): string | undefined {
  if (err instanceof NetError) {
    const { host, port } = splitHostPort(err.host);
    return fill(GENERAL_CODES[err.code]?.remediation ?? GENERAL_CODES.SERVER_ERROR?.remediation, {
      host,
      port,
      phase: err.phase,
    });
  }
  if (code === 'TIMEOUT' && config) {
    // The check's own time limit: name every server it talks to, and the firewall rule for the last one.
    const ends = checkEndpoints(check, config);
    const last = ends[ends.length - 1]!; // in range: checkEndpoints' type says it names at least one server
    const all = ends.map(formatHostPort).join(' and ');
    return (
      `${check.meta.id} did not finish within its time limit; it talks to ${all}. ` +
      fill(GENERAL_CODES.TIMEOUT?.remediation, { host: last.host, port: String(last.port), phase: 'the check' })
    );
  }
  if (err instanceof GraphError) {
    const entry =
      GENERAL_CODES[err.info.code] ??
      (err.info.status === 403
        ? GENERAL_CODES.Authorization_RequestDenied
        : err.info.status === 404
          ? GENERAL_CODES.Request_ResourceNotFound
          : GENERAL_CODES.UnknownError);
    return entry?.remediation;
  }
  if (err instanceof EntraError) {
    return (
      (err.info.aadsts ? aadstsText(err.info.aadsts)?.remediation : undefined) ??
      GENERAL_CODES[err.info.error]?.remediation ??
      `Entra ID answered ${err.code}: look it up with m365-doctor explain ${err.code} or https://login.microsoftonline.com/error?code=${err.info.aadsts ?? ''}`
    );
  }
  const known = code ? GENERAL_CODES[code] : undefined;
  if (known) return known.remediation;
  if (code === undefined) return GENERAL_CODES.CHECK_CRASHED?.remediation;
  return undefined;
}
