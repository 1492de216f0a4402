// Field names in schema messages: one spelling for the config file, the targets file, saved reports and scenario
// files, from ajv's JSON pointers.
import { describe, expect, it } from 'vitest';
import { pointerField } from '../../src/config/json-pointer.js';

describe('pointerField', () => {
  it('writes array items in brackets and properties with dots, unescaping ~1 and ~0', () => {
    expect(pointerField('/exceptions/0/expires', undefined, '(root)')).toBe('exceptions[0].expires');
    expect(pointerField('/targets/12/password', 'env', '(root)')).toBe('targets[12].password.env');
    expect(pointerField('/a~1b/c~0d', undefined, '(root)')).toBe('a/b.c~d');
  });

  it('names the root, and an extra property even when its name is all digits', () => {
    expect(pointerField('', undefined, '(the whole file)')).toBe('(the whole file)');
    expect(pointerField('', 'tenant', '(root)')).toBe('tenant');
    expect(pointerField('/env', '42', '(root)')).toBe('env.42');
  });
});
