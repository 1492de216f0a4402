// The CA list every TLS client of the run uses: the system roots plus the --ca-file CAs, never less.
import tls from 'node:tls';

export function trustedCas(caPem?: string): string[] | undefined {
  return caPem ? [...tls.rootCertificates, caPem] : undefined;
}
