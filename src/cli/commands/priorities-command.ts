/**
 * `steward priorities add|remove`: the store's release priorities (service/priorities-view.ts);
 * steward.yaml's are edited in the file. `priorities report` and `list` are catalogue entries
 * (service/catalogue/priorities-entries.ts).
 */
import { StewardError } from '../../model/errors.js';
import { addPriority, removePriority } from '../../service/priorities-view.js';
import { effectiveConfig, openStoreFor, type GlobalOptions, type Runtime } from '../context.js';
import { parseFormat, parseTime } from '../options.js';

export interface PrioritiesOptions extends GlobalOptions {
  release?: string;
  title?: string;
  blueprint?: string[];
  topic?: string[];
  query?: string[];
  by?: string;
  project?: string[];
  now?: string;
  format?: string;
}

const needRelease = (o: PrioritiesOptions): string => {
  if (!o.release) throw new StewardError('USAGE', 'give the release with --release NAME (one of steward.yaml `releases`)');
  return o.release;
};
const nowOf = (o: PrioritiesOptions, rt: Runtime): number => (o.now ? parseTime(o.now, '--now') : rt.clock());

/** `steward priorities add --release R --title T [--blueprint B]… [--topic T]… [--query Q]… [--by NAME]`. */
export async function runPrioritiesAdd(o: PrioritiesOptions, rt: Runtime): Promise<void> {
  const format = parseFormat(o.format);
  const release = needRelease(o);
  if (!o.title) throw new StewardError('USAGE', 'give the priority a title with --title TEXT');
  const store = await openStoreFor(o, rt);
  try {
    const p = await addPriority(
      store,
      { release, title: o.title, blueprints: o.blueprint ?? [], topics: o.topic ?? [], queries: o.query ?? [], createdBy: o.by ?? null },
      await effectiveConfig(o, rt, store),
      nowOf(o, rt),
    );
    const out = { ...p, createdAt: p.createdAt === null ? null : new Date(p.createdAt).toISOString() };
    rt.stdout(format === 'json' ? JSON.stringify(out, null, 2) + '\n' : `Priority #${p.id} of ${p.release}: ${p.title}.\n`);
  } finally {
    await store.close();
  }
}

/** `steward priorities remove --release R --title T`. */
export async function runPrioritiesRemove(o: PrioritiesOptions, rt: Runtime): Promise<void> {
  const format = parseFormat(o.format);
  const release = needRelease(o);
  if (!o.title) throw new StewardError('USAGE', 'name the priority to remove with --title TEXT');
  const store = await openStoreFor(o, rt);
  try {
    const p = await removePriority(store, { release, title: o.title }, await effectiveConfig(o, rt, store));
    rt.stdout(
      format === 'json'
        ? JSON.stringify({ removed: { id: p.id, release: p.release, title: p.title } }, null, 2) + '\n'
        : `Removed priority #${p.id} of ${p.release}: ${p.title}.\n`,
    );
  } finally {
    await store.close();
  }
}
