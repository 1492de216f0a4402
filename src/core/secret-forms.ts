// Every form in which a secret can come back from a server or a library: what the redactor must know.
/** Encoded forms shorter than this are not registered: too likely to occur by chance in ordinary text. */
const MIN_ENCODED = 6;

export function secretForms(value: string): string[] {
  const json1 = jsonEscaped(value);
  const forms = new Set<string>([
    value,
    json1,
    jsonEscaped(json1),
    asciiJsonEscaped(value),
    htmlEscaped(value),
    ...urlForms(value),
  ]);
  const bytes = Buffer.from(value, 'utf8');
  forms.add(bytes.toString('base64'));
  forms.add(bytes.toString('base64url'));
  for (const alignment of [0, 1, 2]) {
    for (const core of base64Cores(bytes, alignment)) if (core.length >= MIN_ENCODED) forms.add(core);
  }
  return [...forms].filter((f) => f.length > 0 && (f === value || f.length >= Math.min(MIN_ENCODED, value.length)));
}

/**
 * The base64 and base64url characters that depend on the secret's bytes alone when the secret starts `alignment`
 * bytes into a longer encoded string (e.g. a server echoing base64("#" + password)): the characters at the edges
 * also carry bits of the neighbouring bytes, so they are left out.
 */
function base64Cores(bytes: Buffer, alignment: number): string[] {
  const padded = Buffer.concat([Buffer.alloc(alignment), bytes, Buffer.alloc(2)]);
  const firstBit = alignment * 8;
  const endBit = (alignment + bytes.length) * 8;
  const from = Math.ceil(firstBit / 6);
  const to = Math.floor(endBit / 6); // exclusive
  if (to <= from) return [];
  return [padded.toString('base64').slice(from, to), padded.toString('base64url').slice(from, to)];
}

function jsonEscaped(value: string): string {
  return JSON.stringify(value).slice(1, -1);
}

/** JSON as serializers that escape every non-ASCII character write it (\u00e9). */
function asciiJsonEscaped(value: string): string {
  return jsonEscaped(value).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function htmlEscaped(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** encodeURIComponent, form encoding (space as +, as in a POST body), and both with lower-case hex. */
function urlForms(value: string): string[] {
  let encoded: string;
  try {
    encoded = encodeURIComponent(value);
  } catch {
    return []; // a lone surrogate (possible in a JSON config file) has no URL form
  }
  const form = encoded
    .replace(/%20/g, '+')
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  const lower = (s: string) => s.replace(/%[0-9A-F]{2}/g, (h) => h.toLowerCase());
  return [encoded, form, lower(encoded), lower(form)];
}
