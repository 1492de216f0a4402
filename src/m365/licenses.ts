// Licences and service plans that give (or do not give) an Exchange Online mailbox (facts §6).

export const BUSINESS_STANDARD_SKU_ID = 'f245ecc8-75af-4f8e-b61f-27d8114de5f3';

/** Service plans that provision a user mailbox. */
export const EXCHANGE_MAILBOX_PLANS: Record<string, string> = {
  '9aaf7827-d63c-4b61-89c3-182f06f82e5c': 'EXCHANGE_S_STANDARD',
  'efb87545-963c-4e0d-99df-69c6916d9eb0': 'EXCHANGE_S_ENTERPRISE',
  '4a82b400-a79f-41a4-b4e2-e94f5787b113': 'EXCHANGE_S_DESKLESS',
  '1126bef5-da20-4f07-b45e-ad25d2581aa8': 'EXCHANGE_S_ESSENTIALS',
  'fc52cc4b-ed7d-472d-bbe7-b081c23ecc56': 'EXCHANGE_S_STANDARD_MIDMARKET',
  'e9b4930a-925f-45e2-ac2a-3f7788ca6fdd': 'EXCHANGE_S_STANDARD_GOV',
  '8c3069c0-ccdb-44be-ab77-986203a67df2': 'EXCHANGE_S_ENTERPRISE_GOV',
  '88f4d7ef-a73b-4246-8047-516022144c9f': 'EXCHANGE_S_DESKLESS_GOV',
};

export interface KnownSku {
  skuPartNumber: string;
  product: string;
  exchangePlanIds: string[];
}

/** SKUs m365-doctor knows offline, for when the directory reader cannot list /subscribedSkus. */
export const KNOWN_SKUS: Record<string, KnownSku> = {
  [BUSINESS_STANDARD_SKU_ID]: {
    skuPartNumber: 'O365_BUSINESS_PREMIUM',
    product: 'Microsoft 365 Business Standard',
    exchangePlanIds: ['9aaf7827-d63c-4b61-89c3-182f06f82e5c'],
  },
  '3b555118-da6a-4418-894f-7df1e2096870': {
    skuPartNumber: 'O365_BUSINESS_ESSENTIALS',
    product: 'Microsoft 365 Business Basic',
    exchangePlanIds: ['9aaf7827-d63c-4b61-89c3-182f06f82e5c'],
  },
  'cbdc14ab-d96c-4c30-b9f4-6ada7cdc1d46': {
    skuPartNumber: 'SPB',
    product: 'Microsoft 365 Business Premium',
    exchangePlanIds: ['9aaf7827-d63c-4b61-89c3-182f06f82e5c'],
  },
  'cdd28e44-67e3-425e-be4c-737fab2899d3': {
    skuPartNumber: 'O365_BUSINESS',
    product: 'Microsoft 365 Apps for Business',
    exchangePlanIds: [],
  },
  '4b9405b0-7788-4568-add1-99614e613b69': {
    skuPartNumber: 'EXCHANGESTANDARD',
    product: 'Exchange Online (Plan 1)',
    exchangePlanIds: ['9aaf7827-d63c-4b61-89c3-182f06f82e5c'],
  },
  '19ec0d23-8335-4cbd-94ac-6050e30712fa': {
    skuPartNumber: 'EXCHANGEENTERPRISE',
    product: 'Exchange Online (Plan 2)',
    exchangePlanIds: ['efb87545-963c-4e0d-99df-69c6916d9eb0'],
  },
  '80b2d799-d2ba-4d2a-8842-fb0d0f3a4b82': {
    skuPartNumber: 'EXCHANGEDESKLESS',
    product: 'Exchange Online Kiosk',
    exchangePlanIds: ['4a82b400-a79f-41a4-b4e2-e94f5787b113'],
  },
  '18181a46-0d4e-45cd-891e-60aabd171b4e': {
    skuPartNumber: 'STANDARDPACK',
    product: 'Office 365 E1',
    exchangePlanIds: ['9aaf7827-d63c-4b61-89c3-182f06f82e5c'],
  },
  '6fd2c87f-b296-42f0-b197-1e91e994b900': {
    skuPartNumber: 'ENTERPRISEPACK',
    product: 'Office 365 E3',
    exchangePlanIds: ['efb87545-963c-4e0d-99df-69c6916d9eb0'],
  },
  'c7df2760-2c81-4ef7-b578-5b5392b571df': {
    skuPartNumber: 'ENTERPRISEPREMIUM',
    product: 'Office 365 E5',
    exchangePlanIds: ['efb87545-963c-4e0d-99df-69c6916d9eb0'],
  },
  '05e9a617-0261-4cee-bb44-138d3ef5d965': {
    skuPartNumber: 'SPE_E3',
    product: 'Microsoft 365 E3',
    exchangePlanIds: ['efb87545-963c-4e0d-99df-69c6916d9eb0'],
  },
  '06ebc4ee-1bb5-47dd-8120-11324bc54e06': {
    skuPartNumber: 'SPE_E5',
    product: 'Microsoft 365 E5',
    exchangePlanIds: ['efb87545-963c-4e0d-99df-69c6916d9eb0'],
  },
  '4b585984-651b-448a-9e53-3b10f069cf7f': {
    skuPartNumber: 'DESKLESSPACK',
    product: 'Office 365 F3',
    exchangePlanIds: ['4a82b400-a79f-41a4-b4e2-e94f5787b113'],
  },
  '66b55226-6b4f-492c-910c-a3b7a3c9d993': {
    skuPartNumber: 'SPE_F1',
    product: 'Microsoft 365 F3',
    exchangePlanIds: ['4a82b400-a79f-41a4-b4e2-e94f5787b113'],
  },
  '44575883-256e-4a79-9da4-ebe9acabe2b2': {
    skuPartNumber: 'M365_F1',
    product: 'Microsoft 365 F1',
    exchangePlanIds: [],
  },
};
