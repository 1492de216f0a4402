// A Dovecot lab that trusts the public half of a fresh RSA key, for tests that mint their own tokens with the
// private half, and a server certificate from a CA made for the test (the clients trust it; verification stays on).
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { createCertificateAuthority } from '../../src/emulator/tls.js';
import { startDovecot, type DovecotOptions, type RunningDovecot } from './dovecot.js';

/** Starts the lab; `key` signs the tokens it accepts. */
export async function startKeyedDovecot(
  o: Omit<DovecotOptions, 'publicKeyPem'>,
): Promise<{ lab: RunningDovecot; key: KeyObject }> {
  const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const publicKeyPem = pair.publicKey.export({ type: 'spki', format: 'pem' }).toString();
  return { lab: await startDovecot({ ...o, publicKeyPem }), key: pair.privateKey };
}

/** A certificate for 127.0.0.1 and localhost from a fresh CA, and that CA for the clients. */
export function freshLabCert(): { caPem: string; tls: DovecotOptions['tls'] } {
  const ca = createCertificateAuthority();
  const server = ca.issueServerCert({ hosts: ['127.0.0.1', 'localhost'] });
  return { caPem: ca.caPem, tls: { certPem: server.cert, keyPem: server.key } };
}
