// Builds the dependency graph of a run: rejects unknown ids and cycles, orders checks, applies --only/--skip.
import type { Check } from '../core/check.js';
import { ConfigError } from '../core/errors.js';

export type Selection = 'run' | 'not-selected-only' | 'not-selected-skip';

export interface Plan {
  /** Every check, dependencies (and consulted checks) before dependants (catalog order among independent ones). */
  order: Check[];
  selection: Map<string, Selection>;
  /** Checks --only did not name but runs because a named check depends on them. */
  pulledIn: string[];
}

export interface SelectOptions {
  only?: readonly string[];
  skip?: readonly string[];
}

/** Ordering edges of a check: hard dependencies and soft `after` ones. */
export function predecessors(check: Check): string[] {
  return [...check.meta.dependsOn, ...(check.meta.after ?? [])];
}

/**
 * Every check whose result this one may wait for: its ordering edges plus its consults. Consults do not delay
 * the start, but a check may block on them in settled(), so a cycle through them would deadlock just the same.
 */
export function waitEdges(check: Check): string[] {
  return [...predecessors(check), ...(check.meta.consults ?? [])];
}

export function planRun(checks: readonly Check[], select: SelectOptions = {}): Plan {
  const byId = new Map<string, Check>();
  for (const c of checks) {
    if (byId.has(c.meta.id))
      throw new ConfigError(`check ${c.meta.id}`, 'is defined twice', 'Give every check a unique id');
    byId.set(c.meta.id, c);
  }
  for (const c of checks) {
    for (const dep of predecessors(c)) {
      if (!byId.has(dep)) {
        throw new ConfigError(
          `check ${c.meta.id}`,
          `depends on unknown check "${dep}"`,
          'Fix the id in dependsOn/after, or load the plugin that defines it',
        );
      }
    }
    for (const dep of c.meta.consults ?? []) {
      if (!byId.has(dep)) {
        throw new ConfigError(
          `check ${c.meta.id}`,
          `consults unknown check "${dep}"`,
          'Fix the id in consults, or load the plugin that defines it',
        );
      }
    }
  }
  const order = topologicalOrder(checks, byId);
  return { order, ...selectChecks(checks, byId, select) };
}

/** Depth-first topological sort over every wait edge; a back edge is a cycle, reported with its path. */
function topologicalOrder(checks: readonly Check[], byId: Map<string, Check>): Check[] {
  const state = new Map<string, 'visiting' | 'done'>();
  const out: Check[] = [];
  const visit = (id: string, path: string[]) => {
    const s = state.get(id);
    if (s === 'done') return;
    if (s === 'visiting') {
      const cycle = [...path.slice(path.indexOf(id)), id].join(' -> ');
      throw new ConfigError(
        `check ${id}`,
        `is part of a dependency cycle (${cycle})`,
        'Remove one of these dependsOn/after/consults entries',
      );
    }
    state.set(id, 'visiting');
    const check = byId.get(id)!;
    for (const dep of waitEdges(check)) visit(dep, [...path, id]);
    state.set(id, 'done');
    out.push(check);
  };
  for (const c of checks) visit(c.meta.id, []);
  return out;
}

function selectChecks(checks: readonly Check[], byId: Map<string, Check>, select: SelectOptions) {
  const unknown = (field: string, ids: readonly string[]) => {
    const bad = ids.filter((id) => !byId.has(id));
    if (bad.length) {
      throw new ConfigError(
        field,
        `names unknown check${bad.length > 1 ? 's' : ''} ${bad.join(', ')}`,
        'Run "m365-doctor checks" to list the check ids',
      );
    }
  };
  const selection = new Map<string, Selection>(checks.map((c) => [c.meta.id, 'run']));
  const pulledIn: string[] = [];
  if (select.only?.length) {
    unknown('--only', select.only);
    const keep = new Set<string>();
    const add = (id: string) => {
      if (keep.has(id)) return;
      keep.add(id);
      for (const dep of byId.get(id)!.meta.dependsOn) add(dep);
    };
    select.only.forEach(add);
    for (const c of checks) {
      if (!keep.has(c.meta.id)) selection.set(c.meta.id, 'not-selected-only');
      else if (!select.only.includes(c.meta.id)) pulledIn.push(c.meta.id);
    }
  }
  if (select.skip?.length) {
    unknown('--skip', select.skip);
    for (const id of select.skip) selection.set(id, 'not-selected-skip');
  }
  return { selection, pulledIn };
}
