// A ResolvedConfig for client tests, every endpoint pointed at local test servers.
import { CLOUDS } from '../../../src/m365/clouds.js';
import type { ResolvedConfig } from '../../../src/config/types.js';
import { Secret } from '../../../src/core/secret.js';

export const PASSWORD = 'Corr3ct-Horse-Battery!';
export const CLIENT_SECRET = 'sEcr3t~value~0123456789abcdef';

export function testConfig(
  over: Omit<Partial<ResolvedConfig>, 'endpoints'> & { endpoints?: Partial<ResolvedConfig['endpoints']> } = {},
): ResolvedConfig {
  const { endpoints, ...rest } = over;
  return {
    cloud: 'global',
    tenant: 'contoso.test',
    clientId: '11111111-2222-3333-4444-555555555555',
    clientSecret: new Secret(CLIENT_SECRET),
    username: 'connector@contoso.test',
    password: new Secret(PASSWORD),
    activities: ['read-imap', 'read-pop', 'send-smtp'],
    profile: 'vendor',
    endpoints: { ...CLOUDS.global.endpoints, ...endpoints },
    timeoutMs: 3000,
    sendTestMail: false,
    exceptions: [],
    ...rest,
  };
}
