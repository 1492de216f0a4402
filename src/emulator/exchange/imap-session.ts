// One IMAP4rev1 conversation with the emulated Exchange Online: login by XOAUTH2 only, then a read-only
// view of the static mailbox. Answers use Exchange Online's texts.
import type { ExchangeDeps } from './deps.js';
import { authorizeXoauth2, type Verdict } from './authorize.js';
import { FetchError, fetchResponse, selectMessages } from './imap-fetch.js';
import { ImapSyntaxError, matchesListPattern, parseImapArgs, quoteImap, type ImapArg } from './imap-args.js';
import { Continuation } from './continuation.js';
import type { LineConnection, LineSession } from './line-server.js';
import { MAX_LINE_BYTES } from './line-reader.js';
import {
  FLAGS,
  FOLDERS,
  HIERARCHY_DELIMITER,
  UID_VALIDITY,
  findFolder,
  messagesOf,
  type Folder,
} from './mailbox-data.js';

export const IMAP_CAPABILITY =
  'IMAP4 IMAP4rev1 AUTH=PLAIN AUTH=XOAUTH2 SASL-IR UIDPLUS ID UNSELECT CHILDREN IDLE NAMESPACE LITERAL+';

export const IMAP_TEXT = {
  greeting: (serverName: string) =>
    `* OK The Microsoft Exchange IMAP4 service is ready. [${Buffer.from(serverName).toString('base64')}]`,
  authOk: 'AUTHENTICATE completed.',
  authFailed: 'AUTHENTICATE failed.',
  authAborted: 'AUTHENTICATE aborted.',
  loginFailed: 'LOGIN failed.',
  invalidState: 'Command received in Invalid state.',
  commandError: 'Command Error. 12',
  argumentError: 'Command Argument Error. 11',
  notConnected: 'User is authenticated but not connected.',
  connectionClosed: '* BYE Connection closed. 14',
  signingOff: '* BYE Microsoft Exchange Server IMAP4 server signing off.',
  lineTooLong: '* BAD Command line too long.',
  readOnly: 'The emulated mailbox is read-only.',
  noMailbox: (name: string) => `Mailbox doesn't exist: ${name}`,
} as const;

/** Commands that need an authenticated, connected session. */
const MAILBOX_COMMANDS = new Set([
  'SELECT',
  'EXAMINE',
  'STATUS',
  'LIST',
  'LSUB',
  'NAMESPACE',
  'UNSELECT',
  'CLOSE',
  'IDLE',
  'CHECK',
  'CREATE',
  'DELETE',
  'RENAME',
  'SUBSCRIBE',
  'UNSUBSCRIBE',
  'APPEND',
  'FETCH',
  'STORE',
  'SEARCH',
  'COPY',
  'MOVE',
  'EXPUNGE',
  'ENABLE',
  'UID FETCH',
  'UID STORE',
  'UID SEARCH',
  'UID COPY',
  'UID MOVE',
  'UID EXPUNGE',
]);

const KNOWN_VERBS = new Set([
  ...MAILBOX_COMMANDS,
  'CAPABILITY',
  'NOOP',
  'ID',
  'LOGOUT',
  'AUTHENTICATE',
  'LOGIN',
  'STARTTLS',
]);

const STATUS_ITEMS = new Set(['MESSAGES', 'RECENT', 'UIDNEXT', 'UIDVALIDITY', 'UNSEEN']);

interface Command {
  tag: string;
  verb: string;
  args: ImapArg[];
  target: string;
}
type Login = Extract<Verdict, { outcome: 'authenticated' }>;

const asString = (arg: ImapArg | undefined): string | undefined => (typeof arg === 'string' ? arg : undefined);

export class ImapSession implements LineSession {
  readonly overflowReply = IMAP_TEXT.lineTooLong;
  readonly idleReply = IMAP_TEXT.connectionClosed;
  private login?: Login;
  private selected?: Folder;
  /** The next line answers a continuation while one is awaited (SASL response, IDLE's DONE). */
  private readonly continuation = new Continuation();
  /** Command text gathered so far when a line ended in a literal. */
  private partial = '';

  constructor(
    private readonly deps: ExchangeDeps,
    private readonly conn: LineConnection,
  ) {}

  onLine(line: string): void {
    if (this.continuation.take(line)) return;
    const text = this.partial + line;
    // Literals must not let one command grow past the line limit piece by piece.
    if (Buffer.byteLength(text) > MAX_LINE_BYTES) return this.conn.close(this.overflowReply);
    const literal = /\{(\d+)(\+?)\}$/.exec(text);
    if (literal) {
      const bytes = Number(literal[1]);
      if (bytes > MAX_LINE_BYTES) return this.conn.close(this.overflowReply);
      if (!literal[2]) this.conn.send('+ Ready for additional command text.');
      this.conn.expectLiteral(bytes, (data) => {
        this.partial = `${text.slice(0, literal.index)}"${data.toString('utf8').replace(/["\\]/g, (c) => `\\${c}`)}"`;
      });
      return;
    }
    this.partial = '';
    this.dispatch(text);
  }

  private dispatch(text: string): void {
    const match = /^(\S+) +(\S+)(?: +(.*))?$/.exec(text);
    if (!match) return this.untaggedBad(text);
    const tag = match[1];
    let verb = match[2].toUpperCase();
    let rest = match[3] ?? '';
    if (verb === 'UID') {
      const sub = /^(\S+)(?: +(.*))?$/.exec(rest);
      verb = `UID ${(sub?.[1] ?? '').toUpperCase()}`;
      rest = sub?.[2] ?? '';
    }
    let args: ImapArg[];
    try {
      args = parseImapArgs(rest);
    } catch (err) {
      if (!(err instanceof ImapSyntaxError)) throw err;
      return this.finish({ tag, verb, args: [], target: '' }, 'BAD', IMAP_TEXT.argumentError);
    }
    // Only non-secret arguments are logged: mailbox names, mechanisms, login names.
    const secretBearing = verb === 'AUTHENTICATE' || verb === 'LOGIN';
    const target =
      verb === 'LIST' || verb === 'LSUB'
        ? `${asString(args[0]) ?? ''} ${asString(args[1]) ?? ''}`.trim()
        : secretBearing || ['SELECT', 'EXAMINE', 'STATUS'].includes(verb)
          ? (asString(args[0]) ?? '')
          : '';
    const cmd: Command = { tag, verb, args, target };
    this.run(cmd);
  }

  private run(cmd: Command): void {
    switch (cmd.verb) {
      case 'CAPABILITY':
        this.conn.send(
          `* CAPABILITY ${this.deps.faults?.offerXoauth2 === false ? IMAP_CAPABILITY.replace(' AUTH=XOAUTH2', '') : IMAP_CAPABILITY}`,
        );
        return this.finish(cmd, 'OK', 'CAPABILITY completed.');
      case 'NOOP':
        return this.finish(cmd, 'OK', 'NOOP completed.');
      case 'ID':
        this.conn.send('* ID NIL');
        return this.finish(cmd, 'OK', 'ID completed.');
      case 'LOGOUT':
        this.conn.send(IMAP_TEXT.signingOff);
        this.finish(cmd, 'OK', 'LOGOUT completed.');
        return this.conn.close();
      case 'AUTHENTICATE':
        return this.authenticate(cmd);
      case 'LOGIN':
        // Basic authentication is off in Exchange Online: every LOGIN fails.
        return this.finish(
          cmd,
          this.login ? 'BAD' : 'NO',
          this.login ? IMAP_TEXT.invalidState : IMAP_TEXT.loginFailed,
          asString(cmd.args[0]),
        );
    }
    if (!MAILBOX_COMMANDS.has(cmd.verb)) return this.finish(cmd, 'BAD', IMAP_TEXT.commandError);
    if (!this.login) return this.finish(cmd, 'BAD', IMAP_TEXT.invalidState);
    if (!this.login.connected) {
      this.finish(cmd, 'BAD', IMAP_TEXT.notConnected);
      return this.conn.close(IMAP_TEXT.connectionClosed);
    }
    // RFC 5530 UNAVAILABLE: a temporary failure of the mailbox store, not a login problem.
    if (this.deps.faults?.mailboxUnavailable && (cmd.verb === 'SELECT' || cmd.verb === 'EXAMINE')) {
      return this.finish(cmd, 'NO', '[UNAVAILABLE] The mailbox is temporarily unavailable.');
    }
    this.mailboxCommand(cmd);
  }

  private authenticate(cmd: Command): void {
    if (this.login) return this.finish(cmd, 'BAD', IMAP_TEXT.invalidState);
    const mechanism = asString(cmd.args[0])?.toUpperCase();
    if (!mechanism) return this.finish(cmd, 'BAD', IMAP_TEXT.argumentError);
    const judge = (response: string) => {
      if (mechanism !== 'XOAUTH2' || this.deps.faults?.offerXoauth2 === false)
        return this.finish(cmd, 'NO', IMAP_TEXT.authFailed);
      const verdict = authorizeXoauth2(response, 'imap', this.deps.tenant(), this.deps.publicKey);
      if (verdict.outcome === 'authenticated') {
        this.login = verdict;
        return this.finish(cmd, 'OK', IMAP_TEXT.authOk, verdict.user);
      }
      this.finish(cmd, 'NO', IMAP_TEXT.authFailed, verdict.user);
    };
    const initial = asString(cmd.args[1]);
    if (initial !== undefined) return judge(initial === '=' ? '' : initial);
    this.conn.send('+ ');
    this.continuation.expect((line) =>
      line.trim() === '*' ? this.finish(cmd, 'BAD', IMAP_TEXT.authAborted) : judge(line),
    );
  }

  private mailboxCommand(cmd: Command): void {
    switch (cmd.verb) {
      case 'SELECT':
      case 'EXAMINE':
        return this.select(cmd, cmd.verb === 'EXAMINE');
      case 'STATUS':
        return this.status(cmd);
      case 'LIST':
      case 'LSUB':
        return this.list(cmd);
      case 'NAMESPACE':
        this.conn.send(`* NAMESPACE (("" "${HIERARCHY_DELIMITER}")) NIL NIL`);
        return this.finish(cmd, 'OK', 'NAMESPACE completed.');
      case 'CHECK':
        return this.finish(cmd, 'OK', 'CHECK completed.');
      case 'UNSELECT':
      case 'CLOSE':
        if (!this.selected) return this.finish(cmd, 'BAD', IMAP_TEXT.invalidState);
        this.selected = undefined;
        return this.finish(cmd, 'OK', `${cmd.verb} completed.`);
      case 'FETCH':
      case 'UID FETCH':
        return this.fetch(cmd, cmd.verb === 'UID FETCH');
      case 'IDLE':
        this.conn.send('+ IDLE accepted, awaiting DONE command.');
        this.continuation.expect((line) =>
          this.finish(
            cmd,
            line.trim().toUpperCase() === 'DONE' ? 'OK' : 'BAD',
            line.trim().toUpperCase() === 'DONE' ? 'IDLE completed.' : IMAP_TEXT.argumentError,
          ),
        );
        return;
      default:
        return this.finish(cmd, 'NO', IMAP_TEXT.readOnly);
    }
  }

  private select(cmd: Command, readOnly: boolean): void {
    const name = asString(cmd.args[0]);
    if (name === undefined) return this.finish(cmd, 'BAD', IMAP_TEXT.argumentError);
    const folder = findFolder(name);
    this.selected = undefined;
    if (!folder) return this.finish(cmd, 'NO', IMAP_TEXT.noMailbox(name));
    const messages = messagesOf(folder);
    const firstUnseen = messages.findIndex((m) => !m.seen);
    const flags = FLAGS.join(' ');
    this.conn.send(
      `* ${messages.length} EXISTS`,
      '* 0 RECENT',
      `* FLAGS (${flags})`,
      `* OK [PERMANENTFLAGS (${readOnly ? '' : flags})] Permanent flags`,
      ...(firstUnseen >= 0 ? [`* OK [UNSEEN ${firstUnseen + 1}] Is the first unseen message`] : []),
      `* OK [UIDVALIDITY ${UID_VALIDITY}] UIDVALIDITY value`,
      `* OK [UIDNEXT ${nextUid(folder)}] The next unique identifier value`,
    );
    this.selected = folder;
    this.finish(cmd, 'OK', `[${readOnly ? 'READ-ONLY' : 'READ-WRITE'}] ${cmd.verb} completed.`);
  }

  private fetch(cmd: Command, byUid: boolean): void {
    if (!this.selected) return this.finish(cmd, 'BAD', IMAP_TEXT.invalidState);
    const set = asString(cmd.args[0]);
    if (set === undefined || cmd.args[1] === undefined) return this.finish(cmd, 'BAD', IMAP_TEXT.argumentError);
    try {
      const answers = selectMessages(set, messagesOf(this.selected), byUid).map(
        ({ seq, message }) => `* ${seq} FETCH ${fetchResponse(message, cmd.args[1], byUid)}`,
      );
      if (answers.length) this.conn.send(...answers);
    } catch (err) {
      if (!(err instanceof FetchError)) throw err;
      return this.finish(cmd, 'BAD', IMAP_TEXT.argumentError);
    }
    this.finish(cmd, 'OK', `${cmd.verb} completed.`);
  }

  private status(cmd: Command): void {
    const name = asString(cmd.args[0]);
    const items = cmd.args[1];
    if (
      name === undefined ||
      !Array.isArray(items) ||
      items.some((i) => typeof i !== 'string' || !STATUS_ITEMS.has(i.toUpperCase()))
    ) {
      return this.finish(cmd, 'BAD', IMAP_TEXT.argumentError);
    }
    const folder = findFolder(name);
    if (!folder) return this.finish(cmd, 'NO', IMAP_TEXT.noMailbox(name));
    const messages = messagesOf(folder);
    const values: Record<string, number> = {
      MESSAGES: messages.length,
      RECENT: 0,
      UIDNEXT: nextUid(folder),
      UIDVALIDITY: UID_VALIDITY,
      UNSEEN: messages.filter((m) => !m.seen).length,
    };
    const pairs = (items as string[]).map((i) => `${i.toUpperCase()} ${values[i.toUpperCase()]}`);
    this.conn.send(`* STATUS ${quoteImap(folder.name)} (${pairs.join(' ')})`);
    this.finish(cmd, 'OK', 'STATUS completed.');
  }

  private list(cmd: Command): void {
    const reference = asString(cmd.args[0]);
    const pattern = asString(cmd.args[1]);
    if (reference === undefined || pattern === undefined) return this.finish(cmd, 'BAD', IMAP_TEXT.argumentError);
    if (pattern === '') {
      // RFC 3501: an empty pattern asks for the hierarchy delimiter only.
      this.conn.send(`* ${cmd.verb} (\\Noselect) "${HIERARCHY_DELIMITER}" ""`);
    } else {
      for (const folder of FOLDERS) {
        if (!matchesListPattern(folder.name, reference + pattern, HIERARCHY_DELIMITER)) continue;
        this.conn.send(
          `* ${cmd.verb} (${folder.attributes.join(' ')}) "${HIERARCHY_DELIMITER}" ${quoteImap(folder.name)}`,
        );
      }
    }
    this.finish(cmd, 'OK', `${cmd.verb} completed.`);
  }

  private untaggedBad(_text: string): void {
    this.deps.log.record({ service: 'imap', method: 'UNKNOWN', target: '', result: 'BAD' });
    this.conn.send(`* BAD ${IMAP_TEXT.commandError}`);
  }

  private finish(cmd: Command, status: 'OK' | 'NO' | 'BAD', text: string, saslUser?: string): void {
    // A verb outside the known set is logged as UNKNOWN: what a client sends there could be anything.
    const method = KNOWN_VERBS.has(cmd.verb) ? cmd.verb : 'UNKNOWN';
    this.deps.log.record({
      service: 'imap',
      method,
      target: cmd.target,
      result: status,
      ...(saslUser ? { detail: saslUser } : {}),
    });
    this.conn.send(`${cmd.tag} ${status} ${text}`);
  }
}

function nextUid(folder: Folder): number {
  return messagesOf(folder).reduce((max, m) => Math.max(max, m.uid), 0) + 1;
}
