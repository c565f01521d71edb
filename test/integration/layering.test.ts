/**
 * The layering of src/ (STYLE.md "Our shape"), held two ways: the lint rule that eslint.config.js
 * builds from its LAYERS table refuses a file that imports across a boundary (a unit test beside a
 * module included), and the real import graph of src/ has no arrow the table does not allow, no
 * circle between folders and no circle between modules.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { ESLint } from 'eslint';
import ts from 'typescript';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SRC = join(ROOT, 'src');

type Layers = Record<string, string[]>;
/** Folder → refused folder → its sub-folders that may still be imported. */
type Exceptions = Record<string, Record<string, string[]>>;

/** The lint config's tables (eslint.config.js is plain JavaScript, loaded as it is at run time). */
async function layerTables(): Promise<{ LAYERS: Layers; EXCEPTIONS: Exceptions }> {
  const url = new URL('../../eslint.config.js', import.meta.url).href;
  return (await import(url)) as { LAYERS: Layers; EXCEPTIONS: Exceptions };
}

const BOUNDARY_RULE = 'no-restricted-imports';

let eslint: ESLint | undefined;
/** The boundary messages ESLint gives `code` as if it were the file `path` (relative to the repository). */
async function boundaryErrors(path: string, code: string): Promise<string[]> {
  eslint ??= new ESLint({ cwd: ROOT });
  const [result] = await eslint.lintText(code, { filePath: join(ROOT, path) });
  return result!.messages.filter((m) => m.ruleId === BOUNDARY_RULE).map((m) => m.message);
}

describe('the lint rule holds each folder to its layer', () => {
  it('refuses a unit test in analysis/ that imports the store, and names both folders', async () => {
    const errors = await boundaryErrors(
      'src/analysis/layering-probe.test.ts',
      "import { openStore } from '../store/open-store.js';\nvoid openStore;\n",
    );
    assert.equal(errors.length, 1, `expected one boundary error, got ${JSON.stringify(errors)}`);
    assert.match(errors[0]!, /src\/analysis\/ may not import from src\/store\//);
  });

  it('lets the same unit test import model/ and the record builders', async () => {
    const code =
      "import type { ChangeRecord } from '../model/records.js';\nimport { makeChange } from '../../test/helpers/builders.js';\nexport const c: ChangeRecord = makeChange(1);\n";
    assert.deepEqual(await boundaryErrors('src/analysis/layering-probe.test.ts', code), []);
  });

  it('catches a boundary at any depth of relative path, through src/, and in export … from', async () => {
    const cases: Array<[string, string]> = [
      ['src/analysis/gerrit-query/probe.ts', "import type { Store } from '../../store/engine.js';\nexport type S = Store;\n"],
      ['src/web/manage/probe.ts', "import { runCli } from '../../cli/main.js';\nvoid runCli;\n"],
      ['src/analysis/gerrit-query/probe.ts', "import type { Store } from '../../../src/store/engine.js';\nexport type S = Store;\n"],
      ['src/store/queries/probe.ts', "export { buildQueueView } from '../../service/queue-view.js';\n"],
      ['src/model/probe.ts', "export * from '../config/load-config.js';\n"],
      ['src/ingest/probe.ts', "import { renderQueueText } from '../report/queue-report.js';\nvoid renderQueueText;\n"],
      ['src/dashboards/probe.ts', "import { ciPage } from '../web/pages/ci-page.js';\nvoid ciPage;\n"],
      ['src/service/probe.ts', "import { bench } from '../bench/run.js';\nvoid bench;\n"],
    ];
    for (const [path, code] of cases) assert.equal((await boundaryErrors(path, code)).length, 1, `${path}: ${code}`);
  });

  it('keeps test helpers that open stores or run the CLI out of src/, and all of test/ out of code', async () => {
    assert.equal(
      (await boundaryErrors('src/analysis/probe.test.ts', "import { ENGINES } from '../../test/helpers/stores.js';\nvoid ENGINES;\n"))
        .length,
      1,
    );
    assert.equal(
      (await boundaryErrors('src/analysis/probe.ts', "import { makeChange } from '../../test/helpers/builders.js';\nvoid makeChange;\n"))
        .length,
      1,
    );
  });

  it('allows what the table allows, and only the documented exception below a refused folder', async () => {
    assert.deepEqual(
      await boundaryErrors(
        'src/web/pages/probe.ts',
        "import type { QueueReport } from '../../report/queue-report.js';\nexport type Q = QueueReport;\n",
      ),
      [],
    );
    assert.deepEqual(
      await boundaryErrors('src/cli/commands/probe.ts', "import { buildApp } from '../../web/build-app.js';\nvoid buildApp;\n"),
      [],
    );
    assert.deepEqual(
      await boundaryErrors(
        'src/service/probe.ts',
        "import { blueprintRefs } from '../sources/links/blueprint-refs.js';\nvoid blueprintRefs;\n",
      ),
      [],
    );
    assert.equal(
      (await boundaryErrors('src/service/probe.ts', "import { x } from '../sources/gerrit/rest-client.js';\nvoid x;\n")).length,
      1,
    );
  });

  it('has an entry for every folder of src/, and its table has no circle', async () => {
    const { LAYERS: table } = await layerTables();
    const folders = readdirSync(SRC).filter((n) => statSync(join(SRC, n)).isDirectory());
    for (const f of folders) assert.ok(table[f], `src/${f}/ has no entry in eslint.config.js LAYERS, so nothing holds its imports`);
    for (const [f, allowed] of Object.entries(table))
      for (const a of allowed) assert.ok(table[a], `LAYERS.${f} names an unknown folder "${a}"`);
    assert.deepEqual(findCycle(new Map(Object.entries(table))), null);
  });
});

/** Every .ts file under `dir`. */
function tsFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) tsFiles(p, out);
    else if (name.endsWith('.ts')) out.push(p);
  }
  return out;
}

/** The file a relative specifier names: './x.js' is x.ts in the sources; a folder is its index.ts. */
function resolveSpecifier(from: string, spec: string): string | null {
  const base = resolve(dirname(from), spec);
  for (const candidate of [base.replace(/\.js$/, '.ts'), base, `${base}.ts`, join(base, 'index.ts')]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return null;
}

interface ImportGraph {
  /** Module (path relative to src/) → the modules under src/ it imports. */
  modules: Map<string, string[]>;
  /** Relative specifiers that name no file, as "module: specifier". */
  unresolved: string[];
}

/** The import graph of src/: static imports, `export … from` and `import type` alike (TypeScript's own pre-parser). */
function importGraph(): ImportGraph {
  const modules = new Map<string, string[]>();
  const unresolved: string[] = [];
  for (const file of tsFiles(SRC)) {
    const name = relative(SRC, file).split(sep).join('/');
    const targets: string[] = [];
    for (const ref of ts.preProcessFile(readFileSync(file, 'utf8'), true, true).importedFiles) {
      if (!ref.fileName.startsWith('.')) continue;
      const target = resolveSpecifier(file, ref.fileName);
      if (!target) unresolved.push(`${name}: ${ref.fileName}`);
      else if (target.startsWith(SRC + sep)) targets.push(relative(SRC, target).split(sep).join('/'));
    }
    modules.set(name, targets);
  }
  return { modules, unresolved };
}

const folderOf = (module: string) => (module.includes('/') ? module.slice(0, module.indexOf('/')) : '');

/** A circle in `graph` as the list of its nodes (first repeated at the end), or null when there is none. */
function findCycle(graph: Map<string, readonly string[]>): string[] | null {
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (node: string): string[] | null => {
    state.set(node, 'open');
    path.push(node);
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === 'open') return [...path.slice(path.indexOf(next)), next];
      if (!state.has(next)) {
        const found = visit(next);
        if (found) return found;
      }
    }
    path.pop();
    state.set(node, 'done');
    return null;
  };
  for (const node of graph.keys()) {
    if (state.has(node)) continue;
    const found = visit(node);
    if (found) return found;
  }
  return null;
}

describe('the import graph of src/', () => {
  const graph = importGraph();

  it('is read whole: every relative import names a file', () => {
    assert.ok(graph.modules.size > 100, `only ${graph.modules.size} modules found under src/`);
    assert.deepEqual(graph.unresolved, []);
  });

  it('has no arrow from a folder to one its layer may not import', async () => {
    const { LAYERS: table, EXCEPTIONS: exceptions } = await layerTables();
    const wrong: string[] = [];
    for (const [module, targets] of graph.modules) {
      const from = folderOf(module);
      for (const t of targets) {
        const to = folderOf(t);
        const excepted = (exceptions[from]?.[to] ?? []).some((sub) => t.startsWith(`${to}/${sub}/`));
        if (to !== from && !(table[from] ?? []).includes(to) && !excepted) wrong.push(`${module} → ${t}`);
      }
    }
    assert.deepEqual(wrong, []);
  });

  it('has no circle between folders', () => {
    const folders = new Map<string, Set<string>>();
    for (const [module, targets] of graph.modules) {
      const from = folderOf(module);
      const out = folders.get(from) ?? new Set<string>();
      for (const t of targets) if (folderOf(t) !== from) out.add(folderOf(t));
      folders.set(from, out);
    }
    assert.deepEqual(findCycle(new Map([...folders].map(([k, v]) => [k, [...v]]))), null);
  });

  it('has no circle between modules', () => {
    assert.deepEqual(findCycle(graph.modules), null);
  });
});
