// Turns a socket/TLS failure into a NetError with a stable code and a message that names the host.
import { NetError, type NetErrorCode } from '../core/errors.js';

const UNTRUSTED = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_GET_ISSUER_CERT',
  'CERT_UNTRUSTED',
]);

/** Map any error thrown by net/tls/https to a NetError; a NetError passes through unchanged. */
export function classifyNetError(err: unknown, host: string, phase: string): NetError {
  if (err instanceof NetError) return err;
  const code = (err as { code?: unknown })?.code;
  const c = typeof code === 'string' ? code : '';
  const reason = err instanceof Error ? err.message : String(err);
  const make = (k: NetErrorCode, message: string) => new NetError(k, host, phase, message, c ? { cause: c } : {});
  if (c === 'ECONNREFUSED')
    return make(
      'CONNECTION_REFUSED',
      `${host} refused the connection (nothing listens on that port, or a firewall rejects it)`,
    );
  if (c === 'ENOTFOUND' || c === 'EAI_AGAIN')
    return make('DNS_NOT_FOUND', `the host name ${host} could not be resolved (check the name and the DNS settings)`);
  if (c === 'ETIMEDOUT' || c === 'ESOCKETTIMEDOUT')
    return make('TIMEOUT', `${host} did not answer in time during ${phase}`);
  if (c === 'ECONNRESET' || c === 'EPIPE')
    return make('CONNECTION_RESET', `${host} reset the connection during ${phase}`);
  if (UNTRUSTED.has(c)) {
    return make(
      'TLS_UNTRUSTED',
      `the TLS certificate of ${host} is not trusted (${c}); if a proxy or private CA signs it, pass that CA with --ca-file`,
    );
  }
  if (c === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    // Node attaches the peer certificate: its names tell the user which host name would have matched.
    const names = (err as { cert?: { subjectaltname?: unknown } }).cert?.subjectaltname;
    const held = typeof names === 'string' && names ? ` (it names ${names.split(', ').slice(0, 5).join(', ')})` : '';
    return make(
      'TLS_HOSTNAME_MISMATCH',
      `the TLS certificate of ${host} was issued for another host name${held}; connect by a name the certificate holds, or have the server present a certificate for ${host.replace(/:\d+$/, '')}`,
    );
  }
  if (c === 'CERT_HAS_EXPIRED') return make('TLS_EXPIRED', `the TLS certificate of ${host} has expired`);
  if (c === 'CERT_NOT_YET_VALID')
    return make('TLS_EXPIRED', `the TLS certificate of ${host} is not valid yet (check the clock)`);
  if (
    c.startsWith('ERR_SSL') ||
    c.startsWith('ERR_TLS') ||
    (/ssl|tls/i.test(reason) && /handshake|alert|protocol/i.test(reason))
  ) {
    return make('TLS_FAILED', `the TLS handshake with ${host} failed (${c || 'handshake error'})`);
  }
  return make('SERVER_ERROR', `network failure talking to ${host} during ${phase}${c ? ` (${c})` : ''}`);
}

/** The error for a step that ran out of time or was cancelled by the caller. */
export function deadlineError(timedOut: boolean, host: string, phase: string, ms: number): NetError {
  return timedOut
    ? new NetError('TIMEOUT', host, phase, `${host} did not complete ${phase} within ${ms} ms`, { timeoutMs: ms })
    : new NetError('ABORTED', host, phase, `${phase} with ${host} was cancelled`);
}
