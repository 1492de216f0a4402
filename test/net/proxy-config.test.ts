// Where the proxy comes from (flag > environment > config file), its checks, and its credentials as secrets.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { envLayer } from '../../src/config/env.js';
import { fileLayer } from '../../src/config/file.js';
import type { InputLayer } from '../../src/config/inputs.js';
import { resolveConfig } from '../../src/config/resolve.js';
import { ConfigError } from '../../src/core/errors.js';
import { shownProxy } from '../../src/config/proxy.js';
import { Redactor } from '../../src/core/redact.js';

const base: InputLayer = { values: { tenant: 'contoso.onmicrosoft.com' }, label: (k) => `--${k}` };
const resolve = (layers: InputLayer[], redactor = new Redactor()) => resolveConfig([...layers, base], redactor).config;

describe('proxy settings', () => {
  it('HTTPS_PROXY, else HTTP_PROXY; lower case first; NO_PROXY either case; named by its variable', () => {
    expect(resolve([envLayer({ HTTP_PROXY: 'http://p1:3128' })]).proxy).toEqual({
      url: 'http://p1:3128',
      noProxy: '',
      mail: false,
      source: 'HTTP_PROXY',
    });
    expect(
      resolve([envLayer({ HTTP_PROXY: 'http://p1:3128', HTTPS_PROXY: 'p2:8080', no_proxy: '.contoso.com' })]).proxy,
    ).toEqual({ url: 'http://p2:8080', noProxy: '.contoso.com', mail: false, source: 'HTTPS_PROXY' });
    expect(resolve([envLayer({ https_proxy: 'http://lower:1', HTTPS_PROXY: 'http://upper:1' })]).proxy?.url).toBe(
      'http://lower:1',
    );
    expect(resolve([envLayer({})]).proxy).toBeUndefined();
  });

  it('the config file proxy, noProxy and mailProxy; a flag or the environment wins over it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'm365-proxy-config-'));
    const file = join(dir, 'm365-doctor.json');
    writeFileSync(file, JSON.stringify({ proxy: 'http://file-proxy:3128', noProxy: 'localhost', mailProxy: true }));
    expect(resolve([fileLayer(file, {})]).proxy).toEqual({
      url: 'http://file-proxy:3128',
      noProxy: 'localhost',
      mail: true,
      source: 'proxy in m365-doctor.json',
    });
    expect(resolve([envLayer({ HTTPS_PROXY: 'http://env:1' }), fileLayer(file, {})]).proxy?.url).toBe('http://env:1');
    const flag: InputLayer = { values: { proxy: 'http://flag:1' }, label: () => '--proxy' };
    expect(resolve([flag, envLayer({ HTTPS_PROXY: 'http://env:1' })]).proxy?.source).toBe('--proxy');
    writeFileSync(file, JSON.stringify({ proxy: 42 }));
    expect(() => fileLayer(file, {})).toThrow(ConfigError);
  });

  it('a bad proxy is a ConfigError that never repeats the URL; --mail-proxy needs a proxy', () => {
    const flag = (proxy: string): InputLayer => ({ values: { proxy }, label: () => '--proxy' });
    for (const bad of ['socks5://u:Sekr3t-Pass@p:1080', 'http://u:Sekr3t-Pass@[bad']) {
      let err: unknown;
      try {
        resolve([flag(bad)]);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as Error).message).toMatch(/^--proxy: /);
      expect((err as Error).message).not.toContain('Sekr3t-Pass');
    }
    expect(() => resolve([{ values: { mailProxy: true }, label: () => '--mail-proxy' }])).toThrow(
      /--mail-proxy: is set but no proxy is/,
    );
  });

  it('the proxy password, plain, URL-encoded and as the Basic pair, is a secret of the run; shown URLs hide it', () => {
    const redactor = new Redactor();
    const url = 'http://svc-mail:P%40ss%3Aw0rd!@proxy.contoso.com:8080';
    const config = resolve([{ values: { proxy: url }, label: () => '--proxy' }], redactor);
    const text = `${url} P@ss:w0rd! ${Buffer.from('svc-mail:P@ss:w0rd!').toString('base64')}`;
    expect(redactor.scrub(text)).not.toMatch(/P@ss|P%40ss|w0rd/);
    expect(redactor.scrub(text)).not.toContain(Buffer.from('svc-mail:P@ss:w0rd!').toString('base64'));
    expect(shownProxy(config.proxy!.url)).toBe('http://***@proxy.contoso.com:8080');
  });
});
