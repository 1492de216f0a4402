// The CONNECT request of the mail tunnel names its target in RFC 9110's authority form: HOST:PORT, an IPv6
// address in brackets (a bare "::1:993" is no valid target).
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { openTunnel } from '../../src/net/connect-tunnel.js';

let server: net.Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

/** A proxy that records the request line and refuses, so no real target is needed. */
async function recordingProxy(): Promise<{ url: URL; lines: string[] }> {
  const lines: string[] = [];
  server = net.createServer((s) => {
    s.once('data', (d) => {
      lines.push(String(d).split('\r\n')[0] ?? '');
      s.end('HTTP/1.1 403 Forbidden\r\n\r\n');
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return { url: new URL(`http://127.0.0.1:${(server!.address() as net.AddressInfo).port}`), lines };
}

describe('CONNECT target', () => {
  it.each([
    ['::1', 993, 'CONNECT [::1]:993 HTTP/1.1'],
    ['outlook.office365.com', 995, 'CONNECT outlook.office365.com:995 HTTP/1.1'],
    ['127.0.0.1', 587, 'CONNECT 127.0.0.1:587 HTTP/1.1'],
  ])('%s port %i', async (host, port, line) => {
    const { url, lines } = await recordingProxy();
    await expect(openTunnel(url, host, port, 3000)).rejects.toMatchObject({ code: 'PROXY_REFUSED' });
    expect(lines).toEqual([line]);
  });
});
