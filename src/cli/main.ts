// Entry point of the m365-doctor CLI: yargs with one module per command, redacted stdio, exit codes 0/1/2.
import { ConfigError, OutputWriteError } from '../core/errors.js';
import { packageVersion } from '../config/package-root.js';
import { endQuietlyOnClosedPipe } from '../output/closed-pipe.js';
import { redactStreams } from '../output/redacted-stdio.js';
import { EXIT_FINDINGS, EXIT_USAGE, EXIT_WRITE_FAILED } from '../runner/exit-code.js';
import { checkCommand } from './commands/check.js';
import { checksCommand } from './commands/checks.js';
import { emulatorCommand } from './commands/emulator.js';
import { explainCommand } from './commands/explain.js';
import { completionCommand, completionWords, setCompletionShell } from './commands/completion.js';
import { initCommand } from './commands/init.js';
import { tokenCommand } from './commands/token.js';
import { mergeCommand } from './commands/merge.js';
import { fixCommand } from './commands/fix.js';
import { migrateCommand } from './commands/migrate.js';
import { reportCommand } from './commands/report.js';
import { configErrorLine, errorLine } from './error-line.js';
import { ignoreTlsOverride } from '../net/tls-override.js';
import { processRedactor } from './process-redactor.js';
import { PromptCancelled } from './prompt.js';

/** A prompt cancelled with Ctrl-C (or Ctrl-D): 128 + SIGINT, as shells report it. */
const EXIT_CANCELLED = 130;

const wantsHelp = (args: readonly string[]) => args.some((a) => a === '--help' || a === '-h' || a === 'help');

/**
 * yargs' "Unknown argument(s): a, b" lists unknown option names and stray values alike. A stray value may be a
 * secret (`--password-stdin Summer2026!`): values are counted, never shown; unknown options are named.
 */
export function withoutValues(msg: string, args: readonly string[]): string {
  const m = /^Unknown arguments?: ([\s\S]*)$/.exec(msg);
  if (!m) return msg;
  const typed = new Set(args.filter((a) => !a.startsWith('-')));
  // The first word is where a command goes: a typo there is named (`m365-doctor chekc`).
  const command = args[0] !== undefined && !args[0].startsWith('-') ? args[0] : undefined;
  const all = m[1].split(', ');
  const items = all.filter((i) => i !== command);
  const stray = items.filter((i) => typed.has(i)).length;
  const options = items.filter((i) => !typed.has(i));
  // yargs lists an unknown --foo-bar twice, as foo-bar and fooBar.
  const named = options.filter(
    (o) => !/[A-Z]/.test(o) || !options.includes(o.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)),
  );
  const parts: string[] = [];
  if (command !== undefined && all.includes(command)) parts.push(`unknown command: ${command}`);
  // As typed (yargs reports --no-such-flag as such-flag), without any =value.
  const flags = args.filter((a) => a.startsWith('-')).map((a) => a.split('=')[0]);
  const asTyped = (o: string) =>
    flags.find((f) => [o, `no-${o}`].includes(f.replace(/^-+/, ''))) ?? (o.length > 1 ? `--${o}` : `-${o}`);
  if (named.length)
    parts.push(`unknown option${named.length > 1 ? 's' : ''}: ${[...new Set(named.map(asTyped))].join(', ')}`);
  if (stray || (!named.length && items.length)) {
    const n = stray || items.length;
    parts.push(
      `${n} unexpected positional argument${n > 1 ? 's' : ''} (not shown: ${n > 1 ? 'they' : 'it'} may be a secret; a flag that takes no value, such as --password-stdin, was given one?)`,
    );
  }
  return parts.join('; ');
}

/** A command-line mistake yargs found (unknown option, missing argument). */
class UsageError extends Error {}

export async function main(argv: string[] = process.argv): Promise<void> {
  const tlsOverride = ignoreTlsOverride();
  redactStreams(processRedactor);
  endQuietlyOnClosedPipe();
  if (tlsOverride) process.stderr.write(`m365-doctor: warning: ${tlsOverride}\n`);
  // The commonest probe of a tool is answered before yargs loads (a third of start-up), with yargs' output.
  if (argv.length === 3 && argv[2] === '--version') {
    process.stdout.write(`${packageVersion()}\n`);
    return;
  }
  const { hideBin } = await import('yargs/helpers');
  await runCommandLine(hideBin(argv));
}

/**
 * The command line without the process-wide set-up of main() (stdio redaction, closed-pipe handling): parses
 * `args`, runs the command and maps errors to exit codes in process.exitCode. Tests drive it in-process;
 * `exitProcess: false` keeps --help from ending the process.
 */
export async function runCommandLine(args: string[], options: { exitProcess?: boolean } = {}): Promise<void> {
  const { default: yargs } = await import('yargs');
  const verbose = args.includes('--verbose');
  const completing = args.includes('--get-yargs-completions');
  if (completing) setCompletionShell();
  // yargs waits for no promise while completing: our values are ready before it parses.
  const ownValues = completing
    ? await (await import('./completion-values.js')).completeValue(completionWords(args))
    : undefined;
  const cli = yargs(args)
    .exitProcess(options.exitProcess ?? true)
    .scriptName('m365-doctor')
    .usage(
      '$0 <command> [options]\n\nDiagnoses Microsoft 365 OAuth 2.0 (ROPC) mail connectors: Entra app, permissions, consent, user, Exchange, and real XOAUTH2 logins to IMAP, POP and SMTP.',
    )
    .command(checkCommand)
    .command(checksCommand)
    .command(explainCommand)
    .command(emulatorCommand)
    .command(initCommand)
    .command(tokenCommand)
    .command(completionCommand)
    // yargs answers the scripts' --get-yargs-completions calls; its own script command stays hidden under another name.
    .completion(
      '__completion-yargs',
      false,
      (_current: string, _argv: unknown, defaults: () => void, done: (values: string[]) => void) =>
        ownValues ? done(ownValues) : defaults(),
    )
    .command(mergeCommand)
    .command(fixCommand)
    .command(migrateCommand)
    .command(reportCommand)
    .demandCommand(1, 'Name a command: check, checks, explain, emulator, init, token or completion.')
    .strict()
    .version(packageVersion())
    .help()
    .alias('h', 'help')
    .epilogue(
      'Exit codes: 0 nothing failed, 1 a check failed or errored (or warned with --fail-on warn), 2 usage or configuration error, 3 a report file could not be written, 130/143 interrupted (SIGINT/SIGTERM).',
    )
    // yargs renders (and caches) the command's help on every run; unwrapped it costs a third less, so wrap only for help.
    .wrap(wantsHelp(args) ? Math.min(110, process.stdout.columns ?? 100) : null)
    .fail((msg, err) => {
      // Errors thrown by handlers arrive here too; only yargs' own messages (and its YError, which wraps what an
      // option's coerce threw) are usage errors of the command line.
      if (err && err.name !== 'YError') throw err;
      throw new UsageError(withoutValues(msg ?? err?.message ?? 'invalid command line', args));
    });
  try {
    await cli.parseAsync();
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(
        `m365-doctor: ${errorLine(err.message, (s) => processRedactor.scrub(s))}\nRun "m365-doctor --help" (or "m365-doctor <command> --help") for usage.\n`,
      );
      process.exitCode = EXIT_USAGE;
      return;
    }
    if (err instanceof PromptCancelled) {
      process.stderr.write(`m365-doctor: ${err.message} at the prompt; nothing was run.\n`);
      process.exitCode = EXIT_CANCELLED;
      return;
    }
    if (err instanceof ConfigError) {
      process.stderr.write(`m365-doctor: ${configErrorLine(err, (s) => processRedactor.scrub(s))}\n`);
      process.exitCode = EXIT_USAGE;
      return;
    }
    if (err instanceof OutputWriteError) {
      for (const line of err.lines)
        process.stderr.write(`m365-doctor: ${errorLine(line, (s) => processRedactor.scrub(s))}\n`);
      process.exitCode = EXIT_WRITE_FAILED;
      return;
    }
    // Our bug, not the user's input: say so plainly; the stack only with --verbose.
    const e = err as Error;
    process.stderr.write(
      `m365-doctor: internal error: ${e?.message ?? String(err)}\n${verbose && e?.stack ? `${e.stack}\n` : ''}`,
    );
    process.exitCode = EXIT_FINDINGS;
  }
}
