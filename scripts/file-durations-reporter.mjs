// Test reporter (used by run-tests.mjs): one JSON line per test file with the time its process took
// from start to exit (loading included) and whether every test in it passed.
export default async function* fileDurations(source) {
  for await (const ev of source) {
    const d = ev.data ?? {};
    // The runner reports each file's process as a test at nesting 0 named after the file.
    if (ev.type === 'test:complete' && d.nesting === 0 && d.file && d.name && d.file.endsWith(d.name)) {
      yield `${JSON.stringify({ file: d.file, ms: d.details?.duration_ms ?? 0, passed: d.details?.passed === true })}\n`;
    }
  }
}
