// Entry point of the m365-doctor CLI: yargs with one module per command, redacted stdio, exit codes 0/1/2.
import { ConfigError, OutputWriteError } from '../errors.js';
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
import { reportCommand } from './commands/report.js';
import { configErrorLine, errorLine } from './error-line.js';
import { ignoreTlsOverride } from '../net/tls-override.js';
import { processRedactor } from './process-redactor.js';
import { PromptCancelled } from './prompt.js';

/** A prompt cancelled with Ctrl-C (or Ctrl-D): 128 + SIGINT, as shells report it. */
const EXIT_CANCELLED = 130;

const wantsHelp = (args: readonly string[]) => args.some((a) => a === '--help' || a === '-h' || a === 'help');

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
  const ownValues = completing ? await (await import('./completion-values.js')).completeValue(completionWords(args)) : undefined;
  const cli = yargs(args)
    .exitProcess(options.exitProcess ?? true)
    .scriptName('m365-doctor')
    .usage('$0 <command> [options]\n\nDiagnoses Microsoft 365 OAuth 2.0 (ROPC) mail connectors: Entra app, permissions, consent, user, Exchange, and real XOAUTH2 logins to IMAP, POP and SMTP.')
    .command(checkCommand)
    .command(checksCommand)
    .command(explainCommand)
    .command(emulatorCommand)
    .command(initCommand)
    .command(tokenCommand)
    .command(completionCommand)
    // yargs answers the scripts' --get-yargs-completions calls; its own script command stays hidden under another name.
    .completion('__completion-yargs', false, (_current: string, _argv: unknown, defaults: () => void, done: (values: string[]) => void) =>
      (ownValues ? done(ownValues) : defaults()))
    .command(mergeCommand)
    .command(fixCommand)
    .command(reportCommand)
    .demandCommand(1, 'Name a command: check, checks, explain, emulator, init, token or completion.')
    .strict()
    .version(packageVersion())
    .help()
    .alias('h', 'help')
    .epilogue('Exit codes: 0 nothing failed, 1 a check failed or errored (or warned with --fail-on warn), 2 usage or configuration error, 3 a report file could not be written.')
    // yargs renders (and caches) the command's help on every run; unwrapped it costs a third less, so wrap only for help.
    .wrap(wantsHelp(args) ? Math.min(110, process.stdout.columns ?? 100) : null)
    .fail((msg, err) => {
      // Errors thrown by handlers arrive here too; only yargs' own messages are usage errors of the command line.
      throw err ?? new UsageError(msg);
    });
  try {
    await cli.parseAsync();
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`m365-doctor: ${errorLine(err.message, (s) => processRedactor.scrub(s))}\nRun "m365-doctor --help" (or "m365-doctor <command> --help") for usage.\n`);
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
      for (const line of err.lines) process.stderr.write(`m365-doctor: ${errorLine(line, (s) => processRedactor.scrub(s))}\n`);
      process.exitCode = EXIT_WRITE_FAILED;
      return;
    }
    // Our bug, not the user's input: say so plainly; the stack only with --verbose.
    const e = err as Error;
    process.stderr.write(`m365-doctor: internal error: ${e?.message ?? String(err)}\n${verbose && e?.stack ? `${e.stack}\n` : ''}`);
    process.exitCode = EXIT_FINDINGS;
  }
}
