// Endpoints of each Microsoft cloud (facts file §1). Every value can be overridden by a flag.
import type { Cloud, Endpoints } from '../config/types.js';

export interface CloudProfile {
  label: string;
  /** cloud_instance_name a tenant of this cloud reports in OIDC discovery. */
  cloudInstanceName: string;
  endpoints: Endpoints;
}

export const CLOUDS: Record<Cloud, CloudProfile> = {
  global: {
    label: 'Global (commercial, GCC)',
    cloudInstanceName: 'microsoftonline.com',
    endpoints: {
      authorityHost: 'https://login.microsoftonline.com',
      graphUrl: 'https://graph.microsoft.com',
      exchangeResource: 'https://outlook.office365.com',
      exchangeScopeHost: 'https://outlook.office.com',
      imap: { host: 'outlook.office365.com', port: 993 },
      pop: { host: 'outlook.office365.com', port: 995 },
      smtp: { host: 'smtp.office365.com', port: 587 },
    },
  },
  usgov: {
    label: 'US Government GCC High',
    cloudInstanceName: 'microsoftonline.us',
    endpoints: {
      authorityHost: 'https://login.microsoftonline.us',
      graphUrl: 'https://graph.microsoft.us',
      exchangeResource: 'https://outlook.office365.us',
      exchangeScopeHost: 'https://outlook.office365.us',
      imap: { host: 'outlook.office365.us', port: 993 },
      pop: { host: 'outlook.office365.us', port: 995 },
      smtp: { host: 'outlook.office365.us', port: 587 },
    },
  },
  usgovdod: {
    label: 'US Government DoD',
    cloudInstanceName: 'microsoftonline.us',
    endpoints: {
      authorityHost: 'https://login.microsoftonline.us',
      graphUrl: 'https://dod-graph.microsoft.us',
      exchangeResource: 'https://outlook-dod.office365.us',
      exchangeScopeHost: 'https://outlook-dod.office365.us',
      imap: { host: 'outlook-dod.office365.us', port: 993 },
      pop: { host: 'outlook-dod.office365.us', port: 995 },
      smtp: { host: 'outlook-dod.office365.us', port: 587 },
    },
  },
  china: {
    label: 'China (operated by 21Vianet)',
    cloudInstanceName: 'partner.microsoftonline.cn',
    endpoints: {
      authorityHost: 'https://login.partner.microsoftonline.cn',
      graphUrl: 'https://microsoftgraph.chinacloudapi.cn',
      exchangeResource: 'https://partner.outlook.cn',
      exchangeScopeHost: 'https://partner.outlook.cn',
      imap: { host: 'partner.outlook.cn', port: 993 },
      pop: { host: 'partner.outlook.cn', port: 995 },
      smtp: { host: 'smtp.partner.outlook.cn', port: 587 },
    },
  },
};

/** Which cloud a tenant belongs to, from its discovery document's cloud_instance_name. */
export function cloudOfInstance(name: string): Cloud | undefined {
  // Host names are case-insensitive: an answer spelled "MicrosoftOnline.US" is the same cloud.
  const instanceName = name.toLowerCase();
  if (instanceName === 'microsoftonline.us') return 'usgov';
  return (Object.keys(CLOUDS) as Cloud[]).find((c) => CLOUDS[c].cloudInstanceName === instanceName);
}
