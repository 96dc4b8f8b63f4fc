/**
 * @module Reading from the user: secrets from stdin (never from argv, which shell history keeps)
 * and yes/no confirmations. Prompts go to stderr so stdout stays data.
 */
import { createInterface } from 'node:readline/promises';
import { CliError } from './errors.ts';

export function isInteractive(): boolean {
  return process.stdin.isTTY === true;
}

/**
 * A secret from stdin: everything piped in (`… --client-secret-stdin < secret.txt`), trimmed, or at
 * a terminal one line typed without echo.
 */
export async function readSecret(prompt: string): Promise<string> {
  const secret = isInteractive() ? await readHiddenLine(prompt) : await readAll();
  const trimmed = secret.trim();
  if (trimmed === '') throw new CliError('no secret was given on stdin');
  return trimmed;
}

async function readAll(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

/** Raw mode, so the terminal does not echo what is typed; handles Enter, Backspace, Ctrl-C and Ctrl-D. */
function readHiddenLine(prompt: string): Promise<string> {
  const stdin = process.stdin;
  process.stderr.write(prompt);
  stdin.setRawMode(true);
  stdin.setEncoding('utf8');
  stdin.resume();
  return new Promise((resolve, reject) => {
    let value = '';
    const finish = () => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
    };
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (char === '\r' || char === '\n' || char === '\u0004') {
          finish();
          resolve(value);
          return;
        }
        if (char === '\u0003') {
          finish();
          reject(new CliError('cancelled'));
          return;
        }
        value = char === '\u007f' || char === '\b' ? value.slice(0, -1) : value + char;
      }
    };
    stdin.on('data', onData);
  });
}

/** Asks a yes/no question at the terminal; anything but y/yes is a no. */
export async function confirm(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question(`${question} [y/N] `);
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}
