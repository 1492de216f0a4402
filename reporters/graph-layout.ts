// Layered layout of the check dependency graph: one column per depth, each node near the middle of the checks it depends on.
// Pure geometry (no markup), so the HTML reporter draws it and tests can assert it.

export interface GraphInput {
  id: string;
  dependsOn: readonly string[];
}

export interface LayoutOptions {
  nodeWidth: number;
  nodeHeight: number;
  /** Horizontal space between columns. */
  columnGap: number;
  /** Vertical space between nodes of a column. */
  rowGap: number;
  /** Space around the drawing (the top one leaves room for column labels). */
  margin: { top: number; right: number; bottom: number; left: number };
}

export interface PlacedNode {
  id: string;
  /** 1 for checks without dependencies, else 1 + the deepest dependency. */
  depth: number;
  x: number;
  y: number;
}

export interface PlacedEdge {
  from: string;
  to: string;
  /** SVG path data from the right side of `from` to the left side of `to`. */
  d: string;
}

export interface GraphLayout {
  nodes: PlacedNode[];
  edges: PlacedEdge[];
  /** x of each column (index depth - 1), for column labels. */
  columns: number[];
  width: number;
  height: number;
  options: LayoutOptions;
}

export const DEFAULT_LAYOUT: LayoutOptions = {
  nodeWidth: 160,
  nodeHeight: 44,
  columnGap: 40,
  rowGap: 14,
  margin: { top: 34, right: 16, bottom: 16, left: 16 },
};

/** Depth of every check; dependencies outside the list are ignored, and a cycle is cut where it closes. */
export function depths(checks: readonly GraphInput[]): Map<string, number> {
  const byId = new Map(checks.map((c) => [c.id, c]));
  const memo = new Map<string, number>();
  const visit = (id: string, stack: Set<string>): number => {
    const known = memo.get(id);
    if (known !== undefined) return known;
    if (stack.has(id)) return 0;
    stack.add(id);
    const deps = (byId.get(id)?.dependsOn ?? []).filter((d) => byId.has(d) && d !== id);
    const depth = 1 + Math.max(0, ...deps.map((d) => visit(d, stack)));
    stack.delete(id);
    memo.set(id, depth);
    return depth;
  };
  for (const c of checks) visit(c.id, new Set());
  return memo;
}

export function layoutGraph(checks: readonly GraphInput[], options: Partial<LayoutOptions> = {}): GraphLayout {
  const o: LayoutOptions = { ...DEFAULT_LAYOUT, ...options, margin: { ...DEFAULT_LAYOUT.margin, ...options.margin } };
  const ids = [...new Set(checks.map((c) => c.id))];
  const deps = new Map<string, string[]>();
  for (const c of checks)
    deps.set(
      c.id,
      [...new Set(c.dependsOn)].filter((d) => d !== c.id && ids.includes(d)),
    );
  const depthOf = depths(checks);
  const columnCount = Math.max(0, ...ids.map((id) => depthOf.get(id) ?? 1));
  const columns: string[][] = Array.from({ length: columnCount }, () => []);
  // In range: every depth is 1..columnCount, columnCount being the largest.
  for (const id of ids) columns[(depthOf.get(id) ?? 1) - 1]!.push(id);

  const dependants = new Map<string, string[]>(ids.map((id) => [id, []]));
  for (const id of ids) for (const d of deps.get(id) ?? []) dependants.get(d)!.push(id);

  const pitch = o.nodeHeight + o.rowGap;
  const y = new Map<string, number>();
  columns[0]?.forEach((id, i) => y.set(id, i * pitch));
  // Sweep down (towards parents), up (towards children), and down again: chains come out straight, fans centred.
  const place = (column: string[], neighbours: (id: string) => string[]) => {
    const wanted = column.map((id, i) => {
      const ys = neighbours(id)
        .map((n) => y.get(n))
        .filter((v): v is number => v !== undefined);
      return { id, i, want: ys.length ? ys.reduce((a, b) => a + b, 0) / ys.length : y.get(id) };
    });
    // Nodes with no placed neighbour keep their place or go last, in input order.
    const fallback = Math.max(0, ...wanted.map((w) => (w.want ?? 0) + pitch));
    let next = fallback;
    for (const w of wanted)
      if (w.want === undefined) {
        w.want = next;
        next += pitch;
      }
    wanted.sort((a, b) => a.want! - b.want! || a.i - b.i);
    let above: number | undefined;
    const placed = wanted.map((w) => {
      above = above === undefined ? w.want! : Math.max(w.want!, above + pitch);
      return { id: w.id, want: w.want!, at: above };
    });
    // Pushing down only drifts the column; shift it back so it deviates as little up as down.
    const drift = placed.reduce((s, p) => s + (p.at - p.want), 0) / placed.length;
    for (const p of placed) y.set(p.id, p.at - drift);
    column.splice(0, column.length, ...wanted.map((w) => w.id));
  };
  for (const column of columns.slice(1)) place(column, (id) => deps.get(id) ?? []);
  for (const column of columns.slice(0, -1).reverse()) place(column, (id) => dependants.get(id) ?? []);
  for (const column of columns.slice(1)) place(column, (id) => deps.get(id) ?? []);

  const minY = Math.min(...y.values());
  const xOf = (c: number) => o.margin.left + c * (o.nodeWidth + o.columnGap);
  const colX = columns.map((_, c) => xOf(c));
  const nodes: PlacedNode[] = [];
  for (const [c, column] of columns.entries()) {
    for (const id of column)
      nodes.push({ id, depth: c + 1, x: xOf(c), y: Math.round(o.margin.top + y.get(id)! - minY) });
  }
  // Keep the caller's order: it is the report's order.
  nodes.sort((a, b) => ids.indexOf(a.id) - ids.indexOf(b.id));
  const at = new Map(nodes.map((n) => [n.id, n]));
  const edges: PlacedEdge[] = [];
  for (const id of ids) {
    for (const d of deps.get(id) ?? []) {
      const a = at.get(d)!;
      const b = at.get(id)!;
      edges.push({ from: d, to: id, d: edgePath(a, b, o) });
    }
  }
  const bottom = Math.max(0, ...nodes.map((n) => n.y + o.nodeHeight));
  const lastX = colX[colX.length - 1];
  return {
    nodes,
    edges,
    columns: colX,
    width: lastX !== undefined ? lastX + o.nodeWidth + o.margin.right : o.margin.left + o.margin.right,
    height: Math.max(bottom, o.margin.top) + o.margin.bottom,
    options: o,
  };
}

function edgePath(a: PlacedNode, b: PlacedNode, o: LayoutOptions): string {
  const x1 = a.x + o.nodeWidth;
  const y1 = a.y + o.nodeHeight / 2;
  const x2 = b.x - 2; // leave the arrow head outside the node
  const y2 = b.y + o.nodeHeight / 2;
  if (b.depth - a.depth <= 1) {
    const mid = (x1 + x2) / 2;
    return `M${x1},${y1} C${mid},${y1} ${mid},${y2} ${x2},${y2}`;
  }
  // An edge that skips columns keeps its source's height until the gap before its target, then bends in.
  const bend = x2 - o.columnGap / 2;
  return `M${x1},${y1} C${x1 + o.columnGap / 2},${y1} ${bend - o.columnGap / 2},${y2} ${bend},${y2} L${x2},${y2}`;
}
