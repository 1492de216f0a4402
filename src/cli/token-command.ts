// `m365-doctor token`: asks Entra for a token the way Microsoft's curl instructions do (ROPC for the mail
// scopes, or client credentials with --app) and shows its claims; the raw token only into a pipe (--raw).
import type { AppResource, TokenInfo } from '../clients/types.js';
import { aadstsText } from '../m365/aadsts.js';
import { appOnlyScope, ropcScopes } from '../auth/scopes.js';
import { envLayer } from '../config/env.js';
import { fileLayer } from '../config/file.js';
import type { InputLayer } from '../config/inputs.js';
import { resolveConfig } from '../config/resolve.js';
import type { ResolvedConfig } from '../config/types.js';
import { ConfigError, EntraError, NetError } from '../core/errors.js';
import type { Redactor } from '../core/redact.js';
import { createLogger } from '../output/logger.js';
import { writeUnredacted } from '../output/unredacted-write.js';
import { EXIT_FINDINGS, EXIT_OK } from '../runner/exit-code.js';
import { fillTemplate } from '../runner/render.js';
import type { CheckArgs } from './check-options.js';
import { loadClients } from '../clients/load.js';
import { startDemo, type Demo } from './demo.js';
import { flagLayer, plainSecretWarnings } from './flag-inputs.js';
import { defaultPromptIo, promptMissingSecrets, shouldPrompt } from './secret-prompt.js';
import { readStdinSecrets } from './stdin-secrets.js';
import { claimsTable, localTime } from './token-claims.js';
import { singleLine } from '../output/terminal-text.js';

/** The target and secret options `check` has, plus the token's own. */
export type TokenArgs = Pick<
  CheckArgs,
  | 'config'
  | 'tenant'
  | 'clientId'
  | 'clientSecret'
  | 'clientSecretStdin'
  | 'username'
  | 'password'
  | 'passwordStdin'
  | 'prompt'
  | 'activities'
  | 'cloud'
  | 'authorityHost'
  | 'caFile'
  | 'timeout'
  | 'demo'
  | 'scenario'
  | 'scenarioFile'
  | 'verbose'
> & {
  scope?: string[];
  app?: boolean;
  resource: AppResource;
  raw?: boolean;
};

export interface TokenIo {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  env: NodeJS.ProcessEnv;
  now(): Date;
}

const defaultIo = (): TokenIo => ({
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  now: () => new Date(),
});

export async function runTokenCommand(args: TokenArgs, redactor: Redactor, io: TokenIo = defaultIo()): Promise<number> {
  // Refused before anything is asked of Entra: a token on a screen stays in the scrollback and in screenshots.
  if (args.raw && io.stdout.isTTY) {
    throw new ConfigError(
      '--raw',
      'stdout is a terminal, where the token would stay on screen and in the scrollback',
      'Pipe or redirect it, e.g. m365-doctor token --raw | your-tool, or leave out --raw to see the decoded claims',
    );
  }
  const flagArgs = { ...args, failOn: 'fail' as const, format: 'table' };
  plainSecretWarnings(flagArgs).forEach((w) => io.stderr.write(`${w}\n`));
  const stdinSecrets = await readStdinSecrets({ clientSecret: args.clientSecretStdin, password: args.passwordStdin });
  const layers: InputLayer[] = [flagLayer(flagArgs, stdinSecrets)];
  const promptIo = defaultPromptIo();
  const prompting = !(args.demo || args.scenario || args.scenarioFile) && shouldPrompt(args.prompt, promptIo);
  const unsetFileSecrets = {};
  const configFile = args.config ?? io.env.M365_DOCTOR_CONFIG;
  const fileInputs = configFile ? fileLayer(configFile, io.env, prompting ? unsetFileSecrets : undefined) : undefined;
  fileInputs?.warnings?.forEach((w) => io.stderr.write(`${w}\n`));
  if (prompting) {
    // --app needs the client secret only; ROPC the password (and the client secret of a confidential app).
    layers.push(
      await promptMissingSecrets(
        [layers[0], envLayer(io.env), fileInputs],
        unsetFileSecrets,
        redactor,
        promptIo,
        args.app ? ['clientSecret'] : ['clientSecret', 'password'],
      ),
    );
  }
  let demo: Demo | undefined;
  try {
    if (args.demo || args.scenario || args.scenarioFile) {
      demo = await startDemo({ scenario: args.scenario, scenarioFile: args.scenarioFile });
      layers.push(demo.layer);
    }
    layers.push(envLayer(io.env));
    if (fileInputs) layers.push(fileInputs);
    const { config } = resolveConfig(layers, redactor);
    requireInputs(config, Boolean(args.app));

    const log = createLogger(args.verbose ? 'debug' : 'warn', redactor, (line) => io.stderr.write(line));
    const { tokens } = await loadClients(config, { redactor, log, onDeviceCode: () => {} });
    // Microsoft's examples separate scopes with spaces; commas and repeated flags work too.
    const chosen = args.scope?.flatMap((s) => s.split(/[\s,]+/)).filter(Boolean);
    const scopes = args.app ? [appOnlyScope(config, args.resource)] : chosen?.length ? chosen : ropcScopes(config);
    let info: TokenInfo;
    try {
      info = args.app ? await tokens.appOnly(args.resource) : await tokens.ropc(chosen);
    } catch (err) {
      if (!(err instanceof EntraError || err instanceof NetError)) throw err;
      io.stderr.write(`${failureText(err, config)}\n`);
      return EXIT_FINDINGS;
    }

    if (args.raw) {
      const exp =
        typeof info.claims.exp === 'number' ? ` (expires ${localTime(new Date(info.claims.exp * 1000))})` : '';
      io.stderr.write(`m365-doctor: wrote the raw access token to stdout${exp}; treat it like a password.\n`);
      await writeUnredacted(io.stdout, `${info.accessToken}\n`);
      return EXIT_OK;
    }
    const flow = args.app
      ? `client-credentials token of app ${config.clientId}`
      : `password-grant (ROPC) token of ${config.username}`;
    io.stdout.write(
      [
        `${flow} (tenant ${config.tenant}, ${config.cloud} cloud)`,
        `requested: ${scopes.join(' ')}`,
        // The token endpoint's own text: kept to one inert line, as the claims below are.
        `granted:   ${info.scope === undefined ? '(the token endpoint named none)' : singleLine(info.scope)}`,
        args.app
          ? ''
          : `refresh token: ${info.hasRefreshToken ? 'issued (not shown)' : 'none (offline_access not granted)'}`,
      ]
        .filter(Boolean)
        .join('\n') + '\n',
    );
    io.stdout.write(claimsTable(info, io.now()));
    io.stdout.write('The token itself is not shown; to use it, pipe it: m365-doctor token --raw | ...\n');
    return EXIT_OK;
  } finally {
    await demo?.emulator.stop();
  }
}

/** A token request needs these; each missing one is named with the ways to give it. */
function requireInputs(config: ResolvedConfig, app: boolean): void {
  const need: [string, boolean, string][] = [
    ['--tenant', Boolean(config.tenant), 'M365_DOCTOR_TENANT'],
    ['--client-id', Boolean(config.clientId), 'M365_DOCTOR_CLIENT_ID'],
    ...(app
      ? [
          ['--client-secret-stdin', Boolean(config.clientSecret), 'M365_DOCTOR_CLIENT_SECRET'] as [
            string,
            boolean,
            string,
          ],
        ]
      : ([
          ['--username', Boolean(config.username), 'M365_DOCTOR_USERNAME'],
          ['--password-stdin', Boolean(config.password), 'M365_DOCTOR_PASSWORD'],
        ] as [string, boolean, string][])),
  ];
  const missing = need.find(([, given]) => !given);
  if (missing) {
    throw new ConfigError(
      missing[0],
      `is needed for a ${app ? 'client-credentials' : 'password-grant'} token and was not given`,
      `Give it as ${missing[0]}, in ${missing[2]} or in the config file`,
    );
  }
}

/** One block on stderr: what Entra (or the network) answered, and the fix when the code is known. */
function failureText(err: EntraError | NetError, config: ResolvedConfig): string {
  if (err instanceof NetError) return `m365-doctor: the token request failed: ${err.message} [${err.code}]`;
  const known = aadstsText(err.code);
  const data = {
    tenant: config.tenant,
    clientId: config.clientId,
    username: config.username,
    authorityHost: config.endpoints.authorityHost,
    cloud: config.cloud,
  };
  // Entra's description usually starts with the code already.
  const said = (err.info.description || err.info.error).replace(new RegExp(`^${err.code}:\\s*`), '');
  return [
    `m365-doctor: the token request failed: ${err.code}: ${said}`,
    ...(known?.remediation ? [`Fix: ${fillTemplate(known.remediation, data)}`] : []),
    ...(/^AADSTS\d+$/.test(err.code) ? [`More: m365-doctor explain ${err.code}`] : []),
  ].join('\n');
}
