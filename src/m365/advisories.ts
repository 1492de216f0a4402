// Dated advisories: Microsoft retirements that will break (or already broke) a connector. Each milestone has a
// before and an after wording, so a report never speaks of a passed date as future; `reviewBy` is when an undated
// follow-up (an announcement to come) must be checked again (a test fails after it). Checks put the text in evidence.

export interface Milestone {
  /** First day of the new state, YYYY-MM-DD (UTC). */
  date: string;
  before: string;
  after: string;
}

export interface Advisory {
  id: 'smtp-basic-auth' | 'ropc-deprecated' | 'ews-retirement';
  title: string;
  /** The day the facts were last checked against the sources. */
  asOf: string;
  /** Microsoft's own pages first. */
  sources: readonly string[];
  milestones: readonly Milestone[];
  /** Undated text after the milestones (what has no date yet, what it means for this connector). */
  note: string;
  /** After this day the advisory needs a fresh look (an announced date may be known by then). */
  reviewBy: string;
}

export const ADVISORIES: readonly Advisory[] = [
  {
    id: 'smtp-basic-auth',
    title: 'SMTP AUTH Basic authentication retirement in Exchange Online',
    asOf: '2026-12-02',
    sources: [
      'https://techcommunity.microsoft.com/blog/exchange/updated-exchange-online-smtp-auth-basic-authentication-deprecation-timeline/4489835',
      'https://mc.merill.net/message/MC786329',
    ],
    milestones: [
      {
        // "End of December 2026": the default is off from the first day of 2027 at the latest.
        date: '2027-01-01',
        before:
          'At the end of December 2026 Exchange Online will turn SMTP AUTH Basic authentication off by default for existing tenants (administrators can turn it back on); tenants created after December 2026 will not have it by default.',
        after:
          'Since the end of December 2026 SMTP AUTH Basic authentication is off by default in existing tenants (administrators can turn it back on) and unavailable by default in new ones.',
      },
    ],
    note: 'Microsoft will announce the final removal date in the second half of 2027. XOAUTH2, which this connector uses, is not affected: make sure it never falls back to AUTH LOGIN or AUTH PLAIN.',
    reviewBy: '2027-12-31',
  },
  {
    id: 'ropc-deprecated',
    title: 'The password grant (ROPC) is deprecated in MSAL',
    asOf: '2026-12-02',
    sources: [
      'https://learn.microsoft.com/entra/identity-platform/v2-oauth-ropc',
      'https://github.com/AzureAD/microsoft-authentication-library-for-js/blob/dev/lib/msal-node/src/client/ClientApplication.ts',
    ],
    milestones: [],
    note: 'MSAL marks the username/password flow deprecated (msal-node: acquireTokenByUsernamePassword is @deprecated, "use a more secure flow instead"), and Microsoft recommends against ROPC: it fails as soon as multi-factor authentication or another interactive control applies to the account. Plan app-only access (client credentials with IMAP.AccessAsApp, POP.AccessAsApp, SMTP.SendAsApp).',
    reviewBy: '2027-12-31',
  },
  {
    id: 'ews-retirement',
    title: 'Exchange Web Services (EWS) retirement in Exchange Online',
    asOf: '2026-12-02',
    // Message center MC1227454 (2026-02); no Microsoft-hosted copy was found in the stored pages: replace when one is.
    sources: ['https://blog.tophhie.cloud/m365-message-center/message/mc1227454/'],
    milestones: [
      {
        date: '2026-10-01',
        before:
          'From 2026-10-01 EWS in Exchange Online will be blocked unless the tenant sets EWSEnabled to True and allow-lists the app (EWSAllowedAppIDs).',
        after:
          'Since 2026-10-01 EWS in Exchange Online is blocked unless the tenant sets EWSEnabled to True and allow-lists the app (EWSAllowedAppIDs).',
      },
      {
        date: '2027-04-01',
        before: 'On 2027-04-01 EWS in Exchange Online will be shut down for good, allow-list or not.',
        after: 'Since 2027-04-01 EWS in Exchange Online is shut down, allow-list or not.',
      },
    ],
    note: 'IMAP, POP and SMTP are not affected; only the parts of the connector that call EWS must move to Microsoft Graph.',
    reviewBy: '2027-04-30',
  },
];

export function advisory(id: Advisory['id']): Advisory {
  return ADVISORIES.find((a) => a.id === id)!;
}

const day = (d: Date) => d.toISOString().slice(0, 10);

/** The advisory as one sentence block for a report, worded for `now`, with its "as of" date and main source. */
export function advisoryText(a: Advisory, now: Date = new Date()): string {
  const today = day(now);
  const steps = a.milestones.map((m) => (today >= m.date ? m.after : m.before));
  return `${[...steps, a.note].join(' ')} (as of ${a.asOf}; source: ${a.sources[0]})`;
}
