// A mailbox's SMTP addresses as Exchange and Entra read them: proxyAddresses ("SMTP:" primary, "smtp:" others),
// else the mail attribute alone.
import type { User } from './model.js';

export function mailboxAddresses(user: User): string[] {
  const listed = (user.proxyAddresses ?? []).filter((p) => /^smtp:/i.test(p)).map((p) => p.slice(5));
  return listed.length ? listed : user.mail ? [user.mail] : [];
}

export function isAddressOf(user: User, address: string): boolean {
  const a = address.trim().toLowerCase();
  return mailboxAddresses(user).some((m) => m.toLowerCase() === a);
}

/** The primary SMTP address: the "SMTP:" entry, else mail, else the UPN. */
export function primaryAddress(user: User): string {
  return (
    (user.proxyAddresses ?? []).find((p) => p.startsWith('SMTP:'))?.slice(5) ?? user.mail ?? user.userPrincipalName
  );
}
