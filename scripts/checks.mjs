#!/usr/bin/env node
/**
 * The checks `npm test` runs before the tests: the package.json scripts named on the command line
 * (default: lint, format:check, typecheck), started together rather than one after the other. Each
 * is one single-threaded process (ESLint, Prettier, tsc), so on a two-core machine they take about
 * half the wall time side by side. Their output is held and printed whole, one check after another,
 * in the order named; the exit code is 1 when any check failed (every check still runs to its end,
 * so one run shows every failure).
 *
 * The commands are the package.json scripts themselves (one definition), run the way npm runs them:
 * through the shell, with node_modules/.bin first on PATH.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const scripts = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts ?? {};
const names = process.argv.length > 2 ? process.argv.slice(2) : ['lint', 'format:check', 'typecheck'];
for (const name of names) {
  if (typeof scripts[name] !== 'string') {
    process.stderr.write(`checks: package.json has no script "${name}"\n`);
    process.exit(2);
  }
}

const env = { ...process.env, PATH: [join(root, 'node_modules', '.bin'), process.env.PATH].join(delimiter) };

function run(name) {
  const started = process.hrtime.bigint();
  return new Promise((resolve) => {
    const chunks = [];
    const child = spawn(scripts[name], { cwd: root, env, shell: true, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (c) => chunks.push(c));
    child.stderr.on('data', (c) => chunks.push(c));
    child.on('error', (e) => resolve({ name, code: 1, output: `${e.message}\n`, started }));
    child.on('close', (code, signal) =>
      resolve({
        name,
        code: code ?? 1,
        signal,
        output: Buffer.concat(chunks).toString('utf8'),
        seconds: Number(process.hrtime.bigint() - started) / 1e9,
      }),
    );
  });
}

const results = await Promise.all(names.map(run));
let failed = 0;
for (const r of results) {
  const ok = r.code === 0;
  if (!ok) failed += 1;
  process.stdout.write(`\n> ${r.name}: ${scripts[r.name]}\n`);
  if (r.output) process.stdout.write(r.output.endsWith('\n') ? r.output : `${r.output}\n`);
  const how = ok ? 'ok' : r.signal ? `killed by ${r.signal}` : `failed (exit ${r.code})`;
  process.stdout.write(`> ${r.name}: ${how}${r.seconds === undefined ? '' : ` in ${r.seconds.toFixed(1)} s`}\n`);
}
if (failed) {
  process.stderr.write(
    `checks: ${failed} of ${results.length} failed: ${results
      .filter((r) => r.code !== 0)
      .map((r) => r.name)
      .join(', ')}\n`,
  );
  process.exit(1);
}
