// Test fixtures for the emulated Exchange mail servers: a throw-away CA and server certificate, a token
// signing key, a small healthy tenant and token factories.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import forge from 'node-forge';
import { signJwt, type JwtPayload } from '../../src/emulator/jwt.js';
import type { TenantModel, User } from '../../src/emulator/model.js';
import type { ExchangeDeps } from '../../src/emulator/exchange/deps.js';
import { RequestLog } from '../../src/emulator/request-log.js';

export const TENANT_ID = '11111111-1111-1111-1111-111111111111';
export const APP_ID = '22222222-2222-2222-2222-222222222222';
export const APP_OBJECT_ID = '33333333-3333-3333-3333-333333333333';
export const SP_OBJECT_ID = '44444444-4444-4444-4444-444444444444';
export const USER_ID = '55555555-5555-5555-5555-555555555555';
export const DELEGATE_ID = '66666666-6666-6666-6666-666666666666';
export const SHARED_ID = '77777777-7777-7777-7777-777777777777';
export const MAILBOX = 'connector@m365doctordemo.onmicrosoft.com';
export const DELEGATE = 'delegate@m365doctordemo.onmicrosoft.com';
export const SHARED = 'shared@m365doctordemo.onmicrosoft.com';
export const SERVER_NAME = 'BN0PR04CA0001.outlook.office365.com';

export interface TestPki {
  caPem: string;
  caFile: string;
  key: string;
  cert: string;
}

function pemKeys() {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    forgePrivate: forge.pki.privateKeyFromPem(privateKey.export({ type: 'pkcs8', format: 'pem' }) as string),
    forgePublic: forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }) as string),
    pem: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
  };
}

function certificate(
  subjectCn: string,
  issuerCn: string,
  keys: ReturnType<typeof pemKeys>,
  signer: forge.pki.rsa.PrivateKey,
  ca: boolean,
) {
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.forgePublic;
  cert.serialNumber = `0${randomUUID().replace(/-/g, '').slice(0, 15)}`;
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + 24 * 3600_000);
  cert.setSubject([{ name: 'commonName', value: subjectCn }]);
  cert.setIssuer([{ name: 'commonName', value: issuerCn }]);
  cert.setExtensions(
    ca
      ? [
          { name: 'basicConstraints', cA: true, critical: true },
          { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
        ]
      : [
          { name: 'basicConstraints', cA: false },
          { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
          { name: 'extKeyUsage', serverAuth: true },
          {
            name: 'subjectAltName',
            altNames: [
              { type: 2, value: 'localhost' },
              { type: 7, ip: '127.0.0.1' },
            ],
          },
        ],
  );
  cert.sign(signer, forge.md.sha256.create());
  return forge.pki.certificateToPem(cert);
}

/** A test CA and a server certificate for 127.0.0.1 / localhost signed by it; the CA is also written to a file for curl. */
export function makeTestPki(): TestPki {
  const caKeys = pemKeys();
  const caPem = certificate('m365-doctor test CA', 'm365-doctor test CA', caKeys, caKeys.forgePrivate, true);
  const leafKeys = pemKeys();
  const cert = certificate('localhost', 'm365-doctor test CA', leafKeys, caKeys.forgePrivate, false);
  const caFile = join(mkdtempSync(join(tmpdir(), 'exchange-test-')), 'ca.pem');
  writeFileSync(caFile, caPem);
  return { caPem, caFile, key: leafKeys.pem, cert };
}

export function makeSigningKeys(): { privateKey: KeyObject; publicKey: KeyObject } {
  return generateKeyPairSync('rsa', { modulusLength: 2048 });
}

function user(id: string, upn: string): User {
  return {
    id,
    userPrincipalName: upn,
    displayName: upn.split('@')[0],
    mail: upn,
    accountEnabled: true,
    userType: 'Member',
    onPremisesSyncEnabled: null,
    assignedLicenses: [],
    password: 'not-used-here',
    namespaceType: 'Managed',
    allowCloudPasswordValidation: false,
    perUserMfa: false,
    locked: false,
    passwordExpired: false,
    mailbox: { imapEnabled: true, popEnabled: true, smtpClientAuthenticationDisabled: null },
  };
}

/** The parts of a healthy tenant the mail servers read. */
export function makeTenant(): TenantModel {
  return {
    tenantId: TENANT_ID,
    displayName: 'm365doctordemo',
    domains: [],
    cloudInstanceName: 'microsoftonline.com',
    tenantRegionScope: 'NA',
    applications: [
      {
        id: APP_OBJECT_ID,
        appId: APP_ID,
        displayName: 'Mail Connector',
        signInAudience: 'AzureADMyOrg',
        isFallbackPublicClient: false,
        requiredResourceAccess: [],
        passwordCredentials: [],
      },
    ],
    servicePrincipals: [
      {
        id: SP_OBJECT_ID,
        appId: APP_ID,
        displayName: 'Mail Connector',
        accountEnabled: true,
        appRoleAssignmentRequired: false,
        servicePrincipalType: 'Application',
        appOwnerOrganizationId: TENANT_ID,
        appRoles: [],
        oauth2PermissionScopes: [],
      },
    ],
    appRoleAssignments: [],
    oauth2PermissionGrants: [],
    users: [user(USER_ID, MAILBOX), user(DELEGATE_ID, DELEGATE), user(SHARED_ID, SHARED)],
    subscribedSkus: [],
    securityDefaultsEnabled: false,
    conditionalAccessPolicies: [],
    exchange: {
      smtpClientAuthenticationDisabled: false,
      servicePrincipals: [{ appId: APP_ID, objectId: SP_OBJECT_ID, displayName: 'Mail Connector' }],
      mailboxPermissions: [
        { mailbox: MAILBOX, principal: SP_OBJECT_ID, accessRights: ['FullAccess'] },
        { mailbox: SHARED, principal: DELEGATE, accessRights: ['FullAccess'] },
      ],
    },
  };
}

export class TokenFactory {
  constructor(private readonly key: KeyObject) {}

  private sign(claims: JwtPayload): string {
    const now = Math.floor(Date.now() / 1000);
    return signJwt(
      {
        aud: 'https://outlook.office.com',
        iss: `https://sts.windows.net/${TENANT_ID}/`,
        tid: TENANT_ID,
        iat: now - 60,
        nbf: now - 60,
        exp: now + 3600,
        appid: APP_ID,
        ...claims,
      },
      this.key,
      { kid: 'test-key' },
    );
  }

  /** A ROPC-style token for the connector user (or another), with all three mail scopes unless told otherwise. */
  delegated(overrides: JwtPayload = {}): string {
    return this.sign({
      scp: 'IMAP.AccessAsUser.All POP.AccessAsUser.All SMTP.Send User.Read',
      upn: MAILBOX,
      oid: USER_ID,
      ...overrides,
    });
  }

  /** A client-credentials token for the connector app. */
  appOnly(overrides: JwtPayload = {}): string {
    return this.sign({
      aud: 'https://outlook.office365.com',
      roles: ['IMAP.AccessAsApp', 'POP.AccessAsApp', 'SMTP.SendAsApp'],
      oid: SP_OBJECT_ID,
      ...overrides,
    });
  }
}

/** Everything a test needs to start the servers; the tenant is mutable so a test can apply a scenario. */
export function makeDeps(
  pki: TestPki,
  publicKey: KeyObject,
  tenant: TenantModel = makeTenant(),
): ExchangeDeps & { tenantModel: TenantModel; log: RequestLog } {
  const deps = {
    tenantModel: tenant,
    tenant: () => deps.tenantModel,
    tls: { key: pki.key, cert: pki.cert },
    publicKey,
    log: new RequestLog(),
    host: '127.0.0.1',
    port: 0,
    serverName: SERVER_NAME,
  };
  return deps;
}

/** curl as an independent client: trusts the test CA and logs in as MAILBOX with XOAUTH2; `args` say the rest. */
export function curlXoauth2(
  caFile: string,
  token: string,
  args: string[],
): Promise<{ stdout: string; stderr: string }> {
  return promisify(execFile)('curl', ['-sS', '--cacert', caFile, '--oauth2-bearer', token, '--user', MAILBOX, ...args]);
}
