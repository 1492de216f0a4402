// The OData query options the emulated Graph honours: $filter (eq, and), $select, $top and $skiptoken paging.

export type Entity = Record<string, unknown>;

/** A Graph error decided while serving a request. */
export class GraphFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const DEFAULT_PAGE_SIZE = 100;

const badRequest = (message: string) => new GraphFailure(400, 'BadRequest', message);

/** `appId eq '…' and accountEnabled eq true` → predicates. Only what the doctor and its tests need. */
export function parseFilter(filter: string | null): Array<(e: Entity) => boolean> {
  if (!filter) return [];
  return filter.split(/\s+and\s+/i).map((clause) => {
    const m = /^\s*([A-Za-z][A-Za-z0-9]*)\s+eq\s+(?:'((?:[^']|'')*)'|(true|false|null|-?\d+))\s*$/i.exec(clause);
    if (!m) throw badRequest(`Invalid filter clause: ${clause.trim()}`);
    const [, prop, str, literal] = m;
    if (str !== undefined) {
      const wanted = str.replace(/''/g, "'").toLowerCase();
      return (e: Entity) => typeof e[prop] === 'string' && (e[prop] as string).toLowerCase() === wanted;
    }
    const value = literal === 'null' ? null : literal === 'true' ? true : literal === 'false' ? false : Number(literal);
    return (e: Entity) => (e[prop] ?? null) === value;
  });
}

export function parseSelect(select: string | null): string[] | undefined {
  if (!select) return undefined;
  return select
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Keep only the selected properties (plus id, as Graph always returns it); unknown names are a 400 like Graph's. */
export function applySelect(entity: Entity, select: string[] | undefined, full: Entity, typeName: string): Entity {
  if (!select) return entity;
  const out: Entity = {};
  if ('id' in full) out.id = full.id;
  for (const name of select) {
    const key = Object.keys(full).find((k) => k.toLowerCase() === name.toLowerCase());
    if (!key) throw badRequest(`Could not find a property named '${name}' on type 'microsoft.graph.${typeName}'.`);
    out[key] = full[key];
  }
  return out;
}

export interface Page {
  items: Entity[];
  nextOffset?: number;
}

export function paginate(items: Entity[], params: URLSearchParams): Page {
  const topParam = params.get('$top');
  let size = DEFAULT_PAGE_SIZE;
  if (topParam !== null) {
    size = Number(topParam);
    if (!Number.isInteger(size) || size < 1 || size > 999)
      throw badRequest(`Invalid page size specified: '${topParam}'. Must be between 1 and 999 inclusive.`);
  }
  let offset = 0;
  const token = params.get('$skiptoken');
  if (token !== null) {
    const m = /^offset:(\d+)$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
    if (!m) throw badRequest('Invalid skip token.');
    offset = Number(m[1]);
  }
  const slice = items.slice(offset, offset + size);
  return { items: slice, nextOffset: offset + size < items.length ? offset + size : undefined };
}

export const skipToken = (offset: number) => Buffer.from(`offset:${offset}`).toString('base64url');
