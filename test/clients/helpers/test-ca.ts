// A throwaway CA and server certificates for the client tests (node-forge; RSA keys from node:crypto for speed).
import { generateKeyPairSync } from 'node:crypto';
import forge from 'node-forge';

export interface Issued {
  key: string;
  cert: string;
}
export interface TestCa {
  caPem: string;
  issue(opts?: { hosts?: string[]; notAfter?: Date; notBefore?: Date }): Issued;
}

function keyPair() {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    pem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    forgePriv: forge.pki.privateKeyFromPem(privateKey.export({ type: 'pkcs1', format: 'pem' }).toString()),
    forgePub: forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString()),
  };
}

let serial = 1;
function cert(
  subjectCn: string,
  pub: forge.pki.PublicKey,
  issuer: forge.pki.Certificate | null,
  signer: forge.pki.rsa.PrivateKey,
  notBefore: Date,
  notAfter: Date,
  extensions: object[],
): forge.pki.Certificate {
  const c = forge.pki.createCertificate();
  c.publicKey = pub;
  c.serialNumber = (0x1000 + serial++).toString(16);
  c.validity.notBefore = notBefore;
  c.validity.notAfter = notAfter;
  c.setSubject([{ name: 'commonName', value: subjectCn }]);
  c.setIssuer(issuer ? issuer.subject.attributes : [{ name: 'commonName', value: subjectCn }]);
  c.setExtensions(extensions);
  c.sign(signer, forge.md.sha256.create());
  return c;
}

export function createTestCa(name = 'm365-doctor client test CA'): TestCa {
  const ca = keyPair();
  const now = Date.now();
  const caCert = cert(name, ca.forgePub, null, ca.forgePriv, new Date(now - 3600_000), new Date(now + 86400_000), [
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
  ]);
  const caPem = forge.pki.certificateToPem(caCert);
  const leafKey = keyPair();
  return {
    caPem,
    issue({
      hosts = ['127.0.0.1', 'localhost'],
      notBefore = new Date(now - 3600_000),
      notAfter = new Date(now + 86400_000),
    } = {}) {
      const altNames = hosts.map((h) => (/^[\d.]+$/.test(h) ? { type: 7, ip: h } : { type: 2, value: h }));
      const c = cert(hosts[0], leafKey.forgePub, caCert, ca.forgePriv, notBefore, notAfter, [
        { name: 'basicConstraints', cA: false },
        { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
        { name: 'extKeyUsage', serverAuth: true },
        { name: 'subjectAltName', altNames },
      ]);
      return { key: leafKey.pem, cert: forge.pki.certificateToPem(c) };
    },
  };
}
