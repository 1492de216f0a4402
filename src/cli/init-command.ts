// `m365-doctor init`: asks (on a terminal) or takes flags, then writes m365-doctor.json without any secret.
import { dirname, relative, resolve } from 'node:path';
import { ACTIVITIES } from '../config/types.js';
import { ConfigError, OutputWriteError } from '../core/errors.js';
import { pathOccupied, writeFileAtomic } from '../output/atomic-file.js';
import { askUntilValid, createPrompter, PromptCancelled, type Parse, type Prompter } from './prompt.js';
import {
  configFileText,
  parseActivities,
  parseClientId,
  parseCloud,
  parseEnvName,
  parseTenant,
  parseUsername,
  schemaReference,
  type InitAnswers,
} from './init-config.js';

export interface InitArgs {
  tenant?: string;
  clientId?: string;
  username?: string;
  activities?: string[];
  cloud?: string;
  file: string;
  force?: boolean;
  yes?: boolean;
  clientSecretEnv: string;
  passwordEnv: string;
}

export interface InitIo {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  /** Ask for what the flags do not give; false = flags and defaults only. */
  interactive: boolean;
  /** Whether input is a terminal (readline then edits and echoes lines itself). */
  terminal: boolean;
  cwd: string;
}

/** Exit code of an init the person cancelled (128 + SIGINT, as shells report it). */
export const EXIT_CANCELLED = 130;

export function defaultInitIo(): InitIo {
  const tty = process.stdin.isTTY === true && process.stdout.isTTY === true;
  return { input: process.stdin, output: process.stdout, interactive: tty, terminal: tty, cwd: process.cwd() };
}

export async function runInit(args: InitArgs, io: InitIo = defaultInitIo()): Promise<number> {
  const path = resolve(io.cwd, args.file);
  // Refused before any question, so nobody answers everything to learn the file is in the way.
  if (pathOccupied(path) && !args.force) {
    throw new ConfigError(
      '--file',
      `${args.file} already exists`,
      'Add --force to replace it, or choose another name with --file',
    );
  }
  const interactive = io.interactive && !args.yes;
  const prompter = interactive ? createPrompter(io.input, io.output, io.terminal) : undefined;
  let answers: InitAnswers;
  try {
    if (prompter) {
      prompter.say(`m365-doctor init writes ${args.file} for "m365-doctor check --config". It asks for no secret:`);
      prompter.say('the file names the environment variables that hold them.');
    }
    const get = <T>(flag: string, given: string | undefined, parse: Parse<T>, question: string, fallback?: string) =>
      answer(prompter, flag, given, parse, question, fallback);
    answers = {
      tenant: await get(
        '--tenant',
        args.tenant,
        parseTenant,
        'Tenant id or verified domain (e.g. contoso.onmicrosoft.com)',
      ),
      clientId: await get(
        '--client-id',
        args.clientId,
        parseClientId,
        "Application (client) id of the connector's app registration",
      ),
      username: await get(
        '--username',
        args.username,
        parseUsername,
        'User principal name of the mailbox user (e.g. connector@contoso.com)',
      ),
      activities: await get(
        '--activities',
        args.activities?.join(','),
        parseActivities,
        `What the connector does, comma list of ${ACTIVITIES.join(', ')}`,
        ACTIVITIES.join(','),
      ),
      cloud: await get(
        '--cloud',
        args.cloud,
        parseCloud,
        'Microsoft cloud: global, usgov, usgovdod or china',
        'global',
      ),
      clientSecretEnv: must(parseEnvName(lastOf(args.clientSecretEnv) ?? ''), '--client-secret-env'),
      passwordEnv: must(parseEnvName(lastOf(args.passwordEnv) ?? ''), '--password-env'),
    };
  } catch (err) {
    if (!(err instanceof PromptCancelled)) throw err;
    io.output.write(`\nm365-doctor init: ${err.message}; nothing was written.\n`);
    return EXIT_CANCELLED;
  } finally {
    prompter?.close();
  }

  const text = configFileText(answers, schemaReference(dirname(path)));
  try {
    // A temporary file renamed into place: --force onto a symlink replaces the link, never the file it points to.
    writeFileAtomic(path, (put) => put(text), { flag: '--file', noClobber: !args.force });
  } catch (err) {
    if (err instanceof OutputWriteError && err.code === 'EEXIST') {
      throw new ConfigError('--file', `${args.file} already exists`, 'Add --force to replace it');
    }
    throw err;
  }
  io.output.write(nextSteps(relative(io.cwd, path) || path, answers));
  return 0;
}

async function answer<T>(
  prompter: Prompter | undefined,
  flag: string,
  given: string | undefined,
  parse: Parse<T>,
  question: string,
  fallback?: string,
): Promise<T> {
  const value = lastOf(given);
  if (value !== undefined) return must(parse(value), flag);
  if (prompter) return askUntilValid(prompter, question, parse, fallback);
  if (fallback !== undefined) return must(parse(fallback), flag);
  throw new ConfigError(
    flag,
    'is needed (there is no terminal to ask on, or --yes was given)',
    'Give --tenant, --client-id and --username, or run m365-doctor init on a terminal',
  );
}

/** A repeated flag arrives as a list from yargs; the last one wins, as in most command-line tools. */
function lastOf(given: string | string[] | undefined): string | undefined {
  const value: unknown = Array.isArray(given) ? given[given.length - 1] : given;
  return value === undefined ? undefined : String(value);
}

function must<T>(parsed: { value: T } | { problem: string }, flag: string): T {
  if ('problem' in parsed)
    throw new ConfigError(flag, parsed.problem, 'Correct the value and run m365-doctor init again');
  return parsed.value;
}

function nextSteps(file: string, a: InitAnswers): string {
  const secrets: [string, string][] = [
    [a.clientSecretEnv, 'Client secret'],
    [a.passwordEnv, 'Password'],
  ];
  return [
    `Wrote ${file} (tenant ${a.tenant}, user ${a.username}, ${a.activities.join(', ')}). It holds no secret.`,
    'Next, run the check. On a terminal it asks for the secrets it lacks, without echo:',
    `  m365-doctor check --config ${file}`,
    'Or put them in the environment first, without echo and without your shell history seeing them:',
    '  bash, zsh:',
    ...secrets.map(([name]) => `    read -rs ${name} && export ${name}`),
    '  PowerShell (Read-Host hides the input; the SecureString is turned into the plain text the tool reads):',
    ...secrets.map(
      ([name, what]) =>
        `    $env:${name} = [Net.NetworkCredential]::new('', (Read-Host -AsSecureString '${what}')).Password`,
    ),
    '  cmd: "set /p" shows what is typed on the screen, so let m365-doctor check ask, or use PowerShell:',
    ...secrets.map(([name, what]) => `    set /p ${name}=${what} (shown as typed):`),
    '',
  ].join('\n');
}
