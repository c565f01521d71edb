/** Runs the steward CLI in-process with a captured runtime. */
import { main } from '../../src/cli/main.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runSteward(
  args: string[],
  opts: { cwd: string; env?: Record<string, string | undefined>; now?: number },
): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    cwd: opts.cwd,
    env: opts.env ?? {},
    clock: () => opts.now ?? Date.UTC(2026, 10, 1),
    fixedNow: opts.now ?? Date.UTC(2026, 10, 1),
    stdout: (s) => void (stdout += s),
    stderr: (s) => void (stderr += s),
    isTty: false,
  });
  return { code, stdout, stderr };
}
