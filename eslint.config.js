// Lint: typescript-eslint's recommended rules plus the house rule that dependencies point one way
// (STYLE.md "Our shape"): model <- sources/store/analysis/config/dashboards <- ingest, report <-
// service <- web <- cli, and bench over everything. Every folder of src/ has its list below; a
// test file beside a module (src/**/*.test.ts) follows its folder's list. Tests under test/ may
// import anything. test/integration/layering.test.ts holds this config to it.
import tseslint from 'typescript-eslint';

/**
 * Which folders of src/ each folder may import, besides itself. Anything else under src/ is
 * refused, at any depth of relative path.
 */
export const LAYERS = {
  // Typed records, ids, errors: imports nothing of ours.
  model: [],
  config: ['model'],
  sources: ['model'],
  store: ['model'],
  analysis: ['model'],
  // .dash files: parsing and the built-in dashboards.
  dashboards: ['model'],
  // The demo generator writes its exports in Gerrit's own formats, so it uses the connector's
  // payload types (sources/gerrit/*-types.ts), and checks its steward.yaml with the one config
  // parser (demo-config-yaml.ts); it reads and writes no store.
  demo: ['model', 'sources', 'config'],
  // The pipelines that bring a source into the store (checkpoints, locks, writes).
  ingest: ['model', 'sources', 'store', 'config', 'analysis'],
  report: ['model', 'analysis'],
  // Gathers (store), computes (analysis), renders (report): the report catalogue. See EXCEPTIONS.
  service: ['model', 'store', 'analysis', 'config', 'dashboards', 'report'],
  // A thin adapter over service/. The account pages and the auth plugin use the store's
  // users/sessions/audit functions directly (src/store/users-store.ts); pages use analysis types.
  web: ['model', 'store', 'analysis', 'config', 'dashboards', 'report', 'service'],
  // The other adapter, and the entry point: `steward serve` builds the web app, `steward demo`
  // runs the generator, `steward sync` runs ingest.
  cli: ['model', 'config', 'sources', 'store', 'analysis', 'dashboards', 'demo', 'ingest', 'report', 'service', 'web'],
  // Benchmarks are entry points over the whole program: they measure the ingest and service layers
  // (and the web app), never the CLI's option parsing.
  bench: ['model', 'config', 'sources', 'store', 'analysis', 'dashboards', 'demo', 'ingest', 'report', 'service', 'web'],
};

/**
 * Sub-folders a folder may import although their folder is refused, with the reason.
 * service/ -> sources/links/: the one rule for how a commit message names a blueprint
 * (blueprint-refs.ts), pure text matching that the git connector and the blueprint-code report
 * must share; it has no I/O.
 */
export const EXCEPTIONS = {
  service: { sources: ['links'] },
};

const FOLDERS = Object.keys(LAYERS);
const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A specifier reaches src/<folder>/ when a `../` (or a `src/`) is followed directly by the folder's
 * name: '../store/x.js', '../../../store/queries/flow.js', '../../src/store/x.js'.
 */
function reaching(folder, except = []) {
  const tail = except.length ? `(?:\\/(?!(?:${except.map(escape).join('|')})\\/)|$)` : '(?:\\/|$)';
  return `(?:^|\\/)(?:\\.\\.\\/|src\\/)${escape(folder)}${tail}`;
}

function layerPatterns(folder) {
  const allowed = new Set([folder, ...LAYERS[folder]]);
  return FOLDERS.filter((f) => !allowed.has(f)).map((f) => {
    const except = EXCEPTIONS[folder]?.[f] ?? [];
    return {
      regex: reaching(f, except),
      message: `src/${folder}/ may not import from src/${f}/${except.length ? ` (except ${except.map((e) => `${f}/${e}/`).join(', ')})` : ''}: dependencies point one way (STYLE.md "Our shape"; allowed: ${LAYERS[folder].join(', ') || 'nothing of ours'}; see eslint.config.js)`,
    };
  });
}

// Code under src/ never imports the tests' helpers; a unit test beside a module may use the pure
// record builders (test/helpers/*builders.ts import only model/ and analysis/ types), not the
// helpers that open stores, run the CLI or start servers (those tests belong in test/integration).
const NO_TEST_HELPERS = { regex: '(?:^|\\/)test\\/', message: 'code under src/ may not import from test/' };
const ONLY_BUILDERS = {
  regex: '(?:^|\\/)test\\/(?!helpers\\/(?:[a-z-]+-)?(?:builders|fixtures)\\.js$)',
  message:
    'a unit test under src/ may import only the record builders and checked-in reference fixtures from test/helpers/ (*builders.js, *fixtures.js); tests that need stores, the CLI or a server go in test/integration/',
};

const restrict = (patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'bin/**', 'scripts/**', '.bench/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  ...FOLDERS.flatMap((folder) => [
    { files: [`src/${folder}/**/*.ts`], ignores: ['**/*.test.ts'], rules: restrict([...layerPatterns(folder), NO_TEST_HELPERS]) },
    { files: [`src/${folder}/**/*.test.ts`], rules: restrict([...layerPatterns(folder), ONLY_BUILDERS]) },
  ]),
);
