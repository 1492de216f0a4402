// Reads the graph nodes out of the HTML report, as written or as Chromium serialises the rendered DOM.
export interface GraphNode {
  id: string;
  status: string;
  fill: string;
  href: string;
  title: string;
}

/** <g id="node-…" class="node" data-status="…"><a href="…" …><title>…</title><rect … fill="…"> */
export function graphNodes(doc: string): GraphNode[] {
  const re =
    /<g id="node-([^"]*)" class="node" data-status="([^"]*)"><a href="([^"]*)"[^>]*><title>([\s\S]*?)<\/title><rect [^>]*fill="([^"]*)"/g;
  return [...doc.matchAll(re)].map((m) => ({ id: m[1], status: m[2], href: m[3], title: m[4], fill: m[5] }));
}
