// Loopback ports for a server that cannot listen on port 0 itself (Dovecot's config needs numbers).
import { createServer, type Server } from 'node:net';

/** Reserve `count` distinct free ports on 127.0.0.1 by binding port 0, then release them all at once. */
export async function freeLoopbackPorts(count: number): Promise<number[]> {
  const servers: Server[] = [];
  try {
    for (let i = 0; i < count; i++) {
      // Holding every socket open until the end keeps the kernel from handing out one port twice.
      servers.push(
        await new Promise<Server>((resolve, reject) => {
          const s = createServer();
          s.once('error', reject);
          s.listen(0, '127.0.0.1', () => resolve(s));
        }),
      );
    }
    return servers.map((s) => {
      const addr = s.address();
      if (!addr || typeof addr === 'string') throw new Error('no TCP address for a loopback listener');
      return addr.port;
    });
  } finally {
    await Promise.all(servers.map((s) => new Promise<void>((r) => s.close(() => r()))));
  }
}
