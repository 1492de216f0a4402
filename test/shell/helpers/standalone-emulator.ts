// `m365-doctor emulator --json` in a child process: what a user at a terminal would run beside the CLI.
import { spawn, type ChildProcess } from 'node:child_process';
import { BIN, ROOT } from '../../helpers/cli.js';

export interface StandaloneEmulator {
  authorityHost: string;
  graphUrl: string;
  imap: string;
  pop: string;
  smtp: string;
  caFile: string;
  tenantId: string;
  clientId: string;
  clientSecret: string;
  username: string;
  password: string;
}

/** Starts it and resolves with the endpoints it prints; stop() ends it with SIGTERM. */
export async function startStandaloneEmulator(): Promise<{ emu: StandaloneEmulator; stop(): void }> {
  const child: ChildProcess = spawn(process.execPath, [BIN, 'emulator', '--json'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const emu = await new Promise<StandaloneEmulator>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      if (out.includes('\n')) resolve(JSON.parse(out) as StandaloneEmulator);
    });
    child.on('exit', (code) => reject(new Error(`emulator exited ${code}`)));
  });
  return {
    emu,
    stop: () => {
      child.kill('SIGTERM');
    },
  };
}

/** The flags that point `check` at it: tenant, app, user, Entra, Graph and its CA (the secrets go by environment). */
export function targetFlags(emu: StandaloneEmulator): string[] {
  return [
    '--tenant',
    emu.tenantId,
    '--client-id',
    emu.clientId,
    '--username',
    emu.username,
    '--authority-host',
    emu.authorityHost,
    '--graph-url',
    emu.graphUrl,
    '--ca-file',
    emu.caFile,
  ];
}

/** Its IMAP, POP and SMTP endpoints as flags. */
export function mailFlags(emu: StandaloneEmulator): string[] {
  return ['--imap', emu.imap, '--pop', emu.pop, '--smtp', emu.smtp];
}
