// The common JUnit XML shape (the junit-10.xsd that Jenkins, GitLab and GitHub test reporters accept),
// written as data: allowed attributes, required attributes, allowed children in order.
import type { XmlElement } from './xml.js';

interface Rule {
  attrs: string[];
  required: string[];
  children: string[];
  numeric?: string[];
}

const RULES: Record<string, Rule> = {
  testsuites: {
    attrs: ['name', 'time', 'tests', 'failures', 'disabled', 'errors', 'skipped', 'timestamp'],
    required: [],
    children: ['testsuite'],
    numeric: ['time', 'tests', 'failures', 'errors', 'skipped'],
  },
  testsuite: {
    attrs: [
      'name',
      'tests',
      'failures',
      'errors',
      'time',
      'disabled',
      'skipped',
      'timestamp',
      'hostname',
      'id',
      'package',
      'file',
      'log',
      'url',
      'version',
    ],
    required: ['name', 'tests'],
    children: ['properties', 'testcase', 'system-out', 'system-err'],
    numeric: ['time', 'tests', 'failures', 'errors', 'skipped'],
  },
  properties: { attrs: [], required: [], children: ['property'] },
  property: { attrs: ['name', 'value'], required: ['name', 'value'], children: [] },
  testcase: {
    attrs: ['name', 'assertions', 'time', 'classname', 'status', 'file', 'line'],
    required: ['name'],
    children: ['skipped', 'error', 'failure', 'system-out', 'system-err'],
    numeric: ['time'],
  },
  skipped: { attrs: ['message'], required: [], children: [] },
  error: { attrs: ['message', 'type'], required: [], children: [] },
  failure: { attrs: ['message', 'type'], required: [], children: [] },
  'system-out': { attrs: [], required: [], children: [] },
  'system-err': { attrs: [], required: [], children: [] },
};

/** Returns every violation of the shape (empty when the document conforms). */
export function junitShapeProblems(root: XmlElement): string[] {
  const problems: string[] = [];
  if (root.name !== 'testsuites' && root.name !== 'testsuite') problems.push(`root is <${root.name}>`);
  const visit = (el: XmlElement, path: string) => {
    const rule = RULES[el.name];
    if (!rule) {
      problems.push(`${path}: unknown element`);
      return;
    }
    for (const a of Object.keys(el.attrs))
      if (!rule.attrs.includes(a)) problems.push(`${path}: attribute ${a} not allowed`);
    for (const a of rule.required) if (!(a in el.attrs)) problems.push(`${path}: attribute ${a} missing`);
    for (const a of rule.numeric ?? [])
      if (a in el.attrs && !/^\d+(\.\d+)?$/.test(el.attrs[a])) problems.push(`${path}: ${a} not numeric`);
    // Children must follow the sequence order of the XSD.
    let last = -1;
    for (const child of el.children) {
      const pos = rule.children.indexOf(child.name);
      if (pos === -1) problems.push(`${path}: <${child.name}> not allowed here`);
      else if (pos < last) problems.push(`${path}: <${child.name}> out of order`);
      last = Math.max(last, pos);
      visit(child, `${path}/${child.name}`);
    }
    if (el.name === 'testcase' && el.children.filter((c) => c.name === 'skipped').length > 1)
      problems.push(`${path}: two <skipped>`);
  };
  visit(root, root.name);
  return problems;
}
