// One line typed on a terminal without echo: the question goes to stderr (stdout may be a report), the keys
// are read in raw mode and never written back, not even as asterisks. Ctrl-C or Ctrl-D cancels.
import { PromptCancelled } from './prompt.js';

export interface HiddenPromptIo {
  stdin: NodeJS.ReadStream;
  stderr: NodeJS.WritableStream;
}

export function askHidden(question: string, io: HiddenPromptIo): Promise<string> {
  const { stdin, stderr } = io;
  stderr.write(question);
  return new Promise<string>((resolve, reject) => {
    let typed = '';
    const finish = (err?: Error) => {
      stdin.off('data', onData);
      stdin.setRawMode?.(false);
      stdin.pause();
      stderr.write('\n');
      if (err) reject(err);
      else resolve(typed);
    };
    const onData = (chunk: Buffer | string) => {
      // A paste arrives as one chunk; escape sequences (arrow keys) are dropped whole.
      const text = String(chunk).replace(/\u001b\[[0-9;?]*[ -/]*[@-~]|\u001b./g, '');
      for (const ch of text) {
        if (ch === '\u0003') return finish(new PromptCancelled('cancelled'));
        if (ch === '\u0004' && typed === '') return finish(new PromptCancelled('input ended'));
        if (ch === '\r' || ch === '\n') return finish();
        if (ch === '\u007f' || ch === '\b') typed = typed.slice(0, -1);
        else if (ch === '\u0015') typed = '';
        else if (ch >= ' ') typed += ch;
      }
    };
    stdin.setRawMode?.(true);
    stdin.on('data', onData);
    stdin.resume();
  });
}
