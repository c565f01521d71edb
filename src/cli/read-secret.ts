/**
 * Reading a secret (a new password) at the entry point: on a terminal, a prompt on stderr that
 * echoes nothing, asked twice when confirming; otherwise the first line of standard input, so that
 * `printf '%s\n' "$PW" | steward user add ann --role lead` works from scripts.
 */
import { StewardError } from '../model/errors.js';

async function firstLine(stream: NodeJS.ReadStream): Promise<string> {
  let data = '';
  stream.setEncoding('utf8');
  for await (const chunk of stream) {
    data += chunk as string;
    if (data.includes('\n')) break;
  }
  return data.split(/\r?\n/)[0] ?? '';
}

function askSilently(stdin: NodeJS.ReadStream, stderr: NodeJS.WriteStream, prompt: string): Promise<string> {
  return new Promise((resolve, reject) => {
    stderr.write(prompt);
    let buf = '';
    const finish = () => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      stderr.write('\n');
    };
    const onData = (chunk: string) => {
      for (const c of chunk) {
        if (c === '\r' || c === '\n' || c === '\u0004') {
          finish();
          resolve(buf);
          return;
        }
        if (c === '\u0003') {
          finish();
          reject(new StewardError('USAGE', 'interrupted; nothing was changed'));
          return;
        }
        if (c === '\u007f' || c === '\b') buf = buf.slice(0, -1);
        else buf += c;
      }
    };
    stdin.setEncoding('utf8');
    stdin.setRawMode(true);
    stdin.resume();
    stdin.on('data', onData);
  });
}

/** Reads a secret from the process's standard input (see the file comment). */
export async function readSecretFromProcess(prompt: string, opts: { confirm?: boolean } = {}): Promise<string> {
  const { stdin, stderr } = process;
  if (!stdin.isTTY) return firstLine(stdin);
  const first = await askSilently(stdin, stderr, prompt);
  if (opts.confirm) {
    const again = await askSilently(stdin, stderr, 'Type it again: ');
    if (again !== first) throw new StewardError('USAGE', 'the two passwords typed differ; nothing was changed');
  }
  return first;
}
