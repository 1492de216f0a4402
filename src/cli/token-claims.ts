// The claims of an access token as a small two-column table: what a person checks when a login fails.
import type { TokenInfo } from '../clients/types.js';
import { singleLine } from '../output/terminal-text.js';

/** Claims shown, in this order; iat, exp and the time left follow. */
const SHOWN = ['aud', 'scp', 'roles', 'upn', 'tid', 'oid', 'appid'] as const;

export interface ClaimRow {
  claim: string;
  value: string;
}

export function claimRows(info: TokenInfo, now: Date): ClaimRow[] {
  const c = info.claims;
  const text = (v: unknown) =>
    v === undefined || v === null || v === ''
      ? '-'
      : Array.isArray(v)
        ? v.length
          ? v.map(String).join(' ')
          : '-'
        : String(v);
  const rows: ClaimRow[] = SHOWN.map((claim) => {
    // v2 tokens and guest users name the user and the app by other claims.
    if (claim === 'upn') return { claim, value: text(c.upn ?? c.unique_name ?? c.preferred_username) };
    if (claim === 'appid') return { claim, value: text(c.appid ?? c.azp) };
    return { claim, value: text(c[claim]) };
  });
  rows.push({ claim: 'iat', value: typeof c.iat === 'number' ? localTime(new Date(c.iat * 1000)) : '-' });
  const exp =
    typeof c.exp === 'number' ? new Date(c.exp * 1000) : info.expiresOn ? new Date(info.expiresOn) : undefined;
  rows.push({ claim: 'exp', value: exp ? localTime(exp) : '-' });
  rows.push({ claim: 'time left', value: exp ? timeLeft(exp.getTime() - now.getTime()) : '-' });
  return rows;
}

export function claimsTable(info: TokenInfo, now: Date): string {
  const rows = claimRows(info, now);
  const width = Math.max(...rows.map((r) => r.claim.length));
  const opaque =
    Object.keys(info.claims).length === 0
      ? 'The access token is not a JWT, so it has no claims to read; the lifetime comes from the token response.\n'
      : '';
  return `${opaque}${rows.map((r) => `  ${r.claim.padEnd(width)}  ${singleLine(r.value)}`).join('\n')}\n`;
}

/** "2026-11-26 09:16:04 +01:00" in the machine's time zone. */
export function localTime(d: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  const offset = -d.getTimezoneOffset();
  const sign = offset >= 0 ? '+' : '-';
  const abs = Math.abs(offset);
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}:${two(
    d.getSeconds(),
  )} ${sign}${two(Math.floor(abs / 60))}:${two(abs % 60)}`;
}

/** "59 min 58 s", "1 h 5 min", or "expired 3 min ago". */
export function timeLeft(ms: number): string {
  const s = Math.round(Math.abs(ms) / 1000);
  const span =
    s >= 3600
      ? `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`
      : s >= 60
        ? `${Math.floor(s / 60)} min ${s % 60} s`
        : `${s} s`;
  return ms >= 0 ? span : `expired ${span} ago`;
}
