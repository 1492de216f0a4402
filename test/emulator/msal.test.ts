// @azure/msal-node, unchanged, obtains ROPC, client-credentials and device-code tokens from the emulated Entra ID.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfidentialClientApplication, PublicClientApplication, type INetworkModule } from '@azure/msal-node';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { verifyJwt } from '../../src/emulator/jwt.js';
import { claimsOf, httpsRequest } from './helpers.js';

/** MSAL's network module over node:https, trusting the emulator CA explicitly. */
function trustingNetwork(caPem: string): INetworkModule {
  const send = async <T>(
    method: string,
    url: string,
    options?: { headers?: Record<string, string>; body?: string },
  ) => {
    const answer = await httpsRequest(url, caPem, { method, headers: options?.headers, body: options?.body });
    const headers = Object.fromEntries(
      Object.entries(answer.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : String(v)]),
    );
    return { status: answer.status, headers, body: answer.json as T };
  };
  return {
    sendGetRequestAsync: (url, options) => send('GET', url, options),
    sendPostRequestAsync: (url, options) => send('POST', url, options),
  };
}

let e: RunningEmulator;
beforeAll(async () => {
  e = await startEmulator();
});
afterAll(async () => {
  await e.stop();
});

function authority(tenant = e.credentials.tenantId) {
  return { authority: `${e.authorityHost}/${tenant}`, knownAuthorities: [new URL(e.authorityHost).host] };
}

describe('msal-node against the emulator', () => {
  it('ROPC (confidential client) returns an Exchange token with the delegated scopes and a refresh token', async () => {
    const c = e.credentials;
    const cca = new ConfidentialClientApplication({
      auth: { clientId: c.clientId, clientSecret: c.clientSecret, ...authority() },
      system: { networkClient: trustingNetwork(e.caPem) },
    });
    const result = await cca.acquireTokenByUsernamePassword({
      username: c.username,
      password: c.password,
      scopes: [
        'https://outlook.office.com/IMAP.AccessAsUser.All',
        'https://outlook.office.com/SMTP.Send',
        'offline_access',
      ],
    });
    expect(result).not.toBeNull();
    const claims = claimsOf(result!.accessToken);
    expect(claims.aud).toBe('https://outlook.office.com');
    expect(claims.scp).toBe('IMAP.AccessAsUser.All SMTP.Send');
    expect(claims.upn).toBe(c.username);
    expect(verifyJwt(result!.accessToken, e.signingKey.publicKeyPem).ok).toBe(true);
    expect(result!.account?.homeAccountId).toBe(`${claims.oid}.${claims.tid}`);
    const cache = JSON.parse(cca.getTokenCache().serialize()) as { RefreshToken: Record<string, unknown> };
    expect(Object.keys(cache.RefreshToken)).toHaveLength(1);
  });

  it('ROPC failures surface the AADSTS number (wrong password -> 50126)', async () => {
    const c = e.credentials;
    const cca = new ConfidentialClientApplication({
      auth: { clientId: c.clientId, clientSecret: c.clientSecret, ...authority() },
      system: { networkClient: trustingNetwork(e.caPem) },
    });
    const err = await cca
      .acquireTokenByUsernamePassword({
        username: c.username,
        password: 'nope',
        scopes: ['https://outlook.office.com/IMAP.AccessAsUser.All'],
      })
      .then(
        () => undefined,
        (x: unknown) => x as { errorNo?: string; errorCode?: string },
      );
    expect(String(err?.errorNo)).toBe('50126');
    expect(err?.errorCode).toBe('invalid_grant');
  });

  it('client credentials returns an app-only Exchange token with the assigned roles', async () => {
    const c = e.credentials;
    const cca = new ConfidentialClientApplication({
      auth: { clientId: c.clientId, clientSecret: c.clientSecret, ...authority(c.domain) },
      system: { networkClient: trustingNetwork(e.caPem) },
    });
    const result = await cca.acquireTokenByClientCredential({ scopes: ['https://outlook.office365.com/.default'] });
    const claims = claimsOf(result!.accessToken);
    expect(claims.aud).toBe('https://outlook.office365.com');
    expect(claims.roles).toEqual(['IMAP.AccessAsApp', 'POP.AccessAsApp']);
    expect(claims.oid).toBe(e.tenant.servicePrincipals.find((s) => s.appId === c.clientId)!.id);
    expect(claims.scp).toBeUndefined();
  });

  it('device code: once approved, a delegated Graph token for the approving user', async () => {
    const c = e.credentials;
    const pca = new PublicClientApplication({
      auth: { clientId: c.adminClientId, ...authority() },
      system: { networkClient: trustingNetwork(e.caPem) },
    });
    let message = '';
    const result = await pca.acquireTokenByDeviceCode({
      scopes: ['https://graph.microsoft.com/.default'],
      deviceCodeCallback: (info) => {
        message = info.message;
        // Approved before the first poll (the pending answer is covered over raw HTTP in entra.test.ts).
        e.approveDeviceCode(info.userCode);
      },
    });
    expect(message).toMatch(/enter the code [A-Z0-9]{9} to authenticate/);
    const claims = claimsOf(result!.accessToken);
    expect(claims.aud).toBe('https://graph.microsoft.com');
    expect(claims.upn).toBe(c.username);
    expect(claims.scp).toBe('Directory.Read.All Policy.Read.All');
    expect(claims.appidacr).toBe('0');
    const polls = e.log.entries.filter((x) => x.detail === 'device_code');
    expect(polls.map((p) => p.result)).toEqual(['200']);
  });
});
