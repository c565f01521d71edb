import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { stringify } from 'yaml';
import { parseConfig } from '../../config/load-config.js';
import { demoConfig, type DemoOptions } from '../../demo/demo-project.js';
import { writeRestExport, writeSshExport } from '../../demo/demo-export.js';
import { StewardError } from '../../model/errors.js';
import { DEMO_CONFIG_META_KEY, openStoreFor, type GlobalOptions, type Runtime } from '../context.js';
import { importFiles } from '../import-files.js';
import { parsePositiveInt, parseTime } from '../options.js';
import { renderImportSummary } from './import-command.js';

export interface DemoCommandOptions extends GlobalOptions {
  seed?: string;
  changes?: string;
  months?: string;
  now?: string;
  out?: string;
  import?: boolean;
  quiet?: boolean;
}

/** The demo's steward.yaml, in the same schema users write. */
export function demoConfigYaml(opts: DemoOptions): string {
  const d = demoConfig(opts);
  const doc = {
    hosts: [{ name: d.host.name, url: d.host.url }],
    projects: d.projects.map((name) => ({ name, host: d.host.name, core: { members: d.coreTeam } })),
    bots: d.bots,
    releases: d.releases,
    // The demo tree's areas, so `steward core candidates` measures breadth across them.
    coreRules: { areas: d.areas },
  };
  const text = `# The demo project's configuration, written by \`steward demo\` (seed ${opts.seed ?? 42}).\n${stringify(doc)}`;
  parseConfig(text, 'the demo configuration'); // the demo must always satisfy the real schema
  return text;
}

export async function runDemo(o: DemoCommandOptions, rt: Runtime): Promise<void> {
  const startOfToday = Math.floor(rt.clock() / 86_400_000) * 86_400_000;
  const opts: DemoOptions = {
    seed: o.seed ? parsePositiveInt(o.seed, '--seed') : 42,
    changes: o.changes ? parsePositiveInt(o.changes, '--changes', 1_000_000) : 5000,
    months: o.months ? parsePositiveInt(o.months, '--months', 120) : 12,
    now: o.now ? parseTime(o.now, '--now') : startOfToday,
  };
  const out = resolve(rt.cwd, o.out ?? 'steward-demo');
  try {
    mkdirSync(out, { recursive: true });
  } catch (e) {
    throw new StewardError('INPUT_UNREADABLE', `cannot create the demo folder: ${(e as Error).message}`, { where: out }, { cause: e });
  }
  const restPath = join(out, 'demo-rest.json');
  const sshPath = join(out, 'demo-ssh.json');
  const yamlPath = join(out, 'steward.yaml');
  const yamlText = demoConfigYaml(opts);
  writeFileSync(yamlPath, yamlText);
  await writeRestExport(opts, restPath, { pageSize: 500 });
  await writeSshExport(opts, sshPath);
  if (!o.quiet) rt.stdout(`Wrote ${restPath} (REST format), ${sshPath} (SSH format) and ${yamlPath}.\n`);
  if (o.import === false) return;

  const store = await openStoreFor(o, rt);
  try {
    const host = demoConfig(opts).host;
    const summary = await importFiles(store, [restPath], { host: host.name, hostUrl: host.url });
    if (summary.stopped) throw summary.stopped.error;
    // Reports read the demo's core team and bots from here when there is no steward.yaml.
    await store.db
      .insertInto('meta')
      .values({ key: DEMO_CONFIG_META_KEY, value: yamlText })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: yamlText }))
      .execute();
    if (!o.quiet) rt.stdout(renderImportSummary(summary));
  } finally {
    await store.close();
  }
}
