// One POP3 conversation with the emulated Exchange Online: login by XOAUTH2 only, then the static INBOX.
import type { ExchangeDeps } from './deps.js';
import { authorizeXoauth2, type Verdict } from './authorize.js';
import { Continuation } from './continuation.js';
import type { LineConnection, LineSession } from './line-server.js';
import { INBOX_MESSAGES, octets, type StoredMessage } from './mailbox-data.js';

export const POP_TEXT = {
  greeting: (serverName: string) =>
    `+OK The Microsoft Exchange POP3 service is ready. [${Buffer.from(serverName).toString('base64')}]`,
  authOk: '+OK User successfully authenticated.',
  authFailed: '-ERR Authentication failure: unknown user name or bad password.',
  logonFailed: '-ERR Logon failure: unknown user name or bad password.',
  authCanceled: '-ERR Authentication canceled.',
  invalidState: '-ERR Command is not valid in this state.',
  protocolError: '-ERR Protocol error. 14',
  notConnected: '-ERR User is authenticated but not connected.',
  outOfRange: '-ERR The specified message is out of range.',
  signingOff: '+OK Microsoft Exchange Server POP3 server signing off.',
  lineTooLong: '-ERR Command line too long.',
  idle: '-ERR Connection timed out.',
} as const;

const CAPABILITIES = ['TOP', 'UIDL', 'SASL PLAIN XOAUTH2', 'USER'];
const MAILDROP_COMMANDS = new Set(['STAT', 'LIST', 'UIDL', 'RETR', 'TOP', 'DELE', 'RSET']);
const KNOWN_VERBS = new Set([...MAILDROP_COMMANDS, 'CAPA', 'USER', 'PASS', 'AUTH', 'NOOP', 'QUIT', 'STLS']);

interface Command {
  verb: string;
  args: string[];
  target: string;
}
type Login = Extract<Verdict, { outcome: 'authenticated' }>;

/** POP3 multi-line body: dot-stuffed lines, terminated by a lone dot. */
function dotStuffed(text: string): string[] {
  const lines = text.replace(/\r\n$/, '').split('\r\n');
  return [...lines.map((l) => (l.startsWith('.') ? `.${l}` : l)), '.'];
}

const uidl = (m: StoredMessage) => Buffer.from(`emulated-message-${m.uid}`).toString('base64');

export class PopSession implements LineSession {
  readonly overflowReply = POP_TEXT.lineTooLong;
  readonly idleReply = POP_TEXT.idle;
  private login?: Login;
  private userName?: string;
  private deleted = new Set<number>();
  private readonly continuation = new Continuation();

  constructor(
    private readonly deps: ExchangeDeps,
    private readonly conn: LineConnection,
  ) {}

  onLine(line: string): void {
    if (this.continuation.take(line)) return;
    const [verbRaw = '', ...args] = line.trim().split(/ +/);
    const verb = verbRaw.toUpperCase();
    // Only non-secret arguments are logged: mechanisms, login names, message numbers. PASS is never logged.
    const target = verb === 'PASS' ? '' : verb === 'AUTH' ? (args[0] ?? '').toUpperCase() : (args[0] ?? '');
    this.run({ verb, args, target });
  }

  private run(cmd: Command): void {
    switch (cmd.verb) {
      case 'CAPA':
        return this.reply(cmd, [
          '+OK',
          ...(this.deps.faults?.offerXoauth2 === false
            ? CAPABILITIES.map((c) => c.replace(' XOAUTH2', ''))
            : CAPABILITIES),
          '.',
        ]);
      case 'NOOP':
        return this.reply(cmd, ['+OK']);
      case 'QUIT':
        this.reply(cmd, [POP_TEXT.signingOff]);
        return this.conn.close();
      case 'AUTH':
        return this.authenticate(cmd);
      case 'USER':
        if (this.login) return this.reply(cmd, [POP_TEXT.invalidState]);
        this.userName = cmd.args[0];
        return this.reply(cmd, ['+OK'], this.userName);
      case 'PASS':
        // Basic authentication is off in Exchange Online: every USER/PASS login fails.
        return this.reply(cmd, [this.login ? POP_TEXT.invalidState : POP_TEXT.logonFailed], this.userName);
    }
    if (!MAILDROP_COMMANDS.has(cmd.verb)) return this.reply(cmd, [POP_TEXT.protocolError]);
    if (!this.login) return this.reply(cmd, [POP_TEXT.invalidState]);
    if (!this.login.connected) return this.reply(cmd, [POP_TEXT.notConnected]);
    // RFC 3206 SYS/TEMP: the maildrop cannot be read for now, a temporary failure of the server.
    if (this.deps.faults?.mailboxUnavailable)
      return this.reply(cmd, ['-ERR [SYS/TEMP] The mailbox is temporarily unavailable.']);
    this.maildrop(cmd);
  }

  private authenticate(cmd: Command): void {
    if (this.login) return this.reply(cmd, [POP_TEXT.invalidState]);
    const mechanism = cmd.args[0]?.toUpperCase();
    const xoauth2 = this.deps.faults?.offerXoauth2 !== false;
    if (!mechanism) return this.reply(cmd, ['+OK', 'PLAIN', ...(xoauth2 ? ['XOAUTH2'] : []), '.']);
    const judge = (response: string) => {
      if (mechanism !== 'XOAUTH2' || !xoauth2) return this.reply(cmd, [POP_TEXT.authFailed]);
      const verdict = authorizeXoauth2(response, 'pop', this.deps.tenant(), this.deps.publicKey);
      if (verdict.outcome === 'authenticated') {
        this.login = verdict;
        return this.reply(cmd, [POP_TEXT.authOk], verdict.user);
      }
      this.reply(cmd, [POP_TEXT.authFailed], verdict.user);
    };
    if (cmd.args[1] !== undefined) return judge(cmd.args[1] === '=' ? '' : cmd.args[1]);
    this.conn.send('+ ');
    this.continuation.expect((line) => (line.trim() === '*' ? this.reply(cmd, [POP_TEXT.authCanceled]) : judge(line)));
  }

  private maildrop(cmd: Command): void {
    const live = INBOX_MESSAGES.filter((_m, i) => !this.deleted.has(i + 1));
    const pick = (arg: string | undefined): StoredMessage | undefined => {
      const n = Number(arg);
      return Number.isInteger(n) && n >= 1 && n <= INBOX_MESSAGES.length && !this.deleted.has(n)
        ? INBOX_MESSAGES[n - 1]
        : undefined;
    };
    const total = live.reduce((sum, m) => sum + octets(m), 0);
    const numbered = (line: (m: StoredMessage, n: number) => string) =>
      INBOX_MESSAGES.flatMap((m, i) => (this.deleted.has(i + 1) ? [] : [line(m, i + 1)]));
    switch (cmd.verb) {
      case 'STAT':
        return this.reply(cmd, [`+OK ${live.length} ${total}`]);
      case 'RSET':
        this.deleted.clear();
        return this.reply(cmd, ['+OK']);
      case 'LIST':
      case 'UIDL': {
        const describe = (m: StoredMessage) => (cmd.verb === 'LIST' ? String(octets(m)) : uidl(m));
        if (cmd.args[0] === undefined)
          return this.reply(cmd, [`+OK ${live.length} ${total}`, ...numbered((m, n) => `${n} ${describe(m)}`), '.']);
        const m = pick(cmd.args[0]);
        return this.reply(cmd, [m ? `+OK ${cmd.args[0]} ${describe(m)}` : POP_TEXT.outOfRange]);
      }
      case 'RETR': {
        const m = pick(cmd.args[0]);
        return this.reply(cmd, m ? [`+OK ${octets(m)} octets`, ...dotStuffed(m.raw)] : [POP_TEXT.outOfRange]);
      }
      case 'TOP': {
        const m = pick(cmd.args[0]);
        const bodyLines = Number(cmd.args[1]);
        if (!m || !Number.isInteger(bodyLines) || bodyLines < 0)
          return this.reply(cmd, [m ? POP_TEXT.protocolError : POP_TEXT.outOfRange]);
        const [head, body = ''] = m.raw.split('\r\n\r\n');
        const kept = body.split('\r\n').slice(0, bodyLines).join('\r\n');
        return this.reply(cmd, ['+OK', ...dotStuffed(`${head}\r\n\r\n${kept}`)]);
      }
      case 'DELE': {
        if (!pick(cmd.args[0])) return this.reply(cmd, [POP_TEXT.outOfRange]);
        // Marked for this session only: the emulated mailbox itself never changes.
        this.deleted.add(Number(cmd.args[0]));
        return this.reply(cmd, ['+OK']);
      }
    }
  }

  private reply(cmd: Command, lines: string[], saslUser?: string): void {
    const status = lines[0].startsWith('+OK') ? '+OK' : '-ERR';
    const method = KNOWN_VERBS.has(cmd.verb) ? cmd.verb : 'UNKNOWN';
    this.deps.log.record({
      service: 'pop',
      method,
      target: method === 'UNKNOWN' ? '' : cmd.target,
      result: status,
      ...(saslUser ? { detail: saslUser } : {}),
    });
    this.conn.send(...lines);
  }
}
