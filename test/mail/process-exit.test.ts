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
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

/** The child: pre-connect IMAP, then stay alive only until its stdin ends. */
const CHILD = `
import { createMailConnector } from ${JSON.stringify(`${DIST}mail/connector.js`)};
import { Redactor } from ${JSON.stringify(`${DIST}core/redact.js`)};
import { silentLogger } from ${JSON.stringify(`${DIST}core/log.js`)};
const config = JSON.parse(process.env.PC_CONFIG);
const mail = createMailConnector(config, { redactor: new Redactor(), log: silentLogger });
mail.preconnect('imap');
process.stdin.resume();
`;

/** The child: one POP login on a connection of its own, then nothing left to do. */
const LOGIN_CHILD = `
import { createMailConnector } from ${JSON.stringify(`${DIST}mail/connector.js`)};
import { Redactor } from ${JSON.stringify(`${DIST}core/redact.js`)};
import { silentLogger } from ${JSON.stringify(`${DIST}core/log.js`)};
const config = JSON.parse(process.env.PC_CONFIG);
const mail = createMailConnector(config, { redactor: new Redactor(), log: silentLogger });
const r = await mail.pop({ user: 'connector@contoso.test', accessToken: 'token' });
process.stdout.write(JSON.stringify({ authenticated: r.authenticated, afterAuthOk: r.afterAuthOk, phase: r.phase }));
`;

describe.skipIf(!existsSync(`${DIST}mail/preconnect.js`))('process lifetime', () => {
  it('an unused pre-connected session does not hold the process open', async () => {
    const conns: Conn[] = [];
    const server = await startScriptedServer({
      tls: tlsMaterial,
      script: async (c) => {
        conns.push(c);
        await imapDialog({ verdict: () => 'ok' })(c);
      },
    });
    cleanups.push(() => server.close());
    const config = {
      endpoints: { imap: { host: '127.0.0.1', port: server.port } },
      caPem: ca.caPem,
      timeoutMs: 60_000,
    };
    const child = spawn(process.execPath, ['--input-type=module', '-e', CHILD], {
      env: { ...process.env, PC_CONFIG: JSON.stringify(config) },
    });
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += d;
    });
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

  it('a finished login does not hold the process for the answer to its QUIT', async () => {
    const conns: Conn[] = [];
    let quitAt: number | undefined;
    const server = await startScriptedServer({
      tls: tlsMaterial,
      script: async (c) => {
        conns.push(c);
        c.send('+OK ready');
        for (let line = await c.read(); line !== null; line = await c.read()) {
          if (line === 'CAPA') for (const l of ['+OK', 'SASL XOAUTH2', '.']) c.send(l);
          else if (line === 'AUTH XOAUTH2') {
            c.send('+ ');
            await c.read();
            c.send('+OK User successfully authenticated.');
          } else if (line === 'STAT') c.send('+OK 3 4096');
          // QUIT is never answered: a child waiting for the answer would live for the goodbye's budget (2 s).
          else if (line === 'QUIT') quitAt = Date.now();
          else c.send('-ERR Command is not valid in this state.');
        }
      },
    });
    cleanups.push(() => server.close());
    const config = { endpoints: { pop: { host: '127.0.0.1', port: server.port } }, caPem: ca.caPem, timeoutMs: 60_000 };
    const child = spawn(process.execPath, ['--input-type=module', '-e', LOGIN_CHILD], {
      env: { ...process.env, PC_CONFIG: JSON.stringify(config) },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    const exitedAt = Date.now();
    expect(code, stderr).toBe(0);
    expect(JSON.parse(stdout)).toEqual({ authenticated: true, afterAuthOk: true, phase: 'quit' });
    // The QUIT reached the server before the child left.
    await new Promise((r) => setTimeout(r, 50));
    expect(conns[0].received.at(-1)).toBe('QUIT');
    // The child left right after sending it, not after the goodbye's 2 s budget.
    expect(exitedAt - quitAt!).toBeLessThan(1000);
  }, 20_000);
});
