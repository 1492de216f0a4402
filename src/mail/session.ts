// What every mail dialog shares: the socket, the phase reached, redacted transcript lines, and a
// best-effort goodbye.
import type { HostPort } from '../config/types.js';
import { formatHostPort } from '../config/validate.js';
import type { MailLoginResult, MailProtocol } from '../clients/types.js';
import { NetError } from '../core/errors.js';
import type { Logger } from '../core/log.js';
import type { Redactor } from '../core/redact.js';
import { proxyFor, shownProxy, type ProxySettings } from '../config/proxy.js';
import { LineSocket, type LineSocketOptions } from './line-socket.js';
import type { ProcessHold } from './process-hold.js';
import { eitherSignal } from '../net/deadline.js';

const MAX_REPORTED_LINE = 512;
/** A goodbye is a courtesy: it never holds a finished dialog for long. */
const GOODBYE_MS = 2000;

export interface MailDeps {
  redactor: Redactor;
  log: Logger;
  caPem?: string;
  stepMs: number;
  /** The run's proxy: used for mail only with mail: true (--mail-proxy); the route is reported either way. */
  proxy?: ProxySettings;
  /** The run's end (Ctrl-C): every session, pre-connected or logging in, is cut with it. */
  signal?: AbortSignal;
}

export class MailSession {
  phase = 'connect';
  /** Last untagged BYE an IMAP server sent (it may hang up right after). */
  lastBye?: string;
  sock!: LineSocket;
  readonly result: MailLoginResult;
  #tags = 0;
  #onRunEnd?: () => void;
  /** The goodbye still being read after leave(). */
  #leaving?: Promise<void>;

  constructor(
    readonly protocol: MailProtocol,
    readonly endpoint: HostPort,
    readonly deps: MailDeps,
  ) {
    this.result = {
      protocol,
      endpoint,
      authenticated: false,
      greeting: '',
      capabilities: [],
      phase: 'connect',
      authLine: '',
    };
  }

  async open(implicitTls: boolean, signal?: AbortSignal, hold?: ProcessHold): Promise<void> {
    const proxy = this.deps.proxy?.mail ? proxyFor(this.deps.proxy, this.endpoint.host, this.endpoint.port) : undefined;
    if (this.deps.proxy) this.result.route = mailRoute(this.protocol, this.deps.proxy, proxy);
    const opts: LineSocketOptions = {
      endpoint: this.endpoint,
      implicitTls,
      caPem: this.deps.caPem,
      stepMs: this.deps.stepMs,
      signal: eitherSignal(signal, this.deps.signal),
      hold,
      proxy,
    };
    this.at(implicitTls ? 'tls' : 'connect');
    this.sock = await LineSocket.open(opts);
    this.result.tlsProtocol = this.sock.tlsProtocol;
    // A session idle between its steps (pre-connected, waiting for a token) has no step to cut: it is closed.
    const run = this.deps.signal;
    if (run?.aborted) this.close();
    else if (run) {
      this.#onRunEnd = () => this.close();
      run.addEventListener('abort', this.#onRunEnd, { once: true });
    }
  }

  /** Next IMAP command tag (A1, A2, ...), numbered across the whole dialog. */
  nextTag(): string {
    return `A${++this.#tags}`;
  }

  at(phase: string): void {
    this.phase = phase;
    this.result.phase = phase;
  }

  async line(ms?: number): Promise<string> {
    const l = await this.sock.readLine(this.phase, ms);
    this.deps.log.debug(`${this.protocol} <`, { phase: this.phase, line: this.clean(l) });
    return l;
  }

  send(text: string, secret = false, flushed?: () => void): void {
    this.deps.log.debug(`${this.protocol} >`, {
      phase: this.phase,
      line: secret ? '[XOAUTH2 response]' : this.clean(text),
    });
    this.sock.write(text, flushed);
  }

  /** Redacted and bounded, fit for results and reports. */
  clean(line: string): string {
    const s = this.deps.redactor.scrub(line);
    return s.length > MAX_REPORTED_LINE ? `${s.slice(0, MAX_REPORTED_LINE)}…` : s;
  }

  /** The server turned the session away in its greeting. */
  refused(line: string, detail?: Record<string, string | number>): NetError {
    return new NetError(
      'SERVER_ERROR',
      this.sock.host,
      'greeting',
      `${this.endpoint.host} refused the session: ${this.clean(line)}`,
      detail,
    );
  }

  /** Reads a one-line greeting (IMAP, POP): refused when it matches `refusal`, bad unless it matches `ok`. */
  async greeting(refusal: RegExp, ok: RegExp, expected: string): Promise<void> {
    this.at('greeting');
    const greeting = await this.line();
    if (refusal.test(greeting)) throw this.refused(greeting);
    if (!ok.test(greeting)) throw this.bad(greeting, expected);
    this.result.greeting = this.clean(greeting);
  }

  /** A reply that makes no sense for the protocol step. */
  bad(line: string, expected: string): NetError {
    return new NetError(
      'BAD_RESPONSE',
      this.sock?.host ?? formatHostPort(this.endpoint),
      this.phase,
      `${this.endpoint.host} sent "${this.clean(line).slice(0, 120)}" where ${expected} was expected`,
    );
  }

  /**
   * Say goodbye without letting a slow or rude server fail a finished login. `command` undefined: it was sent
   * already (pipelined), only its answer is read.
   */
  async goodbye(phase: string, command: string | undefined, isFinal: (line: string) => boolean): Promise<void> {
    this.#goodbyePhase(phase);
    if (command !== undefined) this.send(command);
    await this.#readGoodbye(isFinal);
  }

  /**
   * The goodbye of a dialog whose verdict is known: the command goes out now and its answer is read in the
   * background. Nothing waits for that answer, neither the login's result nor the process (the connection stops
   * holding it once the command is on its way); close() ends the connection after the answer, or its budget.
   */
  leave(phase: string, command: string | undefined, isFinal: (line: string) => boolean): void {
    this.#goodbyePhase(phase);
    const release = () => this.sock.release();
    if (command !== undefined) this.send(command, false, release);
    else release();
    this.#leaving = this.#readGoodbye(isFinal);
  }

  #goodbyePhase(phase: string): void {
    // The goodbye is recorded as the phase reached only when the dialog before it went well.
    if (this.result.authenticated && this.result.afterAuthOk !== false) this.at(phase);
    else this.phase = phase;
  }

  async #readGoodbye(isFinal: (line: string) => boolean): Promise<void> {
    try {
      const ms = Math.min(this.deps.stepMs, GOODBYE_MS);
      for (let i = 0; i < 20; i++) if (isFinal(await this.line(ms))) break;
    } catch {
      // The verdict is already known; a server closing early is fine.
    }
  }

  /** Ends the connection; after a leave(), once the goodbye's answer came (or its budget ran out). */
  close(): void {
    const leaving = this.#leaving;
    this.#leaving = undefined;
    if (leaving) {
      void leaving.finally(() => this.close());
      return;
    }
    if (this.#onRunEnd) this.deps.signal?.removeEventListener('abort', this.#onRunEnd);
    this.#onRunEnd = undefined;
    this.sock?.close();
  }
}

/** How a mail connection went, said when a proxy is configured (the user may think it covers IMAP/POP/SMTP too). */
function mailRoute(protocol: MailProtocol, settings: ProxySettings, used: URL | undefined): string {
  const name = protocol.toUpperCase();
  if (used) return `proxy ${shownProxy(used)} (HTTP CONNECT tunnel)`;
  if (settings.mail) return `direct (NO_PROXY names the ${name} host)`;
  return `direct (proxy not used for ${name}; --mail-proxy tunnels it)`;
}
