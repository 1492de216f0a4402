// Well-known and demo identifiers of the emulated tenant. Microsoft GUIDs come from the facts file (§5, §6);
// demo object ids are readable on purpose so test failures are easy to follow.

/** Microsoft Graph permissions (appRoles for application, scopes for delegated). */
export const GRAPH_ROLES = {
  'Mail.Send': 'b633e1c5-b582-4048-a93e-9f11b44c7e96',
  'Mail.Read': '810c84a8-4a9e-49e6-bf7d-12d183f40d01',
  'User.Read.All': 'df021288-bdef-4463-88db-98f22de89214',
  'Application.Read.All': '9a5d68dd-52b0-4cc2-bd40-abcf44ac3a30',
  'Directory.Read.All': '7ab1d382-f21e-4acd-a863-ba3e13f7da61',
  'Policy.Read.All': '246dd0d5-5bd0-4def-940b-0421030a5b68',
  'Organization.Read.All': '498476ce-e0fe-48b0-b801-37ba7e2685c6',
  'LicenseAssignment.Read.All': 'e2f98668-2877-4f38-a2f4-8202e0717aa1',
  'DelegatedPermissionGrant.Read.All': '81b4724a-58aa-41c1-8a55-84ef97466587',
} as const;

export const GRAPH_SCOPES = {
  offline_access: '7427e0e9-2fba-42fe-b0c0-848c9e6a8182',
  openid: '37f7f235-527c-4136-accd-4a02d197296e',
  profile: '14dad69e-099b-42c9-810b-d002981feec1',
  email: '64a6cdd6-aab1-4aaf-94b8-3cc8405e90d0',
  'User.Read': 'e1fe6dd8-ba31-4d61-89e7-88639da4683d',
  'IMAP.AccessAsUser.All': '652390e4-393a-48de-9484-05f9b1212954',
  'POP.AccessAsUser.All': 'd7b7f2d9-0f45-4ea1-9d42-e50810c06991',
  'SMTP.Send': '258f6531-6087-4cc4-bb90-092c5fb3ed3f',
  'Mail.Send': 'e383f46e-2787-4529-855e-0e479a3ffac0',
  'User.Read.All': 'a154be20-db9c-4678-8ab7-66f6cc099a59',
  'Directory.Read.All': '06da0dbc-49e2-44d2-8312-53f166ab848a',
  'Application.Read.All': 'c79f8feb-a9db-4090-85f9-90d820caa0eb',
  'Policy.Read.All': '572fea84-0151-49b2-9301-11cb16974376',
  'Organization.Read.All': '4908d5b9-3fb2-4b1e-9336-1888b7937185',
} as const;

/** Office 365 Exchange Online permissions (community-sourced GUIDs, facts §5.2). */
export const EXCHANGE_ROLES = {
  'IMAP.AccessAsApp': '5e5addcd-3e8d-4e90-baf5-964efab2b20a',
  'POP.AccessAsApp': 'cb842b43-da6e-4506-86fe-bb12199c656d',
  'SMTP.SendAsApp': '7146a1f0-8703-45b3-9eae-527a64c00995',
  full_access_as_app: 'dc890d15-9560-4a4c-9b7f-a736ec74ec40',
} as const;

export const EXCHANGE_SCOPES = {
  'IMAP.AccessAsUser.All': '195adc35-e27b-454b-a7ed-1ecdffa1c09f',
  'POP.AccessAsUser.All': 'fb698133-92fa-453e-a9ed-688e10f2e5ac',
  'SMTP.Send': '76faac2a-0f20-42f1-928a-50de5b9dbe52',
  'EWS.AccessAsUser.All': '3b5f3d61-589b-4a3c-a359-5dd4b5ee5bd5',
} as const;

export const SKUS = {
  businessStandard: { skuId: 'f245ecc8-75af-4f8e-b61f-27d8114de5f3', skuPartNumber: 'O365_BUSINESS_PREMIUM' },
  officeE3: { skuId: '6fd2c87f-b296-42f0-b197-1e91e994b900', skuPartNumber: 'ENTERPRISEPACK' },
} as const;

export const SERVICE_PLANS = {
  EXCHANGE_S_STANDARD: '9aaf7827-d63c-4b61-89c3-182f06f82e5c',
  EXCHANGE_S_ENTERPRISE: 'efb87545-963c-4e0d-99df-69c6916d9eb0',
} as const;

/** Demo tenant object ids. */
export const DEMO = {
  tenantId: '11111111-1111-1111-1111-111111111111',
  domain: 'm365doctordemo.onmicrosoft.com',
  connectorAppId: '22222222-2222-2222-2222-222222222222',
  connectorAppObjectId: '33333333-3333-3333-3333-333333333333',
  connectorSpId: '44444444-4444-4444-4444-444444444444',
  graphSpId: '55555555-5555-5555-5555-555555555555',
  exchangeSpId: '66666666-6666-6666-6666-666666666666',
  userId: '77777777-7777-7777-7777-777777777777',
  auditorAppId: '88888888-8888-8888-8888-888888888888',
  auditorAppObjectId: '99999999-9999-9999-9999-999999999999',
  auditorSpId: 'aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa',
  connectorSecretKeyId: 'bbbbbbbb-bbbb-bbbb-bbbb-bbbbbbbbbbb1',
  auditorSecretKeyId: 'bbbbbbbb-bbbb-bbbb-bbbb-bbbbbbbbbbb2',
} as const;
