/**
 * TypeScript entry points of this tree bundled for tests that start many child processes (the kill
 * tests): a child then loads a handful of files rather than hundreds of modules one by one (its
 * start-up was most of its CPU). esbuild (tsx's own transformer) bundles the entries, split at the
 * sources' dynamic imports, with the pure-JavaScript packages they load (Kysely, yaml, commander,
 * zod, pg, …) bundled in, as `npm run build` bundles them for the real CLI (scripts/bundle-vendor.mjs,
 * bundle-cli.mjs); the rest (better-sqlite3, a native addon; Fastify, which a sync never loads) stay
 * external, resolved in node_modules — so the bundle is written under node_modules/.cache. The
 * children share node's compile cache beside it (`env`).
 *
 * A worker thread's module is an entry of its own, named as the module that starts it looks for it
 * beside itself: `ext` is the extension of every file written (a `package.json` of `"type": "module"`
 * beside them makes `.js` files ES modules).
 *
 * Returns null without esbuild (a devDependency): the caller runs its children from the sources.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as Esbuild from 'esbuild';

const REPO = fileURLToPath(new URL('../..', import.meta.url));

/** The packages bundled in: pure JavaScript, on the sync paths the children run. */
const BUNDLED_PACKAGES = new Set(['kysely', 'yaml', 'commander', 'zod', 'cli-progress', 'string-width', 'strip-ansi', 'pg']);

export interface ChildBundle {
  /** The folder of the bundle (remove it with `remove`). */
  dir: string;
  /** Each entry's file, by the entry's name. */
  files: Record<string, string>;
  /** The environment for a child: this process's, with the shared compile cache. */
  env: NodeJS.ProcessEnv;
  remove: () => void;
}

/**
 * Bundles `entries` (output name -> source path relative to the repository) into a new folder
 * named after `tag` and this process; `ext` is the extension of the files written.
 */
export async function bundleForChildren(tag: string, entries: Record<string, string>, ext: '.mjs' | '.js'): Promise<ChildBundle | null> {
  let esbuild: typeof Esbuild;
  try {
    esbuild = await import('esbuild');
  } catch {
    return null;
  }
  const dir = join(REPO, 'node_modules', '.cache', 'steward-test', `${tag}-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  if (ext === '.js') writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
  await esbuild.build({
    entryPoints: Object.fromEntries(Object.entries(entries).map(([name, path]) => [name, join(REPO, path)])),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    plugins: [
      {
        name: 'steward-test-packages',
        setup(b) {
          b.onResolve({ filter: /^[^./]/ }, (a) => {
            if (a.path.startsWith('node:')) return { path: a.path, external: true };
            const pkg = a.path.startsWith('@') ? a.path.split('/').slice(0, 2).join('/') : a.path.split('/')[0]!;
            return BUNDLED_PACKAGES.has(pkg) ? undefined : { path: a.path, external: true };
          });
        },
      },
    ],
    // pg's optional native bindings and Cloudflare socket: required only when asked for.
    external: ['pg-native', 'pg-cloudflare'],
    // commander and pg are CommonJS and require Node's own modules: give the bundle a require.
    banner: { js: "import { createRequire as bundleRequire } from 'node:module';\nconst require = bundleRequire(import.meta.url);" },
    splitting: true,
    outdir: dir,
    outExtension: { '.js': ext },
    logLevel: 'error',
  });
  return {
    dir,
    files: Object.fromEntries(Object.keys(entries).map((name) => [name, join(dir, `${name}${ext}`)])),
    env: { ...process.env, NODE_COMPILE_CACHE: join(dir, 'compile-cache') },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
