// The Graph read played while the first round trips are in flight: it goes through the reader's own middleware
// (so that code is compiled before the first real answer) and reaches no host.
import net from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as sdk from '@microsoft/microsoft-graph-client';
import { TransportMiddleware } from '../../src/graph/middleware.js';
import { rehearseGraphRead } from '../../src/graph/rehearsal.js';

afterEach(() => vi.restoreAllMocks());

describe('Graph rehearsal', () => {
  it('reads once through the reader middleware, opening no connection and calling no fetch', async () => {
    const connect = vi.spyOn(net.Socket.prototype, 'connect');
    const fetchSpy = vi.spyOn(globalThis, 'fetch');
    const transport = vi.spyOn(TransportMiddleware.prototype, 'execute');
    await expect(rehearseGraphRead(sdk)).resolves.toBeUndefined();
    expect(transport).toHaveBeenCalledTimes(1);
    expect(connect).not.toHaveBeenCalled();
    expect(fetchSpy).not.toHaveBeenCalled();
  });
});
