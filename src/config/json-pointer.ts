// Field names for messages about a JSON document that failed its schema.

/**
 * "checks[3].status" from ajv's JSON pointer "/checks/3/status"; `extra` names a property below it (a missing or
 * unknown one), `root` is what the empty pointer is called.
 */
export function pointerField(pointer: string, extra: string | undefined, root: string): string {
  const parts = pointer
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  const path = parts.reduce((acc, p) => (/^\d+$/.test(p) ? `${acc}[${p}]` : acc ? `${acc}.${p}` : p), '');
  // `extra` is a property name, even one spelled with digits only.
  if (extra) return path ? `${path}.${extra}` : extra;
  return path || root;
}
