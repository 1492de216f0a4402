// A Graph read played in-process, with no network, while the run's first round trips are in flight: the SDK's
// request and response code and the body-stream classes of Node's fetch compile on their first call (about 3 ms
// of CPU in a profile of a run), and the first real answers would otherwise wait for that.
import type * as GraphSdk from '@microsoft/microsoft-graph-client';
import type { HttpsTransport } from '../net/https.js';
import { Deadline } from '../net/deadline.js';
import { RequestSlot, ThrottleMiddleware, TransportMiddleware } from './middleware.js';

/** A local, fixed answer: the rehearsal reaches no host and sends no token. */
const localAnswer: HttpsTransport = {
  request: (req) =>
    Promise.resolve({
      status: 200,
      headers: { 'content-type': 'application/json; odata.metadata=minimal' },
      body: '{"@odata.context":"https://rehearsal.invalid/v1.0/$metadata#users/$entity","id":"0"}',
      url: req.url,
    }),
};

/** The middleware chain the reader uses, the same SDK calls, one read; what it returns is dropped. */
export async function rehearseGraphRead(sdk: typeof GraphSdk): Promise<void> {
  const client = sdk.Client.initWithMiddleware({
    baseUrl: 'https://rehearsal.invalid',
    defaultVersion: 'v1.0',
    customHosts: new Set(['rehearsal.invalid']),
    middleware: [
      new sdk.AuthenticationHandler({ getAccessToken: () => Promise.resolve('rehearsal') }),
      new ThrottleMiddleware(0),
      new TransportMiddleware(localAnswer),
    ],
  });
  const slot = new RequestSlot(new Deadline(1_000));
  try {
    await client.api('/users/rehearsal').middlewareOptions([slot]).get();
  } finally {
    slot.deadline.dispose();
  }
}
