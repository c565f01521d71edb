/**
 * `steward priorities report|list|add|remove`: release priorities (service/priorities-view.ts).
 * steward.yaml's priorities are edited in the file; `add` and `remove` manage the store's.
 */
import { StewardError } from '../../model/errors.js';
import { renderPrioritiesCsv, renderPrioritiesList, renderPrioritiesText } from '../../report/priorities-report.js';
import { addPriority, buildPrioritiesList, buildPrioritiesView, removePriority } from '../../service/priorities-view.js';
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

/** `steward priorities report --release R`. */
export async function runPrioritiesReport(o: PrioritiesOptions, rt: Runtime): Promise<void> {
  const format = parseFormat(o.format);
  const release = needRelease(o);
  const store = await openStoreFor(o, rt);
  try {
    const v = await buildPrioritiesView(store, { release, project: o.project }, await effectiveConfig(o, rt, store), nowOf(o, rt));
    rt.stdout(format === 'json' ? JSON.stringify(v, null, 2) + '\n' : format === 'csv' ? renderPrioritiesCsv(v) : renderPrioritiesText(v));
  } finally {
    await store.close();
  }
}

/** `steward priorities list [--release R]`. */
export async function runPrioritiesList(o: PrioritiesOptions, rt: Runtime): Promise<void> {
  const format = parseFormat(o.format);
  const store = await openStoreFor(o, rt);
  try {
    const l = await buildPrioritiesList(store, { release: o.release }, await effectiveConfig(o, rt, store));
    if (format === 'csv') throw new StewardError('USAGE', '--format: priorities list is text or json');
    rt.stdout(format === 'json' ? JSON.stringify(l, null, 2) + '\n' : renderPrioritiesList(l));
  } finally {
    await store.close();
  }
}

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
    rt.stdout(format === 'json' ? JSON.stringify({ removed: { id: p.id, release: p.release, title: p.title } }, null, 2) + '\n' : `Removed priority #${p.id} of ${p.release}: ${p.title}.\n`);
  } finally {
    await store.close();
  }
}
