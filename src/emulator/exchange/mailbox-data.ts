// The static mailbox every emulated login sees: a few folders and three small INBOX messages.

export interface Folder {
  name: string;
  /** LIST attributes, with the special-use flag Exchange reports. */
  attributes: string[];
}

export interface StoredMessage {
  uid: number;
  seen: boolean;
  /** RFC 5322 text with CRLF line ends. */
  raw: string;
}

export const HIERARCHY_DELIMITER = '/';
export const UID_VALIDITY = 14;
export const FLAGS = ['\\Seen', '\\Answered', '\\Flagged', '\\Deleted', '\\Draft', '$MDNSent'];

export const FOLDERS: readonly Folder[] = [
  { name: 'Archive', attributes: ['\\HasNoChildren', '\\Archive'] },
  { name: 'Deleted Items', attributes: ['\\HasNoChildren', '\\Trash'] },
  { name: 'Drafts', attributes: ['\\HasNoChildren', '\\Drafts'] },
  { name: 'INBOX', attributes: ['\\Marked', '\\HasNoChildren'] },
  { name: 'Junk Email', attributes: ['\\HasNoChildren', '\\Junk'] },
  { name: 'Sent Items', attributes: ['\\HasNoChildren', '\\Sent'] },
];

function message(uid: number, seen: boolean, date: string, from: string, subject: string, body: string): StoredMessage {
  const raw = [
    `From: ${from}`,
    'To: connector@m365doctordemo.onmicrosoft.com',
    `Subject: ${subject}`,
    `Date: ${date}`,
    `Message-ID: <emulated-${uid}@m365doctordemo.onmicrosoft.com>`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    body,
    '',
  ].join('\r\n');
  return { uid, seen, raw };
}

export const INBOX_MESSAGES: readonly StoredMessage[] = [
  message(
    1,
    true,
    'Mon, 02 Nov 2026 09:00:00 +0000',
    'Microsoft 365 <no-reply@m365doctordemo.onmicrosoft.com>',
    'Welcome to your mailbox',
    'This mailbox belongs to the emulated tenant.',
  ),
  message(
    2,
    true,
    'Tue, 03 Nov 2026 10:15:00 +0000',
    'Helpdesk <helpdesk@m365doctordemo.onmicrosoft.com>',
    'Connector set-up notes',
    'IMAP, POP and SMTP use OAuth 2.0 (XOAUTH2) here.',
  ),
  message(
    3,
    false,
    'Wed, 04 Nov 2026 11:30:00 +0000',
    'Monitoring <monitor@m365doctordemo.onmicrosoft.com>',
    'Daily mail flow report',
    'All mail flow checks passed.',
  ),
];

export const octets = (m: StoredMessage): number => Buffer.byteLength(m.raw, 'utf8');

export function findFolder(name: string): Folder | undefined {
  return FOLDERS.find((f) => (f.name === 'INBOX' ? name.toUpperCase() === 'INBOX' : f.name === name));
}

/** Messages of a folder: only INBOX holds any. */
export function messagesOf(folder: Folder): readonly StoredMessage[] {
  return folder.name === 'INBOX' ? INBOX_MESSAGES : [];
}
