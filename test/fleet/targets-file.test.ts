// The targets file: secrets only by reference, clear errors for bad input; --shard slices; the bounded pool.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveTargets } from '../../src/fleet/run-fleet.js';
import { forEachBounded } from '../../src/fleet/pool.js';
import { inShard, parseShard } from '../../src/fleet/shard.js';
import { loadTargetsFile } from '../../src/fleet/targets-file.js';
import { ConfigError } from '../../src/core/errors.js';

const APP = '6f1d2c3b-4a59-4e8f-9a0b-1c2d3e4f5a6b';

function file(doc: unknown, extra: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'm365-doctor-targets-'));
  for (const [name, text] of Object.entries(extra)) writeFileSync(join(dir, name), text);
  const path = join(dir, 'fleet.json');
  writeFileSync(path, typeof doc === 'string' ? doc : JSON.stringify(doc));
  return path;
}

const target = (n: number, over: Record<string, unknown> = {}) => ({
  username: `box${n}@contoso.com`,
  password: { env: `PW_${n}` },
  ...over,
});

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('no ConfigError thrown');
}

describe('targets file', () => {
  it('merges defaults under each target and resolves env and file secret references', () => {
    const path = file(
      {
        defaults: {
          tenant: 'contoso.onmicrosoft.com',
          clientId: APP,
          clientSecret: { file: 'app.secret' },
          activities: ['read-imap'],
        },
        targets: [target(1), target(2, { name: 'second', activities: ['send-smtp'], password: { file: 'pw2' } })],
      },
      { 'app.secret': 'app-secret-value\n', pw2: 'second-password' },
    );
    const specs = loadTargetsFile(path, { PW_1: 'first-password' });
    expect(specs.map((s) => [s.index, s.name])).toEqual([
      [0, 'box1@contoso.com'],
      [1, 'second'],
    ]);
    const [a, b] = resolveTargets(specs);
    expect(a).toMatchObject({
      tenant: 'contoso.onmicrosoft.com',
      clientId: APP,
      username: 'box1@contoso.com',
      activities: ['read-imap'],
    });
    expect(a.clientSecret?.reveal()).toBe('app-secret-value');
    expect(a.password?.reveal()).toBe('first-password');
    expect(b.activities).toEqual(['send-smtp']);
    expect(b.password?.reveal()).toBe('second-password');
  });

  it('refuses an inline secret, naming the field and not echoing the value', () => {
    const path = file({ targets: [target(1, { password: 'Hunter2-inline!' })] });
    const err = configError(() => loadTargetsFile(path, {}));
    expect(err.message).toMatch(/^targets\[0\]\.password in fleet\.json: is an inline secret/);
    expect(err.message).toMatch(/"env"/);
    expect(err.message).not.toContain('Hunter2');
    const admin = file({
      defaults: { admin: { clientId: APP, clientSecret: 'inline-admin-secret' } },
      targets: [target(1)],
    });
    expect(configError(() => loadTargetsFile(admin, {})).message).toMatch(
      /^defaults\.admin\.clientSecret in fleet\.json: is an inline secret/,
    );
  });

  it('names what is wrong: unset variable, unreadable file, unknown setting, bad value, duplicate name, bad JSON', () => {
    expect(configError(() => loadTargetsFile(file({ targets: [target(1)] }), {})).message).toMatch(
      /^targets\[0\]\.password in fleet\.json: refers to environment variable PW_1, which is not set/,
    );
    expect(
      configError(() => loadTargetsFile(file({ targets: [target(1, { password: { file: 'nope' } })] }), {})).message,
    ).toMatch(/password in fleet\.json: cannot read \/.*\/nope \(ENOENT\)/);
    expect(
      configError(() => loadTargetsFile(file({ targets: [target(1, { tennant: 'x' })] }), { PW_1: 'x' })).message,
    ).toMatch(/^targets\[0\]\.tennant in fleet\.json: is not a known setting/);
    expect(
      configError(() => loadTargetsFile(file({ targets: [target(1, { clientId: 'not-a-guid' })] }), { PW_1: 'x' }))
        .message,
    ).toMatch(/^targets\[0\]\.clientId in fleet\.json: must match pattern/);
    expect(
      configError(() => loadTargetsFile(file({ targets: [target(1), target(1)] }), { PW_1: 'x' })).message,
    ).toMatch(/^targets\[1\]\.name in fleet\.json: "box1@contoso\.com" is already the name of targets\[0\]/);
    expect(configError(() => loadTargetsFile(file('{ "targets": ['), {})).message).toMatch(
      /^--targets fleet\.json: is not valid JSON/,
    );
    expect(configError(() => loadTargetsFile(file({ targets: [] }), {})).message).toMatch(
      /targets in fleet\.json: must NOT have fewer than 1 items/,
    );
    expect(
      configError(() => loadTargetsFile(file({ defaults: { name: 'x' }, targets: [target(1)] }), { PW_1: 'x' }))
        .message,
    ).toMatch(/^defaults\.name in fleet\.json: cannot be shared/);
  });

  it('validates every target before any network call, naming the target', () => {
    const specs = loadTargetsFile(
      file({ targets: [target(1), target(2, { endpoints: { imap: 'imap.example.com:99999' } })] }),
      { PW_1: 'a', PW_2: 'b' },
    );
    expect(specs).toHaveLength(2);
    expect(configError(() => resolveTargets([specs[1]])).message).toMatch(
      /^targets\[1\]\.endpoints\.imap in fleet\.json/,
    );
  });
});

describe('--shard', () => {
  it('parses K/N and rejects anything else', () => {
    expect(parseShard('2/4')).toEqual({ index: 2, count: 4 });
    for (const bad of ['0/4', '5/4', '1/0', '1-4', 'a/b', '']) expect(() => parseShard(bad), bad).toThrow(ConfigError);
  });

  it('puts every target in exactly one shard, slices within one of each other in size', () => {
    for (const n of [1, 3, 7]) {
      const sizes = Array.from({ length: n }, () => 0);
      for (let i = 0; i < 1000; i++) {
        const owners = Array.from({ length: n }, (_, k) => k).filter((k) => inShard(i, { index: k + 1, count: n }));
        expect(owners).toHaveLength(1);
        sizes[owners[0]]++;
      }
      expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    }
    expect(inShard(5, undefined)).toBe(true);
  });
});

describe('bounded pool', () => {
  it('never runs more than the limit at once and runs everything', async () => {
    let running = 0;
    let peak = 0;
    const done: number[] = [];
    await forEachBounded(
      Array.from({ length: 40 }, (_, i) => i),
      5,
      async (i) => {
        running++;
        peak = Math.max(peak, running);
        await new Promise((r) => setTimeout(r, 1 + (i % 3)));
        running--;
        done.push(i);
      },
    );
    expect(peak).toBe(5);
    expect(done.sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => i));
  });

  it('stops taking work after a failure and rethrows it', async () => {
    let started = 0;
    await expect(
      forEachBounded(
        Array.from({ length: 50 }, (_, i) => i),
        2,
        async (i) => {
          started++;
          if (i === 3) throw new Error('boom');
          await new Promise((r) => setTimeout(r, 1));
        },
      ),
    ).rejects.toThrow('boom');
    expect(started).toBeLessThan(10);
  });
});
