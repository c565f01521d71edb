/**
 * The static files the pages load: the client scripts and style sheet (web-assets/ at the package
 * root) and Chart.js's browser build from node_modules. Read once at start, served from memory.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';

export interface Asset {
  body: Buffer;
  type: string;
}

// src/web/ and dist/web/ are both two levels below the package root.
const ASSET_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'web-assets');

const OWN: Array<[string, string]> = [
  ['app.js', 'text/javascript; charset=utf-8'],
  ['style.css', 'text/css; charset=utf-8'],
];

/** Reads every asset; fails at start (not on first request) when one is missing. */
export async function loadAssets(): Promise<Map<string, Asset>> {
  const out = new Map<string, Asset>();
  for (const [name, type] of OWN) out.set(name, { body: await readFile(join(ASSET_DIR, name)), type });
  const chartMain = createRequire(import.meta.url).resolve('chart.js');
  out.set('chart.umd.min.js', {
    body: await readFile(join(dirname(chartMain), 'chart.umd.min.js')),
    type: 'text/javascript; charset=utf-8',
  });
  return out;
}

/** GET /assets/NAME for each asset, cacheable for an hour. */
export function registerAssets(app: FastifyInstance, assets: Map<string, Asset>): void {
  for (const [name, a] of assets) {
    app.get(`/assets/${name}`, async (_req, reply) => reply.type(a.type).header('cache-control', 'public, max-age=3600').send(a.body));
  }
}
