#!/usr/bin/env node
// `npm run build`, after tsc and bundle-vendor.mjs: Steward's own modules bundled into a handful of
// files in dist/bundle/ — the CLI's entry (main.js) and one chunk per lazily loaded command or
// report build (esbuild's code splitting; the `await import('./commands/…')` of main.ts and the
// catalogue's `lazyBuild` become the chunk boundaries). bin/steward.js loads dist/bundle/main.js
// when it is there (docs/development.md, "A fast start"). Node loads and links modules one at a
// time: a report loaded about 150 files (110 of them Steward's), the bundle a handful.
//
// What the bundle leaves as it is:
// - The compiled tree (dist/**, from tsc) stays whole: worker threads (the export and REST page
//   parsers, the web's view workers), the bench and the tests load it. Every `import.meta.url` of a
//   bundled module is rewritten to the URL of that module's own file in dist/, so what a module
//   finds beside itself (a worker's file, web-assets/, docs/schemas/, package.json) it finds from
//   the bundle too.
// - Packages stay external (resolved in node_modules as before, Kysely and yaml through
//   dist/vendor/), but for the small pure-JavaScript ones on every command's path (commander, zod),
//   bundled in. better-sqlite3 (a native addon), pg, Fastify and the rest load as they are.
//
// Without esbuild (a devDependency) the script says so and writes nothing: the launcher then loads
// dist/cli/main.js module by module.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const out = join(dist, 'bundle');
// Packages bundled in: pure JavaScript, loaded by every command, several files each.
const BUNDLED_PACKAGES = new Set(['commander', 'zod']);

let esbuild;
try {
  esbuild = await import('esbuild');
} catch {
  rmSync(out, { recursive: true, force: true });
  console.log('bundle-cli: esbuild is not installed; steward loads dist/cli/main.js module by module (a slower start)');
  process.exit(0);
}

rmSync(out, { recursive: true, force: true });
const t0 = performance.now();
const toPosix = (p) => p.split(sep).join('/');
const result = await esbuild.build({
  entryPoints: { main: join(dist, 'cli', 'main.js') },
  plugins: [
    {
      name: 'steward-bundle',
      setup(b) {
        // Bare specifiers: a package to bundle, or external (Node resolves it at run time).
        b.onResolve({ filter: /^[^./]/ }, (a) => {
          if (a.path.startsWith('node:')) return { path: a.path, external: true };
          const pkg = a.path.startsWith('@') ? a.path.split('/').slice(0, 2).join('/') : a.path.split('/')[0];
          return BUNDLED_PACKAGES.has(pkg) ? undefined : { path: a.path, external: true };
        });
        // Steward's compiled modules: `import.meta.url` becomes the module's own file in dist/.
        b.onLoad({ filter: /\.js$/ }, (a) => {
          if (!a.path.startsWith(dist + sep) || a.path.includes(`${sep}node_modules${sep}`)) return undefined;
          let contents = readFileSync(a.path, 'utf8');
          if (/\bimport\.meta\.(dirname|filename|resolve)\b/.test(contents)) {
            return { errors: [{ text: 'import.meta.dirname/filename/resolve: use import.meta.url (the bundle rewrites it)' }] };
          }
          const own = `new URL(${JSON.stringify(toPosix(relative(out, a.path)))}, import.meta.url).href`;
          contents = contents.replace(/\bimport\.meta\.url\b/g, own);
          return { contents, loader: 'js' };
        });
      },
    },
  ],
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node24',
  outdir: out,
  entryNames: '[name]',
  chunkNames: 'chunk-[hash]',
  legalComments: 'linked',
  // commander is CommonJS and requires Node's own modules: give the bundle a require.
  banner: { js: "import { createRequire as bundleRequire } from 'node:module';\nconst require = bundleRequire(import.meta.url);" },
  logLevel: 'warning',
  metafile: true,
});
const outputs = Object.entries(result.metafile.outputs).filter(([f]) => f.endsWith('.js'));
const bytes = outputs.reduce((n, [, o]) => n + o.bytes, 0);
const inputs = Object.keys(result.metafile.inputs).length;
writeFileSync(join(out, 'bundle.json'), JSON.stringify({ entry: 'main.js', inputs, files: outputs.length }, null, 2) + '\n');
console.log(
  `bundle-cli: ${inputs} modules → dist/bundle/ (${outputs.length} files, ${(bytes / 1e6).toFixed(1)} MB, ${Math.round(performance.now() - t0)} ms)`,
);
