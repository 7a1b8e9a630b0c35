/*
 * The import rules of docs/DESIGN.md ("Shape") are lint errors: eslint.config.js gives each lib/ folder the modules
 * and packages it may import. Here eslint's Node API lints source text as if it were a file in a lib/ folder (no file
 * is written, so concurrent builds never see it) and the forbidden imports must be reported.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ESLint } from 'eslint';

const REPO = path.resolve(__dirname, '..', '..');
// eslint loads eslint.config.js with a dynamic import(), which jest's sandbox lacks: hand it the config directly.
const config = require(path.join(REPO, 'eslint.config.js'));
const eslint = new ESLint({ cwd: REPO, overrideConfigFile: true, overrideConfig: config });

/** The import sources of `code`, as if in `file`, that the boundary rule reports. */
async function forbidden(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(REPO, file) });
  expect(result.messages.filter((m) => m.fatal)).toEqual([]);
  return result.messages
    .filter((m) => m.ruleId === '@typescript-eslint/no-restricted-imports')
    .map((m) => /^'([^']+)'/.exec(m.message)![1]);
}

const imports = (...sources: string[]) => sources.map((s, i) => `import * as m${i} from '${s}';\nexport { m${i} };\n`).join('');

test('lib/model imports constructs and node builtins only: no backend, cdk8s, pulumi or yaml', async () => {
  const [result] = await eslint.lintText(imports('cdk8s'), { filePath: path.join(REPO, 'lib/model/boundary-probe.ts') });
  expect(result.messages).toEqual([
    expect.objectContaining({
      ruleId: '@typescript-eslint/no-restricted-imports',
      severity: 2,
      message: expect.stringContaining('lib/model may import only constructs and node builtins'),
    }),
  ]);
  expect(
    await forbidden(
      'lib/model/boundary-probe.ts',
      imports(
        'cdk8s',
        'cdk8s-plus-27',
        '@pulumi/pulumi',
        '@pulumi/docker',
        'yaml',
        '../k8s',
        '../docker',
        '../compose/index',
        '../docker-plan',
        '../compose-import',
        '..',
        '../index',
        'constructs',
        'fs',
        'node:path',
        './names',
      ),
    ),
  ).toEqual([
    'cdk8s',
    'cdk8s-plus-27',
    '@pulumi/pulumi',
    '@pulumi/docker',
    'yaml',
    '../k8s',
    '../docker',
    '../compose/index',
    '../docker-plan',
    '../compose-import',
    '..',
    '../index',
  ]);
});

test('re-exports and type-only imports count too', async () => {
  const code =
    "export * from '../k8s';\nexport { DockerPlan } from '../docker-plan';\nimport type { Chart } from 'cdk8s';\nexport type { Chart };\n";
  expect(await forbidden('lib/model/boundary-probe.ts', code)).toEqual(['../k8s', '../docker-plan', 'cdk8s']);
});

test('backends never import each other; Kubernetes does not load pulumi, compose neither pulumi nor cdk8s', async () => {
  expect(
    await forbidden(
      'lib/k8s/boundary-probe.ts',
      imports(
        '../docker',
        '../compose',
        '../docker-plan',
        '@pulumi/pulumi',
        '@pulumi/docker',
        '../model',
        'cdk8s',
        'cdk8s-plus-27',
        'constructs',
      ),
    ),
  ).toEqual(['../docker', '../compose', '../docker-plan', '@pulumi/pulumi', '@pulumi/docker']);
  expect(
    await forbidden(
      'lib/docker/boundary-probe.ts',
      imports('../k8s', '../compose', 'cdk8s', '../model', '../docker-plan', '@pulumi/pulumi', '@pulumi/docker'),
    ),
  ).toEqual(['../k8s', '../compose', 'cdk8s']);
  expect(
    await forbidden(
      'lib/compose/boundary-probe.ts',
      imports(
        '../k8s',
        '../docker',
        'cdk8s',
        'cdk8s-plus-27',
        '@pulumi/pulumi',
        '@pulumi/docker',
        '../model',
        '../docker-plan',
        '../yaml',
        'yaml',
      ),
    ),
  ).toEqual(['../k8s', '../docker', 'cdk8s', 'cdk8s-plus-27', '@pulumi/pulumi', '@pulumi/docker']);
});

test('the Docker plan imports only the model; compose import only the model and yaml', async () => {
  expect(
    await forbidden(
      'lib/docker-plan/boundary-probe.ts',
      imports('../compose', '../docker', '../k8s', 'yaml', 'cdk8s', '@pulumi/pulumi', '../model', 'path'),
    ),
  ).toEqual(['../compose', '../docker', '../k8s', 'yaml', 'cdk8s', '@pulumi/pulumi']);
  expect(
    await forbidden(
      'lib/compose-import/boundary-probe.ts',
      imports('../compose', '../docker-plan', '../k8s', 'cdk8s', '@pulumi/pulumi', '../model', 'yaml', 'fs'),
    ),
  ).toEqual(['../compose', '../docker-plan', '../k8s', 'cdk8s', '@pulumi/pulumi']);
});

test('`npm run synth` (lib/synth) does not load the Pulumi backend', async () => {
  expect(await forbidden('lib/synth/boundary-probe.ts', imports('../docker', '@pulumi/pulumi', '../k8s', '../compose', 'cdk8s'))).toEqual([
    '../docker',
    '@pulumi/pulumi',
  ]);
});

test('every lib/ folder has its import rule', () => {
  const folders = fs
    .readdirSync(path.join(REPO, 'lib'), { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name);
  expect(Object.keys(config.BOUNDARIES).sort()).toEqual(folders.sort());
});
