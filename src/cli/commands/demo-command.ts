import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { demoAdvisories } from '../../demo/demo-advisories.js';
import { demoConfigYaml } from '../../demo/demo-config-yaml.js';
import { demoConfig, generateDemoChanges, type DemoOptions } from '../../demo/demo-project.js';
import { writeRestExport, writeSshExport } from '../../demo/demo-export.js';
import { parseConfig } from '../../config/load-config.js';
import { readSpecs, specsLayout, storeSpecs } from '../../ingest/specs-sync.js';
import { releaseCalendar } from '../../service/releases.js';
import { DEMO_SPECS_DIR, writeSpecsRepo, type SpecsRepoSummary } from '../../demo/demo-specs-repo.js';
import { importAdvisories } from '../../ingest/advisories-import.js';
import { importFiles } from '../../ingest/import-files.js';
import { advisoryToYaml } from '../../sources/advisories/advisory-yaml.js';
import { demoLaunchpadFiles, generateDemoLaunchpad } from '../../demo/demo-launchpad.js';
import { importLaunchpadFiles } from '../../ingest/launchpad-sync.js';
import { StewardError } from '../../model/errors.js';
import { writeMeta } from '../../store/queries/meta.js';
import { DEMO_CONFIG_META_KEY, openStoreFor, type GlobalOptions, type Runtime } from '../context.js';
import { parsePositiveInt, parseTime } from '../options.js';
import { renderImportSummary } from './import-command.js';
import { existsSync } from 'node:fs';
import { securityBoxFrom, readKeyFile, writeNewKey } from '../security-key.js';
import { secretBox } from '../../store/secret-box.js';
import { plantDemoSecurity } from './demo-security.js';
import { effectiveConfig } from '../context.js';

// Where the tests have long found it.
export { demoConfigYaml } from '../../demo/demo-config-yaml.js';

/** Up to this many changes (the default demo's), `steward demo` keeps the generated changes in memory. */
const KEEP_CHANGES = 5000;

export interface DemoCommandOptions extends GlobalOptions {
  seed?: string;
  changes?: string;
  months?: string;
  now?: string;
  out?: string;
  import?: boolean;
  quiet?: boolean;
}

/**
 * Writes the demo specs repository, or says why not: without git on the PATH the rest of the demo
 * still works (only the specs reports need the repository).
 */
function writeDemoSpecs(opts: DemoOptions, dir: string, warn: (s: string) => void): SpecsRepoSummary | null {
  try {
    return writeSpecsRepo(opts, dir);
  } catch (e) {
    if ((e as { code?: string }).code === 'ENOENT') {
      warn(`steward demo: git is not installed, so the demo specs repository (${dir}) was not written.\n`);
      return null;
    }
    const stderr = String((e as { stderr?: unknown }).stderr ?? '').trim();
    throw new StewardError(
      'INPUT_UNREADABLE',
      `cannot write the demo specs repository: ${stderr || (e as Error).message}`,
      { where: dir },
      { cause: e },
    );
  }
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
  const specs = writeDemoSpecs(opts, join(out, DEMO_SPECS_DIR), o.quiet ? () => {} : rt.stderr);
  const yamlText = demoConfigYaml(opts, specs?.path ?? null);
  writeFileSync(yamlPath, yamlText);
  // The four files below are made from the same changes: up to the default size they are generated
  // once and kept (125 MB of memory at 5,000 changes), rather than generated again for each (each
  // pass took ~0.25 ms of CPU per change); beyond, each file generates them as it streams.
  const changes = (opts.changes ?? 0) <= KEEP_CHANGES ? [...generateDemoChanges(opts)] : undefined;
  await writeRestExport(opts, restPath, { pageSize: 500, changes });
  await writeSshExport(opts, sshPath, changes);
  // Published advisories (issue 16): a few backported fixes, as OSSA-format files.
  const advisories = demoAdvisories(opts, changes).records;
  const advisoriesDir = join(out, 'advisories');
  mkdirSync(advisoriesDir, { recursive: true });
  for (const a of advisories) writeFileSync(join(advisoriesDir, `${a.advisory.id}.yaml`), advisoryToYaml(a.advisory));
  // The Launchpad side: saved searchTasks and bug pages, read back like `steward bugs import`.
  const lpDir = join(out, 'launchpad');
  mkdirSync(lpDir, { recursive: true });
  const lpFiles = demoLaunchpadFiles(generateDemoLaunchpad(opts, changes)).map(([name, text]) => {
    writeFileSync(join(lpDir, name), text);
    return join(lpDir, name);
  });
  if (!o.quiet) {
    const repo = specs ? `, the specs repository ${specs.path} (${specs.commits} commits, ${specs.specs} specs)` : '';
    rt.stdout(`Wrote ${restPath} (REST format), ${sshPath} (SSH format)${repo} and ${yamlPath}.\n`);
  }
  if (o.import === false) return;

  const store = await openStoreFor(o, rt);
  try {
    const host = demoConfig(opts).host;
    const summary = await importFiles(store, [restPath], { host: host.name, hostUrl: host.url });
    if (summary.stopped) throw summary.stopped.error;
    const lp = await importLaunchpadFiles(store, lpFiles);
    // Reports read the demo's core team and bots from here when there is no steward.yaml.
    await writeMeta(store.db, DEMO_CONFIG_META_KEY, yamlText);
    // The demo's specs repository into the store too, so that `steward specs report` has something to
    // show on the demo's first run (npm start) without a `specs sync` first.
    if (specs) {
      const demoYaml = parseConfig(yamlText, 'the demo configuration');
      const { calendar, source } = releaseCalendar(demoYaml, 'the demo project');
      const read = await readSpecs(specs.path, specsLayout(demoYaml));
      await storeSpecs(store, specs.path, read, { calendar, calendarSource: source, syncedAt: rt.clock(), replace: false });
    }
    await importAdvisories(store, advisories, advisories.length, rt.clock);
    if (!o.quiet) {
      rt.stdout(renderImportSummary(summary));
      rt.stdout(`Launchpad side (${lpDir}): ${lp.tasks} bug tasks, ${lp.bugs} bugs.\n`);
    }
    // The security side, sealed with the key in the environment, else a key file beside the exports.
    const keyPath = join(out, 'security.key');
    let box = securityBoxFrom(rt.env as Record<string, string | undefined>);
    if (!box) {
      if (!existsSync(keyPath)) writeNewKey(keyPath);
      box = secretBox(readKeyFile(keyPath));
    }
    const planted = await plantDemoSecurity(store, box, opts.now, (await effectiveConfig(o, rt, store)).config.security);
    if (planted && !o.quiet)
      rt.stdout(
        `Planted the security side: ${Object.keys(planted).length} embargoed items${rt.env.STEWARD_SECURITY_KEY || rt.env.STEWARD_SECURITY_KEY_FILE ? '' : `, sealed with ${keyPath} (export STEWARD_SECURITY_KEY_FILE=${keyPath} to read them)`}.\n`,
      );
  } finally {
    await store.close();
  }
}
