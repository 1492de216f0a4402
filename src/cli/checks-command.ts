// Renders the check catalog for `m365-doctor checks`.
import Table from 'cli-table3';
import { builtinChecks } from '../../checks/index.js';
import { useColor, terminalWidth } from '../output/color.js';
import { loadPlugins } from './plugins.js';

export async function listChecks(format: 'table' | 'json', plugins: string[]): Promise<string> {
  const checks = [...builtinChecks, ...(await loadPlugins(plugins))];
  const rows = checks.map((c) => ({
    id: c.meta.id,
    category: c.meta.category,
    title: c.meta.title,
    dependsOn: [...c.meta.dependsOn],
    after: [...(c.meta.after ?? [])],
    consults: [...(c.meta.consults ?? [])],
    docsUrl: c.meta.docsUrl,
    codes: Object.keys(c.meta.codes),
  }));
  if (format === 'json') return `${JSON.stringify(rows, null, 2)}\n`;
  const width = Math.max(70, Math.min(terminalWidth(process.stdout), 160));
  const table = new Table({
    head: ['Id', 'Category', 'Title', 'Needs'],
    colWidths: [22, 10, Math.floor((width - 36) * 0.6), width - 36 - Math.floor((width - 36) * 0.6)],
    wordWrap: true,
    style: { head: useColor(process.stdout) ? ['bold'] : [], border: [] },
  });
  for (const r of rows) table.push([r.id, r.category, r.title, r.dependsOn.join(', ') || '-']);
  return `${table.toString()}\n${rows.length} checks. "m365-doctor explain CODE" explains any code they report.\n`;
}
