// Lint: typescript-eslint's recommended rules plus the import boundaries of docs/DESIGN.md ("Shape").
// Formatting is prettier's job, not a lint rule here, except the 140-column limit (max-len) prettier cannot wrap.
'use strict';
const { builtinModules } = require('module');
const js = require('@eslint/js');
const tseslint = require('typescript-eslint');

const escapeRe = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The folders under lib/ (each one module with an index.ts). */
const LIB_MODULES = ['model', 'k8s', 'docker', 'compose', 'docker-plan', 'compose-import', 'diagram', 'synth', 'yaml'];

/**
 * What each lib/ module may import: the other lib/ modules (`modules`) and the npm packages (`packages`, besides node
 * builtins, `fs` or `node:fs`). Anything else is an error. A module absent here is not checked.
 */
const BOUNDARIES = {
  // The model: `constructs` only — never a backend, cdk8s, cdk8s-plus, pulumi or yaml.
  model: { modules: [], packages: ['constructs'] },
  // The Docker plan shared by compose and Pulumi: the model only.
  'docker-plan': { modules: ['model'], packages: [] },
  // Compose import: the model and the yaml parser.
  'compose-import': { modules: ['model'], packages: ['yaml'] },
  // Backends never import each other; Kubernetes never loads pulumi, compose neither pulumi nor cdk8s.
  k8s: { modules: ['model', 'yaml'], packages: ['constructs', 'cdk8s', 'cdk8s-plus-27'] },
  docker: { modules: ['model', 'docker-plan', 'yaml'], packages: ['constructs', '@pulumi/pulumi', '@pulumi/docker'] },
  compose: { modules: ['model', 'docker-plan', 'yaml'], packages: ['yaml'] },
  // Helpers.
  diagram: { modules: ['model'], packages: [] },
  yaml: { modules: [], packages: ['yaml'] },
  // `npm run synth` renders Kubernetes, compose and diagrams; it must not load pulumi (lib/docker).
  synth: { modules: ['model', 'k8s', 'compose', 'diagram', 'yaml'], packages: ['cdk8s', 'yaml'] },
};

/** no-restricted-imports patterns that reject every import of `lib/<name>/**` outside its BOUNDARIES entry. */
function boundaryPatterns(name) {
  const { modules, packages } = BOUNDARIES[name];
  const builtins = builtinModules.filter((m) => !m.startsWith('_'));
  const okPackages = [...packages, ...builtins].map(escapeRe).join('|');
  const otherModules = LIB_MODULES.filter((m) => m !== name && !modules.includes(m));
  const onlyPackages = packages.length ? `${packages.join(', ')} and node builtins` : 'node builtins, no npm package';
  const allowed = modules.length ? `only ${modules.map((m) => `lib/${m}`).join(', ')}` : 'no other lib/ module';
  const patterns = [
    {
      // A bare specifier (not relative, not node:) that is not an allowed package or a builtin.
      regex: `^(?![./]|node:)(?!(?:${okPackages})(?:/|$))`,
      message: `lib/${name} may import only ${onlyPackages} (docs/DESIGN.md, Shape).`,
    },
    {
      // The root barrel (lib/index.ts) re-exports every backend, pulumi included.
      regex: '^(?:\\.\\./)*\\.\\.(?:/index)?$',
      message: `lib/${name} must not import the package root (lib/index.ts loads every backend).`,
    },
  ];
  if (otherModules.length) {
    patterns.push({
      regex: `^(?:\\.\\./)+(?:${otherModules.map(escapeRe).join('|')})(?:/|$)`,
      message: `lib/${name} may import ${allowed} (docs/DESIGN.md, Shape).`,
    });
  }
  return patterns;
}

module.exports = tseslint.config(
  {
    ignores: ['node_modules/**', 'out/**', 'dist/**', '.build/**', 'docs/**', 'coverage/**', 'test/e2e/.cache/**', 'test/import/corpus/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    linterOptions: { reportUnusedDisableDirectives: 'off' },
    rules: {
      // `_name` marks a deliberately unused parameter or a property left out of a rest object.
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          ignoreRestSiblings: true,
        },
      ],
      // Off: it flags `\/` inside regex character classes, harmless and common here.
      'no-useless-escape': 'off',
      // Off: cdk8s's own API is typed `any` (Chart.toJson(), ApiObject.toJson()) and overrides must match it.
      '@typescript-eslint/no-explicit-any': 'off',
      // Prettier wraps code at 140 columns but not strings, regular expressions, template literals or comments: no line
      // may pass 140 (split a long string into a concatenation). Deprecated in ESLint 9, still enforced.
      'max-len': ['error', { code: 140, ignoreUrls: true }],
    },
  },
  {
    // Tests, the bench and the entry points may load modules lazily with require().
    files: ['test/**/*.ts', 'bench/**/*.ts', 'main.ts', 'pulumi/**/*.ts'],
    rules: {
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
  {
    // Plain CommonJS scripts (bin/, scripts/, configs, the example apps' servers).
    files: ['**/*.js'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: Object.fromEntries(
        [
          'require',
          'module',
          'exports',
          'process',
          'console',
          '__dirname',
          '__filename',
          'Buffer',
          'URL',
          'setTimeout',
          'clearTimeout',
          'setInterval',
          'clearInterval',
          'setImmediate',
        ].map((g) => [g, 'readonly']),
      ),
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  ...Object.keys(BOUNDARIES).map((name) => ({
    files: [`lib/${name}/**/*.ts`],
    rules: {
      // The TypeScript variant also sees `import x = require('...')`; type-only imports count too.
      '@typescript-eslint/no-restricted-imports': ['error', { patterns: boundaryPatterns(name) }],
    },
  })),
);

module.exports.BOUNDARIES = BOUNDARIES;
