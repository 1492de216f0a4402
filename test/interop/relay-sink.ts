// The loopback SMTP target Dovecot submission relays to: it accepts every message and keeps only a count.
import { SMTPServer } from 'smtp-server';

export interface RelaySink {
  host: string;
  port: number;
  accepted(): number;
  close(): Promise<void>;
}

export async function startRelaySink(): Promise<RelaySink> {
  let count = 0;
  const server = new SMTPServer({
    // Dovecot relays in plain text on loopback and without AUTH; nothing leaves this process.
    disabledCommands: ['AUTH', 'STARTTLS'],
    authOptional: true,
    logger: false,
    onData(stream, _session, done) {
      stream.on('end', () => {
        count++;
        done();
      });
      stream.resume();
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const addr = server.server.address();
  if (!addr || typeof addr === 'string') throw new Error('relay sink has no TCP address');
  return {
    host: '127.0.0.1',
    port: addr.port,
    accepted: () => count,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
