/**
 * Launchpad sync benchmark (run by `npm run bench` through tsx, since the fake Launchpad lives with
 * the tests): serves about N bug tasks (a project task per bug, a series task on every fifth) from
 * the fake Launchpad on loopback and runs a full sync of them into a fresh SQLite store in a child
 * process (dist/bench/launchpad-sync-child.js). Prints one JSON line.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bugSet } from '../helpers/bug-builders.js';
import { FakeLaunchpad } from '../helpers/fake-launchpad.js';

const tasksWanted = Number(process.argv[2] ?? 50_000);
const pageSize = 300;
const { tasks, bugs } = bugSet(Math.ceil((tasksWanted * 5) / 6));
const fake = new FakeLaunchpad({ tasks, bugs, maxSize: pageSize });
await fake.start();
const dir = mkdtempSync(join(tmpdir(), 'steward-lp-bench-'));
try {
  const child = new URL('../../dist/bench/launchpad-sync-child.js', import.meta.url);
  const out = await new Promise<string>((resolve, reject) => {
    const p = spawn(
      process.execPath,
      [child.pathname, fake.root, join(dir, 'sync.db'), 'nova', String(pageSize), process.env.LP_CONCURRENCY ?? '8'],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let text = '';
    p.stdout.on('data', (d) => (text += d));
    p.on('exit', (code) => (code === 0 ? resolve(text) : reject(new Error(`launchpad sync child exited ${code}`))));
  });
  process.stdout.write(out.trim().split('\n').pop()! + '\n');
} finally {
  await fake.stop();
  rmSync(dir, { recursive: true, force: true });
}
