// The emulator's own certificate authority: a CA and server certificates made in-process, so every client
// trusts the emulator explicitly (its CA PEM) and TLS is never switched off. Keys come from node:crypto (fast);
// node-forge only builds and signs the X.509 structures.
import { createHash, createSign, generateKeyPair, generateKeyPairSync, randomBytes } from 'node:crypto';
import forge from 'node-forge';

export interface KeyPairPem {
  privateKeyPem: string;
  publicKeyPem: string;
}

export interface ServerCert {
  /** PEM private key (PKCS#1). */
  key: string;
  /** PEM certificate. */
  cert: string;
}

export interface IssueOptions {
  /** DNS names and IP addresses for the subjectAltName; the first one is also the common name. */
  hosts: string[];
  /** Default: now - 1 hour. */
  notBefore?: Date;
  /** Default: now + 30 days. A date in the past gives an expired certificate. */
  notAfter?: Date;
}

export interface CertificateAuthority {
  caPem: string;
  issueServerCert(opts: IssueOptions): ServerCert;
}

const HOUR_MS = 3_600_000;

export function rsaKeyPair(bits = 2048): KeyPairPem {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: bits, ...RSA_OPTIONS }) as unknown as {
    privateKey: string;
    publicKey: string;
  };
  return { privateKeyPem: privateKey, publicKeyPem: publicKey };
}

const RSA_OPTIONS = {
  privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
} as const;

/** Non-blocking key generation (the emulator starts its keys in parallel). */
export async function rsaKeyPairAsync(bits = 2048): Promise<KeyPairPem> {
  return new Promise((resolve, reject) => {
    generateKeyPair(
      'rsa',
      {
        modulusLength: bits,
        privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
        publicKeyEncoding: { type: 'spki', format: 'pem' },
      },
      (err, publicKey, privateKey) => {
        if (err) reject(err);
        else resolve({ privateKeyPem: privateKey, publicKeyPem: publicKey });
      },
    );
  });
}

// Present in node-forge, missing from its type definitions.
const tbsOf = (cert: forge.pki.Certificate) =>
  (forge.pki as unknown as { getTBSCertificate(c: forge.pki.Certificate): forge.asn1.Asn1 }).getTBSCertificate(cert);

/** Sign a forge certificate with node:crypto: forge's pure-JS RSA takes hundreds of milliseconds. */
function signCert(cert: forge.pki.Certificate, privateKeyPem: string): void {
  const oid = forge.pki.oids.sha256WithRSAEncryption;
  cert.signatureOid = oid;
  cert.siginfo.algorithmOid = oid;
  const tbs = Buffer.from(forge.asn1.toDer(tbsOf(cert)).getBytes(), 'binary');
  cert.signature = createSign('sha256').update(tbs).sign(privateKeyPem).toString('binary');
}

function serialNumber(): string {
  // Positive, 16 bytes: the top bit cleared so DER does not read it as negative.
  const bytes = randomBytes(16);
  bytes[0] &= 0x7f;
  return bytes.toString('hex');
}

const isIp = (host: string) => /^\d{1,3}(\.\d{1,3}){3}$/.test(host) || host.includes(':');

function newCert(keys: KeyPairPem, subjectCn: string, notBefore: Date, notAfter: Date): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(keys.publicKeyPem);
  cert.serialNumber = serialNumber();
  cert.validity.notBefore = notBefore;
  cert.validity.notAfter = notAfter;
  cert.setSubject([
    { name: 'commonName', value: subjectCn },
    { name: 'organizationName', value: 'm365-doctor emulator' },
  ]);
  return cert;
}

/** A new CA (valid from an hour ago for ten years) able to issue server certificates. */
export function createCertificateAuthority(keys?: { ca: KeyPairPem; server?: KeyPairPem }): CertificateAuthority {
  const caKeys = keys?.ca ?? rsaKeyPair();
  const now = Date.now();
  const ca = newCert(caKeys, 'm365-doctor emulator CA', new Date(now - HOUR_MS), new Date(now + 3650 * 24 * HOUR_MS));
  ca.setIssuer(ca.subject.attributes);
  ca.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  signCert(ca, caKeys.privateKeyPem);
  const caPem = forge.pki.certificateToPem(ca);
  // One server key serves every certificate this CA issues: key generation is the slow part.
  let serverKeys: KeyPairPem | undefined = keys?.server;

  return {
    caPem,
    issueServerCert({ hosts, notBefore, notAfter }: IssueOptions): ServerCert {
      if (!hosts.length) throw new Error('issueServerCert needs at least one host');
      serverKeys ??= rsaKeyPair();
      const start = Date.now();
      const cert = newCert(
        serverKeys,
        hosts[0],
        notBefore ?? new Date(start - HOUR_MS),
        notAfter ?? new Date(start + 30 * 24 * HOUR_MS),
      );
      cert.setIssuer(ca.subject.attributes);
      cert.setExtensions([
        { name: 'basicConstraints', cA: false },
        { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
        { name: 'extKeyUsage', serverAuth: true },
        { name: 'subjectAltName', altNames: hosts.map((h) => (isIp(h) ? { type: 7, ip: h } : { type: 2, value: h })) },
        { name: 'authorityKeyIdentifier', keyIdentifier: ca.generateSubjectKeyIdentifier().getBytes() },
      ]);
      signCert(cert, caKeys.privateKeyPem);
      return { key: serverKeys.privateKeyPem, cert: forge.pki.certificateToPem(cert) };
    },
  };
}

let shared: CertificateAuthority | undefined;

/** The process-wide emulator CA: every emulator (and any test server issued here) chains to it. */
export function emulatorCa(): CertificateAuthority {
  shared ??= createCertificateAuthority();
  return shared;
}

/** The process-wide CA, its keys made without blocking the event loop. */
export async function emulatorCaAsync(): Promise<CertificateAuthority> {
  if (!shared) {
    const [ca, server] = await Promise.all([rsaKeyPairAsync(), rsaKeyPairAsync()]);
    shared ??= createCertificateAuthority({ ca, server });
  }
  return shared;
}

/** PEM of the process-wide emulator CA. */
export function caPem(): string {
  return emulatorCa().caPem;
}

/** A server certificate from the process-wide CA, e.g. an expired one or one for the wrong host name. */
export function issueServerCert(opts: IssueOptions): ServerCert {
  return emulatorCa().issueServerCert(opts);
}

/** The usual loopback certificate: SANs IP 127.0.0.1 and DNS localhost. */
export function loopbackServerCert(ca: CertificateAuthority = emulatorCa()): ServerCert {
  return ca.issueServerCert({ hosts: ['127.0.0.1', 'localhost'] });
}

/** A self-signed certificate for a token signing key: its SHA-1 thumbprint is the JWT `x5t` (and `kid`, as Entra does). */
export function signingCertificate(keys: KeyPairPem, subject: string): { certDerBase64: string; x5t: string } {
  const now = Date.now();
  const cert = newCert(keys, subject, new Date(now - HOUR_MS), new Date(now + 365 * 24 * HOUR_MS));
  cert.setIssuer(cert.subject.attributes);
  signCert(cert, keys.privateKeyPem);
  const der = Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes(), 'binary');
  return { certDerBase64: der.toString('base64'), x5t: createHash('sha1').update(der).digest('base64url') };
}
