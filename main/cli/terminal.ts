// The CLI's terminal: where output goes, whether someone is there to answer, and how questions
// are asked (a line, or a password without echo). Tests plug in their own.
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';

export interface Terminal {
  /** A person can answer questions (stdin and stderr are terminals). */
  readonly interactive: boolean;
  out(text: string): void;
  err(text: string): void;
  /** Ask for a line of text. */
  ask(question: string): Promise<string>;
  /** Ask for a secret; what is typed is not shown. */
  askSecret(question: string): Promise<string>;
}

export function processTerminal(): Terminal {
  const interactive = Boolean(process.stdin.isTTY && process.stderr.isTTY);
  const read = (question: string, muted: boolean) =>
    new Promise<string>((resolve) => {
      let mute = false;
      const output = new Writable({
        write(chunk, _encoding, done) {
          if (!mute) process.stderr.write(chunk);
          done();
        },
      });
      const rl = createInterface({ input: process.stdin, output, terminal: interactive });
      rl.question(question, (answer) => {
        rl.close();
        if (muted) process.stderr.write('\n');
        resolve(answer);
      });
      mute = muted;
    });
  return {
    interactive,
    out: (text) => void process.stdout.write(text),
    err: (text) => void process.stderr.write(text),
    ask: (question) => read(question, false),
    askSecret: (question) => read(question, true),
  };
}
