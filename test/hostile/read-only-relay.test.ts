// The hostile world, read-only proof with witnesses of its own: HTTPS fronts before Entra and Graph and relays
// before IMAP, POP and SMTP that end TLS and write down every request and command line. A default run of each
// command that talks to the tenant (check, token, fix) sends no Graph write, no IMAP STORE/APPEND/EXPUNGE/COPY/MOVE,
// no POP DELE, no SMTP MAIL/RCPT/DATA; --send-test-mail sends exactly one message.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { loopbackServerCert } from '../../src/emulator/tls.js';
import { runCli } from '../helpers/cli.js';
import { emulatorEnv } from '../reliability/helpers/emulator-env.js';
import { isTokenPost, startEchoFront, type EchoFront } from './helpers/echo-front.js';
import { implicitTlsRelay, startTlsSmtpRelay, type RecordingRelay } from './helpers/recording-relay.js';

let emulator: RunningEmulator;
let entra: EchoFront;
let graph: EchoFront;
let relays: { imap: RecordingRelay; pop: RecordingRelay; smtp: RecordingRelay };

beforeAll(async () => {
  emulator = await startEmulator();
  const cert = loopbackServerCert();
  [entra, graph] = await Promise.all(
    [emulator.authorityHost, emulator.graphUrl].map((upstream) =>
      startEchoFront({ upstream, caPem: emulator.caPem, cert, answer: () => undefined }),
    ),
  );
  const [imap, pop, smtp] = await Promise.all([
    implicitTlsRelay(emulator.imap, emulator.caPem, cert),
    implicitTlsRelay(emulator.pop, emulator.caPem, cert),
    startTlsSmtpRelay(emulator.smtp, emulator.caPem, cert),
  ]);
  relays = { imap, pop, smtp };
}, 60_000);
afterAll(async () => {
  await Promise.all([entra, graph, ...Object.values(relays ?? {})].filter(Boolean).map((s) => s.close()));
  await emulator?.stop();
});

const env = () =>
  emulatorEnv(emulator, {
    M365_DOCTOR_AUTHORITY_HOST: entra.origin,
    M365_DOCTOR_GRAPH_URL: graph.origin,
    M365_DOCTOR_IMAP: relays.imap.hostPort,
    M365_DOCTOR_POP: relays.pop.hostPort,
    M365_DOCTOR_SMTP: relays.smtp.hostPort,
  });

/** Verbs each witness saw since `mark`, as "VERB" per line (IMAP: the command after the tag). */
function seen(mark: Record<string, number>) {
  const verbs = (lines: string[], imap: boolean) =>
    lines.map((l) => (imap ? (l.split(' ')[1] ?? '') : l.split(' ')[0]).toUpperCase());
  return {
    graphWrites: graph.requests
      .slice(mark.graph)
      .filter(
        (r) =>
          r.method !== 'GET' &&
          !(
            r.method === 'POST' &&
            /\/\$batch$/.test(r.path) &&
            !/"method"\s*:\s*"(POST|PATCH|PUT|DELETE)"/i.test(r.body)
          ),
      ),
    entraPosts: entra.requests.slice(mark.entra).filter((r) => r.method === 'POST' && !isTokenPost(r)),
    imap: verbs(relays.imap.lines.slice(mark.imap), true),
    pop: verbs(relays.pop.lines.slice(mark.pop), false),
    smtp: verbs(relays.smtp.lines.slice(mark.smtp), false),
  };
}
const markNow = () => ({
  graph: graph.requests.length,
  entra: entra.requests.length,
  imap: relays.imap.lines.length,
  pop: relays.pop.lines.length,
  smtp: relays.smtp.lines.length,
});

describe('read-only, as witnessed by relays', () => {
  it.each([
    ['check (with a directory reader, as every run here)', ['check', '--format', 'json']],
    ['token', ['token']],
    ['fix (fresh run)', ['fix', '--script', 'powershell']],
  ])(
    '%s writes nothing',
    async (_name, args) => {
      const mark = markNow();
      const e = env();
      const run = await runCli(args, { env: e });
      expect(run.code, run.stderr).toBeOneOf([0, 1]);
      const s = seen(mark);
      expect(s.graphWrites.map((r) => `${r.method} ${r.path}`)).toEqual([]);
      expect(s.entraPosts.map((r) => r.path)).toEqual([]);
      for (const v of ['STORE', 'APPEND', 'EXPUNGE', 'COPY', 'MOVE', 'UID', 'DELETE', 'RENAME', 'CREATE', 'SELECT'])
        expect(s.imap, v).not.toContain(v);
      expect(s.pop).not.toContain('DELE');
      for (const v of ['MAIL', 'RCPT', 'DATA', 'BDAT']) expect(s.smtp, v).not.toContain(v);
      if (args[0] !== 'token') {
        // The witnesses were on the path: the logins went through them.
        expect(s.imap).toContain('AUTHENTICATE');
        expect(s.pop).toContain('AUTH');
        expect(s.smtp).toContain('AUTH');
      }
    },
    60_000,
  );

  it('--send-test-mail sends exactly one message: one MAIL, one RCPT, one DATA', async () => {
    const mark = markNow();
    const run = await runCli(['check', '--send-test-mail', '--format', 'json'], { env: env() });
    expect(run.code, run.stderr).toBe(0);
    const s = seen(mark);
    expect(s.smtp.filter((v) => v === 'MAIL')).toHaveLength(1);
    expect(s.smtp.filter((v) => v === 'RCPT')).toHaveLength(1);
    expect(s.smtp.filter((v) => v === 'DATA')).toHaveLength(1);
    expect(s.graphWrites).toEqual([]);
  }, 60_000);
});
