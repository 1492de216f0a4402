// The emulated Microsoft 365 tenant: Entra ID and Graph over HTTPS plus Exchange Online IMAP, POP and SMTP,
// all on 127.0.0.1, trusting one in-process CA. The default backend of `check --demo` and of every test.
import { rmSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Endpoints, HostPort } from '../config/types.js';
import { ConfigError } from '../core/errors.js';
import type { DemoCredentials, TenantModel } from './model.js';
import { RequestLog } from './request-log.js';
import { healthyTenant } from './tenant.js';
import { buildScenario } from './scenarios.js';
import { emulatorCaAsync, rsaKeyPair, type CertificateAuthority, type IssueOptions, type ServerCert } from './tls.js';
import { sharedSigningKey, signingKeyFrom, type SigningKey } from './signing.js';
import { startEntraServer } from './entra.js';
import { startGraphServer } from './graph.js';
import { DeviceCodeStore } from './device-codes.js';
import { findUser, type EntraState } from './entra-grants.js';
import { timeClaims, v1Issuer, type TokenProfile } from './entra-tokens.js';
import type { EmulatorFaults, HttpsListener } from './http-kit.js';
import type { ExchangeDeps, ExchangeFaults, RunningServer } from './exchange/deps.js';
import { startImapServer } from './exchange/imap.js';
import { startPopServer } from './exchange/pop.js';
import { startSmtpServer, type SubmittedMessage } from './exchange/smtp.js';

export type { EmulatorFaults, HttpFault } from './http-kit.js';
export type { TokenProfile } from './entra-tokens.js';

export interface StartEmulatorOptions {
  /** A scenario name (see scenarios.ts); default healthy. Ignored when `tenant` is given. */
  scenario?: string;
  /** A ready tenant and credentials, e.g. from loadScenarioFile(). */
  tenant?: { tenant: TenantModel; credentials: DemoCredentials };
  /** Fixed ports: Entra N, Graph N+1, IMAP N+2, POP N+3, SMTP N+4. Default: ephemeral ports. */
  port?: number;
  /** Approve every device code as soon as it is issued (as the tenant's first user). */
  autoApproveDeviceCodes?: boolean;
  /** Access/ID token lifetime; default 3600. A negative value issues tokens that are already expired. */
  tokenLifetimeSeconds?: number;
  /** 'flat' drops array- and null-valued claims and makes `roles` a space-separated string (for strict JWT parsers). */
  tokenProfile?: TokenProfile;
  /** Reliability fault modes. entra/graph can be changed later through RunningEmulator.faults. */
  faults?: EmulatorFaults & { imap?: ExchangeFaults; pop?: ExchangeFaults; smtp?: ExchangeFaults };
}

export interface RunningEmulator {
  authorityHost: string;
  graphUrl: string;
  imap: HostPort;
  pop: HostPort;
  smtp: HostPort;
  caPem: string;
  /** The CA PEM written to a temporary file (removed by stop()). */
  caFile: string;
  credentials: DemoCredentials;
  /** The live model every service reads on each request: tests may mutate it or replace it. */
  tenant: TenantModel;
  signingKey: { kid: string; publicKeyPem: string };
  log: RequestLog;
  /** Messages the SMTP server accepted (latest last, bounded), e.g. after --send-test-mail. */
  smtpMessages: readonly SubmittedMessage[];
  /** Live HTTP fault modes (token endpoint and Graph). */
  faults: EmulatorFaults;
  /** Sign arbitrary claims; iss, tid, iat, nbf, exp and ver default to what this tenant issues. */
  mintAccessToken(claims: Record<string, unknown>, opts?: { key?: 'tenant' | 'foreign' }): string;
  /** Approve a pending device code, as `upn` or the tenant's first user. Throws when no pending code matches. */
  approveDeviceCode(userCode: string, upn?: string): void;
  /** A server certificate from the emulator's CA (e.g. expired, or for another host name), for fault tests. */
  issueServerCert(opts: IssueOptions): ServerCert;
  stop(): Promise<void>;
}

/** Front-end name Exchange shows in greetings and SMTP replies. */
const EXCHANGE_SERVER_NAME = 'MW4PR03CA0001.namprd03.prod.outlook.com';
const HOST = '127.0.0.1';

// CA files of running emulators, removed even when the process exits without stop() (e.g. Ctrl-C mid-run).
const liveDirs = new Set<string>();
let exitHookInstalled = false;
function trackDir(dir: string): void {
  liveDirs.add(dir);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const d of liveDirs) rmSync(d, { recursive: true, force: true });
  });
}

let foreign: SigningKey | undefined;
/** A key no emulator trusts, made on first use. */
const foreignKey = () => (foreign ??= signingKeyFrom(rsaKeyPair(), 'another tenant'));

function checkPort(port: number | undefined): void {
  if (port === undefined) return;
  if (!Number.isInteger(port) || port < 1 || port > 65535 - 4) {
    throw new ConfigError(
      'port',
      `${port} is not a usable first port`,
      'Give an integer from 1 to 65531 (the emulator uses N to N+4), or leave it out',
    );
  }
}

export async function startEmulator(opts: StartEmulatorOptions = {}): Promise<RunningEmulator> {
  checkPort(opts.port);
  const { tenant, credentials } = opts.tenant ?? (opts.scenario ? buildScenario(opts.scenario) : healthyTenant());
  const [ca, key] = await Promise.all([emulatorCaAsync(), sharedSigningKey()]);
  const serverTls = ca.issueServerCert({ hosts: [HOST, 'localhost'] });
  const log = new RequestLog();
  const faults: EmulatorFaults = { entra: opts.faults?.entra, graph: opts.faults?.graph };
  const port = (offset: number) => (opts.port ? opts.port + offset : 0);

  const servers: Array<HttpsListener | RunningServer> = [];
  const dir = await mkdtemp(join(tmpdir(), 'm365-doctor-emulator-'));
  trackDir(dir);
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await Promise.allSettled(servers.map((s) => s.close()));
    await rm(dir, { recursive: true, force: true });
    liveDirs.delete(dir);
  };

  try {
    const caFile = join(dir, 'ca.pem');
    await writeFile(caFile, ca.caPem, { mode: 0o644 });
    // Filled in below; the servers read it through closures so tests can swap the model.
    const emulator = { tenant } as RunningEmulator;
    const state: EntraState = {
      tenant: () => emulator.tenant,
      authorityHost: () => emulator.authorityHost,
      key,
      settings: { lifetimeSeconds: opts.tokenLifetimeSeconds ?? 3600, profile: opts.tokenProfile ?? 'entra' },
      deviceCodes: new DeviceCodeStore(),
      refreshTokens: new Map(),
      autoApproveDeviceCodes: opts.autoApproveDeviceCodes ?? false,
    };

    const entra = await startEntraServer({
      state,
      tls: serverTls,
      host: HOST,
      port: port(0),
      log,
      faults: () => faults,
      graphUrl: () => emulator.graphUrl,
      onListening: (authorityHost) => {
        emulator.authorityHost = authorityHost;
      },
    });
    servers.push(entra);
    const graph = await startGraphServer({
      tenant: () => emulator.tenant,
      publicKey: key.publicKey,
      tls: serverTls,
      host: HOST,
      port: port(1),
      log,
      faults: () => faults,
    });
    servers.push(graph);
    const deps = (offset: number, f?: ExchangeFaults): ExchangeDeps => ({
      tenant: () => emulator.tenant,
      tls: serverTls,
      publicKey: key.publicKey,
      log,
      host: HOST,
      port: port(offset),
      serverName: EXCHANGE_SERVER_NAME,
      ...(f ? { faults: f } : {}),
    });
    const imap = await startImapServer(deps(2, opts.faults?.imap));
    servers.push(imap);
    const pop = await startPopServer(deps(3, opts.faults?.pop));
    servers.push(pop);
    const smtp = await startSmtpServer(deps(4, opts.faults?.smtp));
    servers.push(smtp);

    Object.assign(emulator, {
      graphUrl: graph.graphUrl,
      imap: { host: HOST, port: imap.port },
      pop: { host: HOST, port: pop.port },
      smtp: { host: HOST, port: smtp.port },
      caPem: ca.caPem,
      caFile,
      credentials,
      log,
      faults,
      smtpMessages: smtp.messages,
      signingKey: { kid: key.kid, publicKeyPem: key.publicKeyPem },
      mintAccessToken(claims: Record<string, unknown>, o: { key?: 'tenant' | 'foreign' } = {}): string {
        const signer = o.key === 'foreign' ? foreignKey() : key;
        const tid = emulator.tenant.tenantId;
        return signer.sign({ iss: v1Issuer(tid), tid, ...timeClaims(state.settings), ver: '1.0', ...claims });
      },
      approveDeviceCode(userCode: string, upn?: string): void {
        if (upn && !findUser(emulator.tenant, upn)) throw new Error(`no user ${upn} in the emulated tenant`);
        if (!state.deviceCodes.approve(userCode, upn ?? '')) throw new Error(`no pending device code ${userCode}`);
      },
      issueServerCert: (o: IssueOptions) => ca.issueServerCert(o),
      stop,
    } satisfies Omit<RunningEmulator, 'tenant' | 'authorityHost'>);
    return emulator;
  } catch (err) {
    await stop();
    const e = err as NodeJS.ErrnoException & { port?: number };
    if (opts.port && (e.code === 'EADDRINUSE' || e.code === 'EACCES')) {
      throw new ConfigError(
        'port',
        `cannot listen on 127.0.0.1:${e.port ?? opts.port} (${e.code})`,
        'Choose another --port (the emulator needs N to N+4 free) or leave it out to use free ports',
      );
    }
    throw err;
  }
}

/** Endpoints pointing every service at the emulator; token resources stay the real global-cloud URIs. */
export function emulatorEndpoints(
  e: Pick<RunningEmulator, 'authorityHost' | 'graphUrl' | 'imap' | 'pop' | 'smtp'>,
): Endpoints {
  return {
    authorityHost: e.authorityHost,
    graphUrl: e.graphUrl,
    exchangeResource: 'https://outlook.office365.com',
    exchangeScopeHost: 'https://outlook.office.com',
    imap: { ...e.imap },
    pop: { ...e.pop },
    smtp: { ...e.smtp },
  };
}

export type { CertificateAuthority };
