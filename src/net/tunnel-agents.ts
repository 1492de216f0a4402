// The agents of requests through a proxy: https-proxy-agent sends CONNECT to the proxy and starts TLS to the target
// inside the tunnel. Loaded only when a proxy is configured, so a direct run never loads it.
import type https from 'node:https';
import { VERIFY_PEER } from './trust.js';

interface Agents {
  pool: https.Agent;
  fresh: https.Agent;
}
const byProxy = new Map<string, Promise<Agents>>();

/** One keep-alive pool (and one agent for the one repeat of a GET on a connection of its own) per proxy URL. */
export function tunnelAgents(proxy: URL, idleMs: number): Promise<Agents> {
  let agents = byProxy.get(proxy.href);
  if (!agents) {
    agents = import('https-proxy-agent').then(({ HttpsProxyAgent }) => ({
      // `timeout` destroys a pooled tunnel idle that long, as the direct pool does (IdleBoundAgent).
      pool: new HttpsProxyAgent(proxy, {
        keepAlive: true,
        maxSockets: 16,
        timeout: idleMs,
        scheduling: 'lifo',
        ...VERIFY_PEER,
      }) as unknown as https.Agent,
      fresh: new HttpsProxyAgent(proxy, { keepAlive: false, ...VERIFY_PEER }) as unknown as https.Agent,
    }));
    byProxy.set(proxy.href, agents);
  }
  return agents;
}
