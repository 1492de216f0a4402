// The built-in checks, in catalog order (a meta-test compares this list with the folder and docs/checks/).
import type { Check } from '../src/core/check.js';
import config from './config.js';
import tenantDiscovery from './tenant-discovery.js';
import userRealm from './user-realm.js';
import appCredentials from './app-credentials.js';
import appRolesGraph from './app-roles-graph.js';
import appRolesExchange from './app-roles-exchange.js';
import ropcToken from './ropc-token.js';
import ropcScopes from './ropc-scopes.js';
import userAccount from './user-account.js';
import userLicense from './user-license.js';
import appRegistration from './app-registration.js';
import adminConsent from './admin-consent.js';
import servicePrincipal from './service-principal.js';
import signInPolicy from './sign-in-policy.js';
import imapLogin from './imap-login.js';
import popLogin from './pop-login.js';
import smtpLogin from './smtp-login.js';
import exchangeAppAccess from './exchange-app-access.js';
import exchangeAppSmtp from './exchange-app-smtp.js';
import smtpSend from './smtp-send.js';

export const builtinChecks: Check[] = [
  config,
  tenantDiscovery,
  userRealm,
  appCredentials,
  appRolesGraph,
  appRolesExchange,
  ropcToken,
  ropcScopes,
  userAccount,
  userLicense,
  appRegistration,
  adminConsent,
  servicePrincipal,
  signInPolicy,
  imapLogin,
  popLogin,
  smtpLogin,
  exchangeAppAccess,
  exchangeAppSmtp,
  smtpSend,
];
