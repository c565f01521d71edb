/** Checks a report's JSON against its schema in docs/schemas/ (docs/json-contract.md) with ajv. */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';

export const SCHEMA_DIR = join(import.meta.dirname, '..', '..', 'docs', 'schemas');
/** What to do when a report has no schema or its schema is stale. */
export const HOW_TO_GENERATE =
  'add its JSON type to ReportJsonTypes in src/service/catalogue/report-json-types.ts and run `npm run schemas`';

// code.optimize off: ajv's second pass over the validator code it generated (dropping unused
// names, folding constants) took half the compile time of the 33 report schemas (~1.1 -> ~0.55 s
// of CPU per process that compiles them all); the code it leaves checks the same things, a little
// less tidily.
const ajv = new Ajv({ allErrors: true, strict: false, code: { optimize: false } });
const validators = new Map<string, ValidateFunction>();

/** The validator of report `report`'s schema; fails, saying how to generate it, when there is none. */
export function schemaValidator(report: string): ValidateFunction {
  let v = validators.get(report);
  if (!v) {
    const file = join(SCHEMA_DIR, `${report}.json`);
    assert.ok(existsSync(file), `report "${report}" has no JSON Schema (docs/schemas/${report}.json): ${HOW_TO_GENERATE}`);
    v = ajv.compile(JSON.parse(readFileSync(file, 'utf8')) as object);
    validators.set(report, v);
  }
  return v;
}

/** Fails unless `body` is valid against report `report`'s schema; `what` names it in the message. */
export function assertMatchesSchema(report: string, body: unknown, what = report): void {
  const validate = schemaValidator(report);
  assert.ok(validate(body), `${what} does not match docs/schemas/${report}.json: ${ajv.errorsText(validate.errors?.slice(0, 12))}`);
}
