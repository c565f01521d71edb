/**
 * steward.yaml: one schema, defaults applied once. Every key is documented in the README
 * ("Configuration"). Secrets never belong here: credentials come from the environment or a
 * credentials file, and the store URL from --db / STEWARD_DB.
 */
import { z } from 'zod';

const isoDate = z
  .string({ invalid_type_error: 'expected a date like 2015-04-30 (quote it if needed)' })
  .regex(/^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/, 'expected a date like 2015-04-30 or 2015-04-30T12:00:00Z')
  .refine((s) => !Number.isNaN(Date.parse(s.length === 10 ? `${s}T00:00:00Z` : s)), 'not a real calendar date');

const accountSpec = z.union([z.string().min(1), z.number().int().positive()], {
  errorMap: () => ({ message: 'expected a username (text) or a Gerrit account id (number)' }),
});

const hostSchema = z
  .object({
    name: z.string().min(1),
    url: z.string().url('expected a URL like https://review.opendev.org'),
  })
  .strict();

const projectSchema = z
  .object({
    name: z.string().min(1),
    host: z.string().min(1).optional(),
    core: z
      .object({
        group: z.string().min(1).optional(),
        members: z.array(accountSpec).optional(),
      })
      .strict()
      .refine((c) => c.group !== undefined || c.members !== undefined, 'give the core team as `group` (a Gerrit group name) or `members` (a list of accounts)')
      .optional(),
  })
  .strict();

const releaseSchema = z
  .object({
    name: z.string().min(1),
    start: isoDate,
    featureFreeze: isoDate,
    release: isoDate,
  })
  .strict()
  .refine((r) => toMs(r.start) <= toMs(r.featureFreeze) && toMs(r.featureFreeze) <= toMs(r.release), 'dates must be in order: start ≤ featureFreeze ≤ release');

export const configSchema = z
  .object({
    hosts: z.array(hostSchema).default([]),
    projects: z.array(projectSchema).default([]),
    bots: z.array(accountSpec).default([]),
    releases: z.array(releaseSchema).default([]),
  })
  .strict();

export type StewardConfigInput = z.input<typeof configSchema>;
export type StewardConfig = z.output<typeof configSchema>;
export type ProjectConfig = StewardConfig['projects'][number];
export type ReleaseConfig = StewardConfig['releases'][number];

/** A config date (date only = midnight UTC) as epoch ms. */
export function toMs(s: string): number {
  return Date.parse(s.length === 10 ? `${s}T00:00:00Z` : s);
}

/** The configuration in effect when there is no steward.yaml. */
export function emptyConfig(): StewardConfig {
  return configSchema.parse({});
}
