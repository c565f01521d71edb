// Lint: typescript-eslint's recommended rules plus the house rule that dependencies point one way
// (model <- sources/store/analysis <- report <- service <- cli/web). See STYLE.md "Our shape".
import tseslint from 'typescript-eslint';

const restrict = (...folders) => ({
  'no-restricted-imports': ['error', {
    patterns: folders.map((f) => ({ group: [`**/${f}/*`, `../${f}/*`, `../../${f}/*`], message: `this folder may not import from ${f}/ (see STYLE.md: dependencies point one way)` })),
  }],
});

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'bin/**', 'scripts/**', '.bench/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  { files: ['src/model/**/*.ts'], rules: restrict('sources', 'store', 'analysis', 'report', 'cli', 'web', 'demo', 'config') },
  { files: ['src/sources/**/*.ts'], rules: restrict('store', 'analysis', 'report', 'cli', 'web', 'demo', 'config') },
  { files: ['src/analysis/**/*.ts'], rules: restrict('sources', 'store', 'report', 'cli', 'web', 'demo', 'config') },
  { files: ['src/config/**/*.ts'], rules: restrict('sources', 'store', 'analysis', 'report', 'cli', 'web', 'demo') },
  { files: ['src/store/**/*.ts'], rules: restrict('sources', 'analysis', 'report', 'cli', 'web', 'demo') },
  { files: ['src/report/**/*.ts'], rules: restrict('sources', 'store', 'cli', 'web', 'demo') },
  // service/: builds each report's JSON view (gather from store, compute with analysis) for the CLI and the web alike.
  { files: ['src/service/**/*.ts'], rules: restrict('cli', 'web', 'demo') },
  { files: ['src/web/**/*.ts'], rules: restrict('cli', 'demo') },
  // ingest/: the sync and import pipelines (checkpoints, locks, writes through store/); the CLI and the server call them.
  { files: ['src/ingest/**/*.ts'], rules: restrict('cli', 'web', 'report', 'service', 'demo') },
  // The benchmarks measure the ingest and service layers, not the CLI's option parsing.
  { files: ['src/bench/**/*.ts'], rules: restrict('cli') },
);
