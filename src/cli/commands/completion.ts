// Command: `m365-doctor completion [bash|zsh|fish|powershell]` prints a completion script (the shell of $SHELL
// when none is named). The script calls back with `--get-yargs-completions WORDS...`, which yargs answers with
// commands, options and choices, and completion-values.ts with scenario names, check ids and profiles.
import { realpathSync } from 'node:fs';
import { basename, sep } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { SHELLS, type Shell } from '../completion-scripts.js';

interface CompletionArgs {
  shell?: Shell;
}

/** The shell this process was started from, by $SHELL (PowerShell sets none; Windows means PowerShell). */
export function defaultShell(env: NodeJS.ProcessEnv = process.env, platform = process.platform): Shell {
  const name = basename(env.SHELL ?? '');
  if (name.includes('zsh')) return 'zsh';
  if (name.includes('fish')) return 'fish';
  if (name.includes('pwsh') || name.includes('powershell') || (!name && (platform === 'win32' || env.PSModulePath)))
    return 'powershell';
  return 'bash';
}

export const completionCommand: CommandModule<object, CompletionArgs> = {
  command: 'completion [shell]',
  describe: 'Print a shell completion script: m365-doctor completion bash >> ~/.bashrc (zsh, fish, powershell too)',
  builder: (y: Argv) =>
    y
      .positional('shell', {
        type: 'string',
        choices: SHELLS,
        describe: 'Shell to complete in (default: the one $SHELL names)',
      })
      .example('$0 completion bash >> ~/.bashrc', 'bash')
      .example('$0 completion zsh >> ~/.zshrc', 'zsh (after compinit)')
      .example('$0 completion fish > ~/.config/fish/completions/m365-doctor.fish', 'fish')
      .example('$0 completion powershell >> $PROFILE', 'PowerShell')
      .example(
        'npx m365-doctor completion bash >> ~/.bashrc',
        'Through npx: the script runs this copy by its path, and "m365-doctor" becomes "npx m365-doctor"',
      )
      .epilogue(
        'The script runs the m365-doctor that printed it, by its absolute path, so it works without m365-doctor on PATH; print it again after moving or upgrading m365-doctor.',
      ) as Argv<CompletionArgs>,
  handler: async (args) => {
    const { completionScript } = await import('../completion-scripts.js');
    const bin = realpathSync(process.argv[1]);
    const viaNpx = bin.includes(`${sep}_npx${sep}`) || process.env.npm_command === 'exec';
    process.stdout.write(completionScript(args.shell ?? defaultShell(), { node: process.execPath, bin, viaNpx }));
  },
};

/** The words a completion script sent (program name first); PowerShell sends an empty word as "". */
export function completionWords(args: readonly string[]): string[] {
  return args.slice(args.indexOf('--get-yargs-completions') + 1).map((w) => (w === '""' ? '' : w));
}

/** yargs answers in the format of the shell it believes it runs in: the script says which. */
export function setCompletionShell(env: NodeJS.ProcessEnv = process.env): void {
  const shell = env.M365_DOCTOR_COMPLETE;
  if (!shell) return;
  env.SHELL = shell === 'zsh' ? '/bin/zsh' : shell === 'fish' ? '/usr/bin/fish' : '/bin/sh';
  delete env.ZSH_NAME;
}
