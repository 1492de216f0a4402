// Finds a secret in any text in every form a leak could take: raw, URL-encoded (both hex cases, form encoding),
// JSON-escaped, and base64/base64url at each of the three byte alignments (the part that does not depend on the
// neighbouring bytes). Independent of the redactor's own list, so it cannot share its blind spots.
export interface Found {
  where: string;
  secret: string;
  form: string;
  sample: string;
}

function cores(secret: string): string[] {
  const out: string[] = [];
  for (const pad of [0, 1, 2]) {
    const bytes = Buffer.concat([Buffer.alloc(pad), Buffer.from(secret)]);
    for (const enc of ['base64', 'base64url'] as const) {
      const full = bytes.toString(enc).replace(/=+$/, '');
      // Characters 0..ceil(pad*8/6) carry the pad's bits; the last one may carry a following byte's.
      const core = full.slice(Math.ceil((pad * 8) / 6) + 1, -1);
      if (core.length >= 8) out.push(core);
    }
  }
  return out;
}

export function formsOf(secret: string): string[] {
  const url = encodeURIComponent(secret);
  return [
    ...new Set([
      secret,
      url,
      url.toLowerCase(),
      new URLSearchParams({ v: secret }).toString().slice(2),
      JSON.stringify(secret).slice(1, -1),
      JSON.stringify(JSON.stringify(secret)).slice(3, -3),
      ...cores(secret),
    ]),
  ].filter((f) => f.length >= Math.min(3, secret.length));
}

export function findSecrets(where: string, text: string, secrets: readonly string[]): Found[] {
  const found: Found[] = [];
  for (const secret of secrets) {
    for (const form of formsOf(secret)) {
      const i = text.indexOf(form);
      if (i >= 0)
        found.push({
          where,
          secret: secret.slice(0, 6),
          form: form.slice(0, 24),
          sample: JSON.stringify(text.slice(Math.max(0, i - 30), i + 40)),
        });
    }
  }
  return found;
}
