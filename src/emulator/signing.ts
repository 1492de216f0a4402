// The tenant's token signing key, published in the JWKS as Entra does (kid = x5t = SHA-1 thumbprint of its cert).
import { createPublicKey, createPrivateKey, type KeyObject } from 'node:crypto';
import { signJwt, type JwtPayload } from './jwt.js';
import { rsaKeyPairAsync, signingCertificate, type KeyPairPem } from './tls.js';

export interface SigningKey {
  kid: string;
  x5t: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  publicKeyPem: string;
  /** The key as a JWKS entry: kty, use, kid, x5t, n, e, x5c. */
  jwk: Record<string, unknown>;
  sign(payload: JwtPayload): string;
}

export function signingKeyFrom(keys: KeyPairPem, subject: string): SigningKey {
  const { certDerBase64, x5t } = signingCertificate(keys, subject);
  const publicKey = createPublicKey(keys.publicKeyPem);
  const privateKey = createPrivateKey(keys.privateKeyPem);
  const { n, e } = publicKey.export({ format: 'jwk' }) as { n: string; e: string };
  const kid = x5t;
  return {
    kid,
    x5t,
    privateKey,
    publicKey,
    publicKeyPem: keys.publicKeyPem,
    jwk: { kty: 'RSA', use: 'sig', kid, x5t, n, e, x5c: [certDerBase64] },
    sign: (payload) => signJwt(payload, privateKey, { typ: 'JWT', kid, x5t }),
  };
}

export async function newSigningKey(subject: string): Promise<SigningKey> {
  return signingKeyFrom(await rsaKeyPairAsync(), subject);
}

let shared: Promise<SigningKey> | undefined;

/** The process-wide token signing key. Key generation dominates start-up, so every emulator in a process signs
 * with the same key; tokens still name their tenant, and mintAccessToken offers a foreign key for "wrong key" tests. */
export function sharedSigningKey(): Promise<SigningKey> {
  shared ??= newSigningKey('m365-doctor emulator token signing');
  return shared;
}
