// A pre-connected session nobody takes does not keep the process alive: a process that pre-connects and then has
// nothing left to do exits on its own while the server still holds the connection open. Runs the compiled
// connector (dist/, built by `npm test`) in a child process.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { imapDialog } from '../clients/helpers/exchange-like.js';
import { startScriptedServer, type Conn } from '../clients/helpers/scripted-server.js';
import { createTestCa } from '../clients/helpers/test-ca.js';

const DIST = fileURLToPath(new URL('../../dist/src/', import.meta.url));
const ca = createTestCa();
const tlsMaterial = ca.issue();
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => { while (cleanups.length) await cleanups.pop()!(); });

/** The child: pre-connect IMAP, then stay alive only until its stdin ends. */
const CHILD = `
import { createMailConnector } from ${JSON.stringify(`${DIST}mail/connector.js`)};
import { Redactor } from ${JSON.stringify(`${DIST}redact.js`)};
import { silentLogger } from ${JSON.stringify(`${DIST}log.js`)};
const config = JSON.parse(process.env.PC_CONFIG);
const mail = createMailConnector(config, { redactor: new Redactor(), log: silentLogger });
mail.preconnect('imap');
process.stdin.resume();
`;

describe.skipIf(!existsSync(`${DIST}mail/preconnect.js`))('process lifetime', () => {
  it('an unused pre-connected session does not hold the process open', async () => {
    const conns: Conn[] = [];
    const server = await startScriptedServer({ tls: tlsMaterial, script: async (c) => { conns.push(c); await imapDialog({ verdict: () => 'ok' })(c); } });
    cleanups.push(() => server.close());
    const config = { endpoints: { imap: { host: '127.0.0.1', port: server.port } }, caPem: ca.caPem, timeoutMs: 60_000 };
    const child = spawn(process.execPath, ['--input-type=module', '-e', CHILD], { env: { ...process.env, PC_CONFIG: JSON.stringify(config) } });
    let stderr = '';
    child.stderr.on('data', (d) => { stderr += d; });
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    // The opening has happened (greeting and CAPABILITY) before the child's last reason to live goes away.
    while (!conns[0]?.received.includes('A1 CAPABILITY')) await new Promise((r) => setTimeout(r, 5));
    child.stdin.end();
    const code = await Promise.race([exited, new Promise<string>((r) => setTimeout(() => r('still running'), 10_000))]);
    if (code === 'still running') child.kill();
    expect(code, stderr).toBe(0);
    // The server never hung up: the child left with the session still open.
    expect(conns[0].received).toEqual(['A1 CAPABILITY']);
  }, 20_000);
});
