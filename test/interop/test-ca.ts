// A throwaway certificate authority for the interop suite: Dovecot's TLS is verified against it, never skipped.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import forge from 'node-forge';

export interface IssuedCert { certPem: string; keyPem: string }
export interface TestCa { caPem: string; issue(commonName: string, ips: string[], dnsNames: string[]): IssuedCert }

// node:crypto makes the keys (fast, native); node-forge only assembles and signs the X.509 structures.
function rsaKeys(): { forgePriv: forge.pki.rsa.PrivateKey; forgePub: forge.pki.rsa.PublicKey; keyPem: string } {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keyPem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  const forgePriv = forge.pki.privateKeyFromPem(keyPem);
  return { forgePriv, forgePub: forge.pki.setRsaPublicKey(forgePriv.n, forgePriv.e), keyPem };
}

function validity(cert: forge.pki.Certificate): void {
  cert.serialNumber = '01' + randomBytes(8).toString('hex');
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + 24 * 3600_000);
}

export function createTestCa(name = 'm365-doctor interop test CA'): TestCa {
  const ca = rsaKeys();
  const caCert = forge.pki.createCertificate();
  caCert.publicKey = ca.forgePub;
  validity(caCert);
  const caSubject = [{ name: 'commonName', value: name }];
  caCert.setSubject(caSubject);
  caCert.setIssuer(caSubject);
  caCert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  caCert.sign(ca.forgePriv, forge.md.sha256.create());

  return {
    caPem: forge.pki.certificateToPem(caCert),
    issue(commonName, ips, dnsNames) {
      const leaf = rsaKeys();
      const cert = forge.pki.createCertificate();
      cert.publicKey = leaf.forgePub;
      validity(cert);
      cert.setSubject([{ name: 'commonName', value: commonName }]);
      cert.setIssuer(caSubject);
      cert.setExtensions([
        { name: 'basicConstraints', cA: false },
        { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
        { name: 'extKeyUsage', serverAuth: true },
        // altNames type 7 = IP address, type 2 = DNS name (RFC 5280 GeneralName tags).
        { name: 'subjectAltName', altNames: [...ips.map((ip) => ({ type: 7, ip })), ...dnsNames.map((value) => ({ type: 2, value }))] },
      ]);
      cert.sign(ca.forgePriv, forge.md.sha256.create());
      return { certPem: forge.pki.certificateToPem(cert), keyPem: leaf.keyPem };
    },
  };
}
