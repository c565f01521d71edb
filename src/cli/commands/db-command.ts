import { openStoreFor, type GlobalOptions, type Runtime } from '../context.js';
import { parseFormat } from '../options.js';
import { migrateStore } from '../../store/open-store.js';
import { storeInfo } from '../../store/store-info.js';
import { toCsv } from '../../report/csv.js';

export async function runDbMigrate(o: GlobalOptions & { format?: string }, rt: Runtime): Promise<void> {
  const format = parseFormat(o.format);
  const store = await openStoreFor(o, rt, { migrate: false });
  try {
    const ran = await migrateStore(store);
    const info = await storeInfo(store);
    if (format === 'json') rt.stdout(JSON.stringify({ applied: ran, schemaVersion: info.schemaVersion }, null, 2) + '\n');
    else
      rt.stdout(
        ran.length
          ? `Applied ${ran.length} migration(s): ${ran.join(', ')}. Schema version ${info.schemaVersion}.\n`
          : `Already up to date at schema version ${info.schemaVersion}.\n`,
      );
  } finally {
    await store.close();
  }
}

export async function runDbInfo(o: GlobalOptions & { format?: string; exact?: boolean }, rt: Runtime): Promise<void> {
  const format = parseFormat(o.format);
  const store = await openStoreFor(o, rt);
  try {
    const info = await storeInfo(store, { exact: o.exact === true });
    const estimated = new Set(info.estimated);
    if (format === 'json') rt.stdout(JSON.stringify(info, null, 2) + '\n');
    else if (format === 'csv') rt.stdout(toCsv(['table', 'rows'], Object.entries(info.rowCounts)));
    else {
      const lines = [
        `Engine:          ${info.engine}`,
        `Location:        ${info.location}`,
        `Schema version:  ${info.schemaVersion} of ${info.latestSchemaVersion}${info.pendingMigrations.length ? ` (pending: ${info.pendingMigrations.join(', ')})` : ''}`,
        'Rows:',
        ...Object.entries(info.rowCounts).map(
          ([t, n]) => `  ${t.padEnd(14)} ${String(n).padStart(10)}${estimated.has(t) ? ' (about; --exact to count)' : ''}`,
        ),
      ];
      rt.stdout(lines.join('\n') + '\n');
    }
  } finally {
    await store.close();
  }
}
