// Test reporter (used by run-tests.mjs): one line per test file, slowest first, with the time its
// process took from start to exit (loading included) and whether every test in it passed.
import { relative } from 'node:path';

export default async function* fileDurations(source) {
  const files = [];
  for await (const ev of source) {
    const d = ev.data ?? {};
    // The runner reports each file's process as a test at nesting 0 named after the file.
    if (ev.type === 'test:complete' && d.nesting === 0 && d.file && d.name && d.file.endsWith(d.name)) {
      files.push({ file: relative(process.cwd(), d.file), ms: d.details?.duration_ms ?? 0, passed: d.details?.passed });
    }
  }
  files.sort((a, b) => b.ms - a.ms);
  for (const f of files) yield `${(f.ms / 1000).toFixed(1).padStart(7)} s  ${f.passed ? 'ok  ' : 'FAIL'}  ${f.file}\n`;
}
