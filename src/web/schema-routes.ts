/**
 * The JSON Schema of every report's JSON (docs/json-contract.md): `/api/v1/schemas/` lists them,
 * `/api/v1/schemas/<report>.json` is one — the file in docs/schemas/, generated from the result
 * types by scripts/generate-schemas.mjs.
 */
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { StewardError } from '../model/errors.js';
import { REPORTS } from '../service/catalogue/report-catalogue.js';

// docs/schemas/ from src/web/ (tsx) and from dist/web/ (the build) alike.
const SCHEMA_DIR = new URL('../../docs/schemas/', import.meta.url);

const cache = new Map<string, string>();
function schemaText(report: string): string {
  let text = cache.get(report);
  if (text === undefined) {
    try {
      text = readFileSync(new URL(`${report}.json`, SCHEMA_DIR), 'utf8');
    } catch (e) {
      throw new StewardError(
        'INTERNAL',
        `the schema of report "${report}" is missing from docs/schemas/: run \`npm run schemas\``,
        {},
        { cause: e },
      );
    }
    cache.set(report, text);
  }
  return text;
}

export function registerSchemaRoutes(app: FastifyInstance): void {
  const names = Object.keys(REPORTS);
  app.get('/api/v1/schemas/', async () => ({ schemas: names.map((n) => ({ report: n, url: `/api/v1/schemas/${n}.json` })) }));
  app.get<{ Params: { file: string } }>('/api/v1/schemas/:file', async (req, reply) => {
    const report = req.params.file.replace(/\.json$/, '');
    if (!names.includes(report) || !req.params.file.endsWith('.json'))
      throw new StewardError('NOT_FOUND', `no report named "${report}": schemas are /api/v1/schemas/<report>.json`, {
        hint: `Reports: ${names.join(', ')}.`,
      });
    return reply.type('application/schema+json; charset=utf-8').send(schemaText(report));
  });
}
