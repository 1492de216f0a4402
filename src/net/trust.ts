// The CA list every TLS client of the run uses: the system roots plus the --ca-file CAs, never less.
import tls from 'node:tls';

const contexts = new Map<string, tls.SecureContext>();

export function trustedCas(caPem?: string): string[] | undefined {
  return caPem ? [...tls.rootCertificates, caPem] : undefined;
}

/**
 * One secure context per CA set, built once: parsing the ~140 system roots for every connection costs
 * tens of milliseconds per handshake. Undefined means Node's default (system roots only).
 */
export function secureContextFor(caPem?: string): tls.SecureContext | undefined {
  if (!caPem) return undefined;
  let ctx = contexts.get(caPem);
  if (!ctx) { ctx = tls.createSecureContext({ ca: trustedCas(caPem) }); contexts.set(caPem, ctx); }
  return ctx;
}
