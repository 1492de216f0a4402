// The CA list every TLS client of the run uses: the system roots plus the --ca-file CAs, never less.
import { X509Certificate } from 'node:crypto';
import tls from 'node:tls';
import { ConfigError } from '../core/errors.js';

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
 * One secure context per CA set, built once. Undefined means Node's default (system roots only).
 * The --ca-file CAs are added to a context that starts from Node's root store, whose certificates Node has parsed
 * once already; handing `ca` the ~140 root PEMs instead parses each of them again (about 25 ms of CPU before the
 * run's first connection can start).
 */
export function secureContextFor(caPem?: string): tls.SecureContext | undefined {
  if (!caPem) return undefined;
  let ctx = contexts.get(caPem);
  if (!ctx) {
    checkPem(caPem);
    ctx = withAddedCas(caPem) ?? tls.createSecureContext({ ca: trustedCas(caPem) });
    contexts.set(caPem, ctx);
  }
  return ctx;
}

/**
 * The default context (system roots) plus `caPem`, through the native context's addCACert, which copies the root
 * store before adding to it (so the process-wide default stays untouched). Undefined where Node lacks that method.
 */
function withAddedCas(caPem: string): tls.SecureContext | undefined {
  const ctx = tls.createSecureContext();
  const native = (ctx as { context?: { addCACert?: (pem: string) => void } }).context;
  if (typeof native?.addCACert !== 'function') return undefined;
  native.addCACert(caPem);
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
