// The CA list every TLS client of the run uses: the system roots plus the --ca-file CAs, never less.
import { X509Certificate } from 'node:crypto';
import tls from 'node:tls';
import { ConfigError } from '../errors.js';

/**
 * Spread into every TLS client's options. Node takes NODE_TLS_REJECT_UNAUTHORIZED=0 as the default of
 * rejectUnauthorized; an explicit true is the only value that variable cannot turn off.
 */
export const VERIFY_PEER = { rejectUnauthorized: true } as const;

const contexts = new Map<string, tls.SecureContext>();
const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;

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
  if (!ctx) {
    checkPem(caPem);
    ctx = tls.createSecureContext({ ca: trustedCas(caPem) });
    contexts.set(caPem, ctx);
  }
  return ctx;
}

/** Node skips unparsable CA blocks silently; the user would then chase a "not trusted" error they already fixed. */
function checkPem(caPem: string): void {
  const blocks = caPem.match(PEM_BLOCK) ?? [];
  const fix = 'Pass a file of PEM CA certificates ("-----BEGIN CERTIFICATE-----" blocks)';
  if (!blocks.length) throw new ConfigError('ca-file', 'holds no PEM certificate', fix);
  blocks.forEach((block, i) => {
    try {
      new X509Certificate(block);
    } catch {
      throw new ConfigError('ca-file', `certificate ${i + 1} of ${blocks.length} cannot be parsed`, fix);
    }
  });
}
