/**
 * Routes whose schema types their handler: Fastify's type provider for JSON-schema literals
 * (json-schema-to-ts). A route's schema, written `as const`, is then the one definition of what its
 * handler receives — `request.query` and `request.body` take their types from it, and a schema that
 * changes under a handler that does not follow fails to compile. No hand-written request type.
 */
import type { JsonSchemaToTsProvider } from '@fastify/type-provider-json-schema-to-ts';
import type { FastifyInstance } from 'fastify';

/** The app whose routes get their handler types from their schemas. */
export function typed(app: FastifyInstance) {
  return app.withTypeProvider<JsonSchemaToTsProvider>();
}

/**
 * What a schema validates to, exactly as the provider types a handler's `request.query` or
 * `request.body` (Fastify resolves a provider the same way), for the helpers a handler calls.
 */
export type Validated<S> = (JsonSchemaToTsProvider & { schema: S })['validator'];

/** `?done=…`: what a management page just did (it answers a change with a redirect carrying it). */
export const DONE_QUERY = { type: 'object', properties: { done: { type: 'string', maxLength: 40 } } } as const;
