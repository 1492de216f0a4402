// config: the inputs are complete and well-formed for the chosen activities, before anything goes on the network.
import { defineCheck } from '../src/core/check.js';

export default defineCheck({
  meta: {
    id: 'config',
    title: 'Inputs are complete',
    category: 'config',
    dependsOn: [],
    description:
      "Every later check needs the tenant, the app's client id and secret, and the mailbox user's name and password. " +
      'This check finds what is missing or unusable for the chosen activities before any request is made.',
    codes: {
      CONFIG_OK: { message: 'Tenant, app and user are given for {activities}.' },
      MISSING_INPUT: {
        message: 'Missing: {missing}.',
        remediation:
          'Give them as flags, in the config file (m365-doctor init writes one), or as environment variables ({envNames}); secrets also from --client-secret-stdin / --password-stdin.',
      },
      TENANT_NOT_SPECIFIC: {
        message: 'Tenant "{tenant}" is not a specific tenant; the password grant needs one.',
        remediation: 'Use the tenant id (a GUID) or a verified domain such as contoso.onmicrosoft.com as --tenant.',
      },
      PASSWORD_WHITESPACE: {
        message: 'The password starts or ends with white space, which the password grant (ROPC) does not support.',
        remediation: 'Set a password for {username} without leading or trailing spaces.',
      },
      NO_CLIENT_SECRET: {
        message: 'No client secret given: the app is treated as a public client and app-only checks cannot run.',
        remediation: 'Give the secret (M365_DOCTOR_CLIENT_SECRET or --client-secret-stdin) if the connector uses one.',
      },
    },
  },
  async run({ config }) {
    const missing: string[] = [];
    const env: string[] = [];
    const need = (value: unknown, name: string, envName: string) => {
      if (!value) {
        missing.push(name);
        env.push(envName);
      }
    };
    need(config.tenant, 'tenant', 'M365_DOCTOR_TENANT');
    need(config.clientId, 'clientId', 'M365_DOCTOR_CLIENT_ID');
    need(config.username, 'username', 'M365_DOCTOR_USERNAME');
    // The app-only profile signs in with the app's secret and never sends the user's password.
    if (config.profile === 'app-only') need(config.clientSecret, 'clientSecret', 'M365_DOCTOR_CLIENT_SECRET');
    else need(config.password, 'password', 'M365_DOCTOR_PASSWORD');
    const evidence = { activities: config.activities.join(', '), cloud: config.cloud, profile: config.profile };
    if (missing.length) {
      return {
        status: 'fail',
        code: 'MISSING_INPUT',
        data: { missing: missing.join(', '), envNames: env.join(', ') },
        evidence,
      };
    }
    if (['common', 'consumers', 'organizations'].includes(config.tenant.toLowerCase())) {
      return { status: 'fail', code: 'TENANT_NOT_SPECIFIC', data: { tenant: config.tenant }, evidence };
    }
    const password = config.password?.reveal() ?? '';
    if (config.profile !== 'app-only' && password.trim() !== password) {
      return { status: 'fail', code: 'PASSWORD_WHITESPACE', data: { username: config.username }, evidence };
    }
    if (!config.clientSecret) return { status: 'warn', code: 'NO_CLIENT_SECRET', evidence };
    return { status: 'pass', code: 'CONFIG_OK', data: { activities: config.activities.join(', ') }, evidence };
  },
});
