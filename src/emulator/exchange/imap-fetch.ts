// FETCH for the emulated mailbox: sequence sets and the data items clients ask for when they read a message
// (FLAGS, UID, RFC822.SIZE, INTERNALDATE, ENVELOPE, BODY[]/BODY.PEEK[] and their HEADER/TEXT parts).
import type { ImapArg } from './imap-args.js';
import { octets, type StoredMessage } from './mailbox-data.js';

export class FetchError extends Error {}

const MACROS: Record<string, string[]> = {
  FAST: ['FLAGS', 'INTERNALDATE', 'RFC822.SIZE'],
  ALL: ['FLAGS', 'INTERNALDATE', 'RFC822.SIZE', 'ENVELOPE'],
  FULL: ['FLAGS', 'INTERNALDATE', 'RFC822.SIZE', 'ENVELOPE'],
};
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Messages (with their 1-based sequence numbers) a sequence or UID set names. */
export function selectMessages(
  set: string,
  messages: readonly StoredMessage[],
  byUid: boolean,
): Array<{ seq: number; message: StoredMessage }> {
  if (!/^[0-9*:,]+$/.test(set)) throw new FetchError('bad sequence set');
  const max = byUid ? Math.max(0, ...messages.map((m) => m.uid)) : messages.length;
  const value = (s: string) => (s === '*' ? max : Number(s));
  const ranges = set.split(',').map((part) => {
    const [a, b = a] = part.split(':');
    if (!a || !b) throw new FetchError('bad sequence set');
    return [Math.min(value(a), value(b)), Math.max(value(a), value(b))] as const;
  });
  return messages
    .map((message, i) => ({ seq: i + 1, message }))
    .filter(({ seq, message }) =>
      ranges.some(([lo, hi]) => (byUid ? message.uid : seq) >= lo && (byUid ? message.uid : seq) <= hi),
    );
}

function header(message: StoredMessage, name: string): string | undefined {
  const head = message.raw.split('\r\n\r\n')[0];
  return new RegExp(`^${name}: (.*)$`, 'im').exec(head)?.[1];
}

const nstring = (s: string | undefined) => (s === undefined ? 'NIL' : `"${s.replace(/["\\]/g, (c) => `\\${c}`)}"`);

function address(value: string | undefined): string {
  if (!value) return 'NIL';
  const match = /^(?:(.*?)\s*<)?([^<>@\s]+)@([^<>\s]+?)>?$/.exec(value.trim());
  if (!match) return 'NIL';
  return `((${nstring(match[1] || undefined)} NIL ${nstring(match[2])} ${nstring(match[3])}))`;
}

function envelope(m: StoredMessage): string {
  const from = address(header(m, 'From'));
  return `(${[
    nstring(header(m, 'Date')),
    nstring(header(m, 'Subject')),
    from,
    from,
    from,
    address(header(m, 'To')),
    'NIL',
    'NIL',
    'NIL',
    nstring(header(m, 'Message-ID')),
  ].join(' ')})`;
}

function internalDate(m: StoredMessage): string {
  const d = new Date(header(m, 'Date') ?? 0);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `"${pad(d.getUTCDate())}-${MONTHS[d.getUTCMonth()]}-${d.getUTCFullYear()} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000"`;
}

const literal = (text: string) => `{${Buffer.byteLength(text)}}\r\n${text}`;

function bodySection(m: StoredMessage, section: string): string {
  const [head, ...rest] = m.raw.split('\r\n\r\n');
  switch (section) {
    case '':
      return m.raw;
    case 'HEADER':
      return `${head}\r\n\r\n`;
    case 'TEXT':
      return rest.join('\r\n\r\n');
    default:
      throw new FetchError(`unsupported section ${section}`);
  }
}

/** The parenthesised FETCH answer for one message; `withUid` adds UID as UID FETCH must. */
export function fetchResponse(m: StoredMessage, items: ImapArg[] | ImapArg, withUid: boolean): string {
  const list = (Array.isArray(items) ? items : [items]).flatMap((item) => {
    if (typeof item !== 'string') throw new FetchError('bad fetch item');
    return MACROS[item.toUpperCase()] ?? [item.toUpperCase()];
  });
  if (withUid && !list.includes('UID')) list.unshift('UID');
  const parts = list.map((item) => {
    switch (item) {
      case 'UID':
        return `UID ${m.uid}`;
      case 'FLAGS':
        return `FLAGS (${m.seen ? '\\Seen' : ''})`;
      case 'RFC822.SIZE':
        return `RFC822.SIZE ${octets(m)}`;
      case 'INTERNALDATE':
        return `INTERNALDATE ${internalDate(m)}`;
      case 'ENVELOPE':
        return `ENVELOPE ${envelope(m)}`;
      case 'RFC822':
        return `RFC822 ${literal(m.raw)}`;
      case 'RFC822.HEADER':
        return `RFC822.HEADER ${literal(bodySection(m, 'HEADER'))}`;
      case 'RFC822.TEXT':
        return `RFC822.TEXT ${literal(bodySection(m, 'TEXT'))}`;
    }
    const body = /^BODY(?:\.PEEK)?\[([A-Z.]*)\]$/.exec(item);
    if (!body) throw new FetchError(`unsupported fetch item ${item}`);
    return `BODY[${body[1]}] ${literal(bodySection(m, body[1]))}`;
  });
  return `(${parts.join(' ')})`;
}
