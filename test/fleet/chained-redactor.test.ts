// The fleet's per-target redactor masks its own values in every form, then everything its parents know.
import { describe, expect, it } from 'vitest';
import { ChainedRedactor } from '../../src/fleet/chained-redactor.js';
import { Redactor } from '../../src/core/redact.js';

describe('ChainedRedactor', () => {
  it('masks own and inherited values, their encodings, and token shapes', () => {
    const root = new Redactor();
    root.add('root-secret-1');
    const group = new ChainedRedactor(root);
    group.add('group secret/2');
    const target = new ChainedRedactor(group);
    target.add('P@ss "word" 3');
    const jwt = `eyJhbGciOiJSUzI1NiJ9.${'a'.repeat(20)}.${'b'.repeat(20)}`;
    const text = [
      'root-secret-1',
      'group secret/2',
      encodeURIComponent('group secret/2'),
      'P@ss "word" 3',
      Buffer.from('P@ss "word" 3').toString('base64'),
      JSON.stringify('P@ss "word" 3'),
      jwt,
    ].join(' | ');
    const out = target.scrub(text);
    for (const s of ['root-secret-1', 'group secret', 'P@ss', Buffer.from('P@ss "word" 3').toString('base64'), 'eyJ'])
      expect(out).not.toContain(s);
    expect(out.split('[REDACTED]').length - 1).toBeGreaterThanOrEqual(7);
    expect(target.scrubValue({ a: ['P@ss "word" 3'] })).toEqual({ a: ['[REDACTED]'] });
    // A sibling target does not know this target's password; the group does not either.
    expect(new ChainedRedactor(group).scrub('P@ss "word" 3')).toBe('P@ss "word" 3');
    expect(group.scrub('P@ss "word" 3 group secret/2')).toBe('P@ss "word" 3 [REDACTED]');
  });
});
