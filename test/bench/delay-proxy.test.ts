// The bench's delay proxy: bytes keep their order, every crossing costs half an RTT, a connection one RTT more.
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startDelayProxy, type DelayProxy } from '../../bench/delay-proxy.js';

const open: Array<{ close(): unknown }> = [];
afterEach(async () => {
  for (const o of open.splice(0).reverse()) await o.close();
});

/** A line server: answers every line with "echo <line>"; greets first when asked to. */
async function lineServer(greet: boolean): Promise<net.AddressInfo> {
  const server = net.createServer((s) => {
    s.on('error', () => {});
    if (greet) s.write('hello\n');
    let buf = '';
    s.on('data', (d) => {
      buf += d;
      for (let i; (i = buf.indexOf('\n')) >= 0; buf = buf.slice(i + 1)) s.write(`echo ${buf.slice(0, i)}\n`);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  open.push({ close: () => new Promise((r) => server.close(r)) });
  return server.address() as net.AddressInfo;
}

async function proxied(greet: boolean, rttMs: number): Promise<DelayProxy> {
  const target = await lineServer(greet);
  const p = await startDelayProxy({ service: 'test', target: { host: '127.0.0.1', port: target.port }, rttMs });
  open.push(p);
  return p;
}

/** Connects, then collects lines; `untilLines` resolves when n lines have arrived, with their arrival times. */
function connect(p: DelayProxy) {
  const sock = net.connect(p.port, p.host);
  open.push({ close: () => sock.destroy() });
  const lines: Array<{ text: string; at: number }> = [];
  let buf = '';
  const waiters: Array<() => void> = [];
  sock.on('data', (d) => {
    buf += d;
    for (let i; (i = buf.indexOf('\n')) >= 0; buf = buf.slice(i + 1))
      lines.push({ text: buf.slice(0, i), at: performance.now() });
    for (const w of waiters.splice(0)) w();
  });
  const untilLines = (n: number) =>
    new Promise<typeof lines>((resolve) => {
      const check = () => (lines.length >= n ? resolve(lines) : waiters.push(check));
      check();
    });
  return { sock, untilLines };
}

describe('delay proxy', () => {
  it('costs one RTT to connect and one per exchange, and logs them', async () => {
    const rtt = 80;
    const p = await proxied(false, rtt);
    const started = performance.now();
    const c = connect(p);
    c.sock.write('one\n');
    const first = (await c.untilLines(1))[0];
    // Set-up plus the exchange: two RTTs (a little slack below for timer rounding).
    expect(first.at - started).toBeGreaterThanOrEqual(2 * rtt - 2);
    expect(first.at - started).toBeLessThan(2 * rtt + 60);
    const t = performance.now();
    c.sock.write('two\n');
    const second = (await c.untilLines(2))[1];
    expect(second.at - t).toBeGreaterThanOrEqual(rtt - 2);
    expect(second.at - t).toBeLessThan(rtt + 60);
    expect(p.connections).toHaveLength(1);
    expect(p.connections[0].flights).toHaveLength(2);
    // The set-up, then both exchanges, one after another, each an RTT long.
    const [c0] = p.connections;
    expect(c0.setup.answeredAt - c0.setup.sentAt).toBeCloseTo(rtt, 6); // timestamps are floats (performance.now)
    expect(c0.flights[0].sentAt).toBeGreaterThanOrEqual(c0.setup.answeredAt);
    expect(c0.flights[1].sentAt).toBeGreaterThanOrEqual(c0.flights[0].answeredAt);
    for (const f of c0.flights) expect(f.answeredAt - f.sentAt).toBeGreaterThanOrEqual(rtt - 1);
  });

  it('delivers a server greeting two RTTs after connecting (SYN, SYN-ACK, ACK, greeting)', async () => {
    const rtt = 60;
    const p = await proxied(true, rtt);
    const started = performance.now();
    const c = connect(p);
    const greeting = (await c.untilLines(1))[0];
    expect(greeting.text).toBe('hello');
    expect(greeting.at - started).toBeGreaterThanOrEqual(2 * rtt - 2);
    // Logged as one exchange after the set-up: the client waited for it.
    expect(p.connections[0].flights).toHaveLength(1);
    expect(p.connections[0].flights[0].sentAt).toBe(p.connections[0].setup.answeredAt);
  });

  it('keeps the order of many chunks in both directions', async () => {
    const p = await proxied(false, 20);
    const c = connect(p);
    const n = 200;
    for (let i = 0; i < n; i++) {
      c.sock.write(`${i}\n`);
      if (i % 50 === 0) await new Promise((r) => setTimeout(r, 3)); // several separate flights
    }
    const lines = await c.untilLines(n);
    expect(lines.map((l) => l.text)).toEqual(Array.from({ length: n }, (_, i) => `echo ${i}`));
  });

  it('adds nothing at RTT 0 beyond loopback', async () => {
    const p = await proxied(false, 0);
    const c = connect(p);
    const t = performance.now();
    c.sock.write('x\n');
    await c.untilLines(1);
    expect(performance.now() - t).toBeLessThan(200);
  });
});
