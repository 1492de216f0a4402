// Exchange-shaped IMAP and POP dialogs for the client tests; the verdict on a token is the test's to choose.
import type { Conn } from './scripted-server.js';

export type Verdict = 'ok' | 'bad-token' | 'not-connected';
export interface DialogOptions {
  verdict: (user: string, token: string) => Verdict;
  /** Answer a rejected token with a Dovecot-style base64 JSON challenge first. */
  challenge?: boolean;
  saslIr?: boolean;
}

export const CHALLENGE_JSON = {
  status: '401',
  schemes: 'bearer',
  scope: 'https://outlook.office.com/IMAP.AccessAsUser.All',
};
const challengeB64 = () => Buffer.from(JSON.stringify(CHALLENGE_JSON)).toString('base64');

export function parseXoauth2(b64: string): { user: string; token: string } | undefined {
  const m = Buffer.from(b64, 'base64')
    .toString('utf8')
    .match(/^user=([^\x01]*)\x01auth=Bearer ([^\x01]+)\x01\x01$/);
  return m ? { user: m[1], token: m[2] } : undefined;
}

/** The test's verdict on the XOAUTH2 response: the initial one, or the line that answers the server's "+ ". */
async function judgeXoauth2(c: Conn, initial: string | undefined, o: DialogOptions): Promise<Verdict> {
  let b64 = initial;
  if (!b64) {
    c.send('+ ');
    b64 = (await c.read()) ?? '';
  }
  const x = parseXoauth2(b64);
  return x ? o.verdict(x.user, x.token) : 'bad-token';
}

export function imapDialog(o: DialogOptions) {
  return async (c: Conn) => {
    c.send('* OK The Microsoft Exchange IMAP4 service is ready. [TFEyUDE2M0NBMDAwNS5wcm9kLm91dGxvb2suY29t]');
    let state: 'pre' | Verdict = 'pre';
    for (;;) {
      const line = await c.read();
      if (line === null) return;
      const [tag, cmd, ...args] = line.split(' ');
      const verb = (cmd ?? '').toUpperCase();
      if (verb === 'CAPABILITY') {
        c.send(
          `* CAPABILITY IMAP4 IMAP4rev1 AUTH=PLAIN AUTH=XOAUTH2${o.saslIr === false ? '' : ' SASL-IR'} UIDPLUS ID UNSELECT CHILDREN IDLE NAMESPACE LITERAL+`,
        );
        c.send(`${tag} OK CAPABILITY completed.`);
      } else if (verb === 'AUTHENTICATE') {
        const v = await judgeXoauth2(c, args[1], o);
        if (v === 'bad-token') {
          if (o.challenge) {
            c.send(`+ ${challengeB64()}`);
            const answer = await c.read();
            if (answer !== '') {
              c.send(`${tag} BAD expected empty line`);
              continue;
            }
          }
          c.send(`${tag} NO AUTHENTICATE failed.`);
        } else {
          state = v;
          c.send(`${tag} OK AUTHENTICATE completed.`);
        }
      } else if (verb === 'EXAMINE' || verb === 'SELECT') {
        if (state === 'not-connected') {
          c.send(`${tag} BAD User is authenticated but not connected.`);
          c.send('* BYE Connection closed. 14');
          c.end();
          return;
        }
        c.send('* 3 EXISTS');
        c.send('* 0 RECENT');
        c.send('* FLAGS (\\Seen \\Answered \\Flagged \\Deleted \\Draft $MDNSent)');
        c.send('* OK [UIDVALIDITY 14] UIDVALIDITY value');
        c.send(`${tag} OK [READ-ONLY] EXAMINE completed.`);
      } else if (verb === 'LOGOUT') {
        c.send('* BYE Microsoft Exchange Server IMAP4 server signing off.');
        c.send(`${tag} OK LOGOUT completed.`);
        c.end();
        return;
      } else c.send(`${tag} BAD Command received in Invalid state.`);
    }
  };
}

export function popDialog(o: DialogOptions) {
  return async (c: Conn) => {
    c.send('+OK The Microsoft Exchange POP3 service is ready. [TFEyUDE2M0NBMDAwNS5wcm9kLm91dGxvb2suY29t]');
    let state: 'pre' | Verdict = 'pre';
    for (;;) {
      const line = await c.read();
      if (line === null) return;
      const [cmd, ...args] = line.split(' ');
      const verb = cmd.toUpperCase();
      if (verb === 'CAPA') {
        for (const l of ['+OK', 'TOP', 'UIDL', 'SASL PLAIN XOAUTH2', 'USER', '.']) c.send(l);
      } else if (verb === 'AUTH' && args[0]?.toUpperCase() === 'XOAUTH2') {
        const v = await judgeXoauth2(c, args[1], o);
        if (v === 'bad-token') {
          if (o.challenge) {
            c.send(`+ ${challengeB64()}`);
            await c.read();
          }
          c.send('-ERR Authentication failure: unknown user name or bad password.');
        } else {
          state = v;
          c.send('+OK User successfully authenticated.');
        }
      } else if (verb === 'STAT') {
        c.send(state === 'not-connected' ? '-ERR User is authenticated but not connected.' : '+OK 3 4096');
      } else if (verb === 'QUIT') {
        c.send('+OK Microsoft Exchange Server POP3 server signing off.');
        c.end();
        return;
      } else c.send('-ERR Command is not valid in this state.');
    }
  };
}
