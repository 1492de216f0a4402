// The plainest tool doing a check's protocol work: curl makes one ROPC token POST, then IMAP (EXAMINE),
// POP3 (STAT) and SMTP (NOOP after STARTTLS) logins with SASL XOAUTH2. Secrets go to curl on stdin (-K -).
import type { RunningEmulator } from '../src/emulator/index.js';
import { runProcess } from './measure.js';

const SCOPES = ['IMAP.AccessAsUser.All', 'POP.AccessAsUser.All', 'SMTP.Send']
  .map((s) => `https://outlook.office.com/${s}`)
  .join(' ');

/** Wall time of the whole chain, in ms; throws if any step fails (the comparison must be like for like). */
export async function curlChain(e: RunningEmulator): Promise<number> {
  const c = e.credentials;
  const started = performance.now();
  const form = new URLSearchParams({
    grant_type: 'password',
    client_id: c.clientId,
    client_secret: c.clientSecret,
    username: c.username,
    password: c.password,
    scope: `${SCOPES} offline_access`,
  }).toString();
  const token = await runProcess(
    'curl',
    [
      '-sS',
      '--fail',
      '--cacert',
      e.caFile,
      '--data-binary',
      '@-',
      `${e.authorityHost}/${c.tenantId}/oauth2/v2.0/token`,
    ],
    { input: form },
  );
  const accessToken =
    token.code === 0 ? (JSON.parse(token.stdout) as { access_token?: string }).access_token : undefined;
  if (!accessToken) throw new Error(`curl token POST failed: ${token.stderr}`);
  const login = `oauth2-bearer = "${accessToken}"\nuser = "${c.username}:"\n`;
  const common = ['-sS', '--cacert', e.caFile, '--login-options', 'AUTH=XOAUTH2', '-K', '-'];
  for (const args of [
    ['-X', 'EXAMINE INBOX', `imaps://${e.imap.host}:${e.imap.port}/`],
    ['-X', 'STAT', '-I', `pop3s://${e.pop.host}:${e.pop.port}/`],
    ['--ssl-reqd', '-X', 'NOOP', `smtp://${e.smtp.host}:${e.smtp.port}/`],
  ]) {
    const r = await runProcess('curl', [...common, ...args], { input: login });
    if (r.code !== 0) throw new Error(`curl ${args.at(-1)} failed (${r.code}): ${r.stderr}`);
  }
  return performance.now() - started;
}
