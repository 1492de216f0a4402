// Asks questions on a terminal (or any line stream) and re-asks until the answer is valid.
import { createInterface } from 'node:readline';

/** The person ended the questions (Ctrl-C, or Ctrl-D / end of input): nothing is written. */
export class PromptCancelled extends Error {
  override name = 'PromptCancelled';
}

export interface Prompter {
  /** One line of answer, without its line ending. */
  ask(question: string): Promise<string>;
  /** Says something between questions (e.g. why an answer was refused). */
  say(line: string): void;
  close(): void;
}

export function createPrompter(
  input: NodeJS.ReadableStream,
  output: NodeJS.WritableStream,
  terminal: boolean,
): Prompter {
  const rl = createInterface({ input, output, terminal });
  // Lines may arrive before the question is asked (typed ahead, or piped): they wait here.
  const lines: string[] = [];
  let waiting: { resolve(line: string): void; reject(err: Error): void } | undefined;
  let ended: PromptCancelled | undefined;
  const end = (why: string) => {
    ended ??= new PromptCancelled(why);
    waiting?.reject(ended);
    waiting = undefined;
  };
  rl.on('line', (line) => {
    if (!waiting) {
      lines.push(line);
      return;
    }
    // A terminal echoes what is typed; a pipe does not, and the transcript should still show the answer.
    if (!terminal) output.write(`${line}\n`);
    waiting.resolve(line);
    waiting = undefined;
  });
  rl.on('close', () => end('input ended before every question was answered'));
  rl.on('SIGINT', () => {
    end('cancelled');
    rl.close();
  });
  return {
    ask(question) {
      const queued = lines.shift();
      if (queued !== undefined) {
        // Echo the question anyway, so a transcript reads as a dialogue.
        output.write(`${question}${terminal ? '' : `${queued}\n`}`);
        return Promise.resolve(queued);
      }
      if (ended) return Promise.reject(ended);
      rl.setPrompt(question);
      rl.prompt();
      return new Promise((resolve, reject) => {
        waiting = { resolve, reject };
      });
    },
    say(line) {
      output.write(`${line}\n`);
    },
    close() {
      rl.close();
    },
  };
}

export type Parse<T> = (raw: string) => { value: T } | { problem: string };

/** Asks until `parse` accepts the answer; an empty answer takes `fallback` when there is one. */
export async function askUntilValid<T>(
  prompter: Prompter,
  question: string,
  parse: Parse<T>,
  fallback?: string,
): Promise<T> {
  for (;;) {
    const raw = (await prompter.ask(`${question}${fallback !== undefined ? ` [${fallback}]` : ''}: `)).trim();
    const answer = raw === '' && fallback !== undefined ? fallback : raw;
    const parsed = answer === '' ? { problem: 'an answer is needed' } : parse(answer);
    if ('value' in parsed) return parsed.value;
    prompter.say(`  ${parsed.problem}. Try again.`);
  }
}
