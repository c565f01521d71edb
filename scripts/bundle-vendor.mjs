#!/usr/bin/env node
// `npm run build`, after tsc: the dependencies a report loads that come as many small modules —
// Kysely (about 255 files) and yaml (about 70) — each bundled into one file in dist/vendor/, which
// bin/steward.js loads in their place (docs/development.md, "A fast start"). Node loads and links
// modules one by one: Kysely's files alone cost about 250 ms of CPU on every command that opens a
// store (under load; about a third of that on a quiet machine), the bundle about 30 ms.
//
// The bundles are the packages' own code as installed (nothing else goes in), rebuilt by every
// build. Without esbuild (a devDependency) the script says so and writes nothing: the launcher then
// loads the packages as they are.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist', 'vendor');
// Bare specifier → bundle file. Kysely's two entry points share one chunk (one copy of its classes).
// pg (about 40 CommonJS files) too: every command on a PostgreSQL store loads it, and its files one
// by one cost about 30 ms more CPU than its bundle (under load, 2026-12-06).
const BUNDLES = { kysely: 'kysely.js', 'kysely/migration': 'kysely-migration.js', yaml: 'yaml.js', pg: 'pg.js' };
// The bundles that also re-export the package's default export (Steward imports pg's default).
const DEFAULT_EXPORT = new Set(['pg']);
// Optional packages a bundled package requires only when asked for (pg's native bindings, its
// Cloudflare socket): left to Node's require at run time, as the package itself does.
const EXTERNAL = ['pg-native', 'pg-cloudflare'];

let esbuild;
try {
  esbuild = await import('esbuild');
} catch {
  rmSync(out, { recursive: true, force: true });
  console.log('bundle-vendor: esbuild is not installed; steward loads Kysely and yaml module by module (a slower start)');
  process.exit(0);
}

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
// Each entry re-exports its package by name (a CommonJS package such as yaml has no static export list).
const entries = {};
const require = createRequire(join(root, 'package.json'));
for (const [spec, file] of Object.entries(BUNDLES)) {
  const names = Object.keys(await import(spec)).filter((n) => n !== 'default' && /^[A-Za-z_$][\w$]*$/.test(n));
  const exported = DEFAULT_EXPORT.has(spec) ? ['default', ...names] : names;
  entries[file.replace(/\.js$/, '')] = `export { ${exported.join(', ')} } from ${JSON.stringify(spec)};\n`;
}
const result = await esbuild.build({
  entryPoints: Object.keys(entries).map((name) => ({ in: `vendor-entry:${name}`, out: name })),
  plugins: [
    {
      name: 'vendor-entries',
      setup(b) {
        b.onResolve({ filter: /^vendor-entry:/ }, (a) => ({ path: a.path.slice('vendor-entry:'.length), namespace: 'vendor-entry' }));
        b.onLoad({ filter: /.*/, namespace: 'vendor-entry' }, (a) => ({ contents: entries[a.path], resolveDir: root, loader: 'js' }));
      },
    },
  ],
  bundle: true,
  external: EXTERNAL,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node24',
  outdir: out,
  chunkNames: 'chunk-[hash]',
  legalComments: 'linked',
  // yaml is CommonJS and requires Node's own modules (process, buffer): give the bundles a require.
  banner: { js: "import { createRequire as vendorRequire } from 'node:module';\nconst require = vendorRequire(import.meta.url);" },
  logLevel: 'warning',
  metafile: true,
});
const versions = {};
for (const spec of Object.keys(BUNDLES)) {
  const pkg = spec.split('/')[0];
  const main = require.resolve(pkg);
  let dir = dirname(main);
  while (!readFileSafe(join(dir, 'package.json'))?.includes(`"name": "${pkg}"`)) dir = dirname(dir);
  versions[pkg] = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).version;
}
writeFileSync(join(out, 'vendor.json'), JSON.stringify({ modules: BUNDLES, versions }, null, 2) + '\n');
const bytes = Object.values(result.metafile.outputs).reduce((n, o) => n + o.bytes, 0);
console.log(
  `bundle-vendor: ${Object.keys(BUNDLES).join(', ')} → dist/vendor/ (${(bytes / 1e6).toFixed(1)} MB; ${Object.entries(versions)
    .map(([p, v]) => `${p} ${v}`)
    .join(', ')})`,
);

function readFileSafe(p) {
  try {
    return readFileSync(p, 'utf8');
  } catch {
    return null;
  }
}
