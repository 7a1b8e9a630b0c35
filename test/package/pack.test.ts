/*
 * The npm package as others get it: `npm pack`, install the tarball into a fresh project outside the repo,
 * write a reusable construct there (CachedService = api + redis), compile it against the installed `.d.ts` and
 * render it to Kubernetes, compose and Pulumi Docker resources; the package's `import` command runs there too.
 * Slow (pack + install): one long-timeout suite.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments, parse } from 'yaml';
import { createProject, installedVersion, pack, REPO, run } from './consumer-project';

jest.setTimeout(15 * 60_000);

const PEERS = ['cdk8s', 'cdk8s-plus-27', 'constructs', '@pulumi/pulumi', '@pulumi/docker'];
/** Subpath entries: each backend alone, so a user without Pulumi never loads it. */
const SUBPATHS = {
  model: 'Application',
  k8s: 'ApplicationChart',
  docker: 'DockerApplication',
  compose: 'toComposeYaml',
  'compose-import': 'importCompose',
};
const fixture = (name: string) => fs.readFileSync(path.join(__dirname, 'consumer', name), 'utf8');

let packed: { tarball: string; files: string[] };
let consumer: string;

beforeAll(() => {
  packed = pack();
  consumer = createProject({
    'package.json': JSON.stringify({ name: 'consumer', version: '0.0.0', private: true }, null, 2),
    'tsconfig.json': JSON.stringify(
      {
        compilerOptions: {
          target: 'ES2022',
          // node16 resolution reads the package's `exports` map, as current TypeScript projects do.
          module: 'node16',
          moduleResolution: 'node16',
          strict: true,
          declaration: true,
          esModuleInterop: true,
          skipLibCheck: true,
          types: ['node'],
          outDir: 'dist',
          rootDir: 'src',
        },
        include: ['src'],
      },
      null,
      2,
    ),
    'src/cached-service.ts': fixture('cached-service.ts.txt'),
    'src/render.ts': fixture('render.ts.txt'),
    'src/subpaths.ts': fixture('subpaths.ts.txt'),
    'block-pulumi.js': fixture('block-pulumi.js'),
    'docker-compose.yml': fixture('docker-compose.yml'),
  });
  // Peers pinned to this repo's versions: the npm cache has them, and the test exercises what CI tested.
  const peers = [...PEERS, '@types/node'].map((p) => `${p}@${installedVersion(p)}`);
  run(
    'npm',
    ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', packed.tarball, ...peers],
    consumer,
    10 * 60_000,
  );
});

afterAll(() => {
  if (consumer) fs.rmSync(consumer, { recursive: true, force: true });
  if (packed) fs.rmSync(path.dirname(packed.tarball), { recursive: true, force: true });
});

describe('npm pack', () => {
  test('ships compiled JavaScript and declarations, not tests, stacks or build output', () => {
    expect(packed.files).toEqual(
      expect.arrayContaining(['package.json', 'README.md', 'bin/microservice-constructs.js', 'out/lib/index.js', 'out/lib/index.d.ts']),
    );
    for (const f of packed.files) {
      expect(f).not.toMatch(/^(test|stacks|dist|bench|docs|scripts|out\/(test|stacks|bench))\//);
      expect(f).not.toMatch(/(?<!\.d)\.ts$/);
    }
  });

  test('the installed package declares what a consumer needs', () => {
    const installed = JSON.parse(fs.readFileSync(path.join(consumer, 'node_modules', 'microservice-constructs', 'package.json'), 'utf8'));
    expect(Object.keys(installed.peerDependencies).sort()).toEqual([...PEERS].sort());
    expect(installed.exports['.']).toEqual({ types: './out/lib/index.d.ts', default: './out/lib/index.js' });
    for (const sub of Object.keys(SUBPATHS)) {
      expect(installed.exports[`./${sub}`]).toEqual({ types: `./out/lib/${sub}/index.d.ts`, default: `./out/lib/${sub}/index.js` });
    }
    // Pulumi is for the Docker target only: optional, so npm installs nothing of it for a Kubernetes or compose user.
    expect(installed.peerDependenciesMeta).toEqual({ '@pulumi/pulumi': { optional: true }, '@pulumi/docker': { optional: true } });
    expect(installed.dependencies ?? {}).not.toHaveProperty('@pulumi/docker');
  });
});

describe('a consumer project', () => {
  let outDir: string;

  let imported: string;

  beforeAll(() => {
    // The package's command prints a stack for a compose file; it is compiled with the rest below.
    const bin = path.join(consumer, 'node_modules', '.bin', 'microservice-constructs');
    imported = run(bin, ['import', 'docker-compose.yml', '--name', 'legacy', '--quiet'], consumer).stdout;
    fs.writeFileSync(path.join(consumer, 'src', 'legacy.ts'), imported);
    // The repo's TypeScript compiles the consumer: types must come from the installed package's .d.ts.
    run(process.execPath, [path.join(REPO, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', '.'], consumer);
    run(process.execPath, ['dist/render.js'], consumer);
    outDir = path.join(consumer, 'out');
  });

  test('its construct compiles to JavaScript and declarations', () => {
    expect(fs.readFileSync(path.join(consumer, 'dist', 'cached-service.d.ts'), 'utf8')).toContain('class CachedService extends Construct');
  });

  test('its `microservice-constructs import` prints a stack that compiles against the package', () => {
    expect(imported).toContain("from 'microservice-constructs'");
    expect(imported).toContain("new Microservice(app, 'web'");
    expect(fs.existsSync(path.join(consumer, 'dist', 'legacy.js'))).toBe(true);
  });

  test('renders Kubernetes YAML', () => {
    const docs = parseAllDocuments(fs.readFileSync(path.join(outDir, 'consumer.k8s.yaml'), 'utf8')).map((d) => d.toJS());
    const named = (kind: string, name: string) => docs.find((d) => d.kind === kind && d.metadata.name === name);
    expect(named('Deployment', 'catalog-api')?.spec.replicas).toBe(2);
    expect(named('Service', 'catalog-api')?.spec.ports[0].port).toBe(8080);
    expect(named('Service', 'catalog-redis')?.spec.ports[0].port).toBe(6379);
    const api = named('Deployment', 'catalog-api')!.spec.template.spec.containers[0];
    expect(api.env).toEqual(expect.arrayContaining([{ name: 'CATALOG_REDIS_HOST', value: 'catalog-redis' }]));
    expect(docs.some((d) => d.kind === 'PersistentVolumeClaim')).toBe(true);
    expect(docs.some((d) => d.kind === 'NetworkPolicy')).toBe(true);
  });

  test('renders a compose file', () => {
    const compose = parse(fs.readFileSync(path.join(outDir, 'consumer.compose.yaml'), 'utf8'));
    // The api's 2 replicas are 2 compose services sharing one network alias.
    expect(Object.keys(compose.services).sort()).toEqual(['catalog-api-1', 'catalog-api-2', 'catalog-redis']);
    const api = compose.services['catalog-api-1'];
    expect(api.image).toBe('ghcr.io/acme/catalog:1.2.3');
    expect(JSON.stringify(api.depends_on)).toContain('catalog-redis');
    expect(JSON.stringify(api.environment)).toContain('catalog-redis');
    expect(Object.keys(compose.volumes)).toHaveLength(1);
  });

  test('each subpath entry resolves, with its declarations', () => {
    const script = `const subs = ${JSON.stringify(SUBPATHS)};
      console.log(JSON.stringify(Object.entries(subs).map(([s, name]) => {
        const file = require.resolve('microservice-constructs/' + s);
        return [s, require('path').relative(process.cwd(), file), typeof require(file)[name]];
      })));`;
    const resolved = JSON.parse(run(process.execPath, ['-e', script], consumer).stdout);
    expect(resolved).toEqual(
      Object.keys(SUBPATHS).map((sub) => [sub, `node_modules/microservice-constructs/out/lib/${sub}/index.js`, 'function']),
    );
    // src/subpaths.ts compiled above (node16 resolution, through `exports`); older `node` resolution reads typesVersions.
    expect(fs.existsSync(path.join(consumer, 'dist', 'subpaths.d.ts'))).toBe(true);
    run(
      process.execPath,
      [
        path.join(REPO, 'node_modules', 'typescript', 'bin', 'tsc'),
        '--noEmit',
        '--strict',
        '--skipLibCheck',
        '--esModuleInterop',
        '--module',
        'commonjs',
        '--moduleResolution',
        'node10',
        '--types',
        'node',
        'src/subpaths.ts',
      ],
      consumer,
    );
  });

  test('the Kubernetes, compose and compose-import entries never load Pulumi', () => {
    // block-pulumi.js makes every `@pulumi/*` load throw, as if Pulumi were not installed.
    run(process.execPath, ['-r', './block-pulumi.js', 'dist/subpaths.js'], consumer);
    const out = JSON.parse(fs.readFileSync(path.join(outDir, 'subpaths.json'), 'utf8'));
    expect([out.pulumiRequests, out.pulumiModules]).toEqual([[], []]);
    expect(parseAllDocuments(out.k8s).map((d) => d.toJS().kind)).toContain('Deployment');
    expect(Object.keys(parse(out.compose).services)).toEqual(['web']);
    expect(Object.keys(parse(out.imported).services).sort()).toEqual(['redis', 'web']);
    // The Docker entry is the one that loads it.
    const script =
      "const d = require('microservice-constructs/docker');" +
      " console.log(typeof d.DockerApplication, Object.keys(require.cache).some((f) => f.split(require('path').sep).includes('@pulumi')))";
    expect(run(process.execPath, ['-e', script], consumer).stdout.trim()).toBe('function true');
  });

  test('creates Pulumi Docker resources', () => {
    const registered: Array<{ type: string; name: string; inputs: any }> = JSON.parse(
      fs.readFileSync(path.join(outDir, 'pulumi.json'), 'utf8'),
    );
    const ofType = (t: string) => registered.filter((r) => r.type.startsWith(`docker:index/${t}:`));
    expect(
      ofType('remoteImage')
        .map((r) => r.inputs.name)
        .sort(),
    ).toEqual(['ghcr.io/acme/catalog:1.2.3', 'redis:7.2-alpine']);
    const containers = ofType('container');
    // api: 2 replicas + redis: 1.
    expect(containers).toHaveLength(3);
    const apis = containers.filter((c) => c.inputs.envs.includes('CACHE_TTL_SECONDS=60'));
    expect(apis).toHaveLength(2);
    for (const api of apis) expect(api.inputs.envs).toContain('CATALOG_REDIS_HOST=catalog-redis');
    expect(ofType('network').length).toBeGreaterThan(0);
    expect(ofType('volume')).toHaveLength(1);
  });
});
