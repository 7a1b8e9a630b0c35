import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { changeReport, formatChangeReport, readOutputFiles } from '../../lib/synth';

const ROOT = path.resolve(__dirname, '..', '..');
const run = (args: string[], env: NodeJS.ProcessEnv = {}) =>
  spawnSync(process.execPath, ['scripts/run-ts.js', 'main.ts', ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...env } });

describe('npm run synth', () => {
  let outdir: string;
  beforeEach(() => {
    outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-synth-'));
  });
  afterEach(() => fs.rmSync(outdir, { recursive: true, force: true }));

  test('writes Kubernetes, compose and diagram files for every stack and says everything is new', () => {
    const r = run(['--outdir', outdir]);
    expect(r.status).toBe(0);
    for (const stack of ['flask-redis', 'web-mongo', 'my-service', 'shop']) {
      for (const ext of ['k8s.yaml', 'compose.yaml', 'mmd']) expect(fs.existsSync(path.join(outdir, `${stack}.${ext}`))).toBe(true);
    }
    expect(fs.readFileSync(path.join(outdir, 'shop', 'gateway', 'nginx.conf'), 'utf8')).toContain('location /api/users');
    expect(r.stdout).toMatch(/shop\.k8s\.yaml \(kubernetes\): new, \d+ objects/);
    // The shipped stacks acknowledge every warning they keep (shop: catalog's autoscaling in Docker): none is printed.
    expect(r.stderr).not.toMatch(/^warning /m);
  });

  test('reports the changed field when a parameter changes', () => {
    expect(run(['--outdir', outdir, 'my-service']).status).toBe(0);
    const r = run(['--outdir', outdir, 'my-service'], { MY_SERVICE_REPLICAS: '5' });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('~ Deployment/my-service: spec.replicas 3 -> 5');
    expect(r.stdout).toContain('+ service/my-service-5');
    expect(fs.readFileSync(path.join(outdir, 'my-service.k8s.yaml'), 'utf8')).toContain('replicas: 5');
  });

  test('fails on an invalid stack, names service and field, and leaves the existing output untouched', () => {
    expect(run(['--outdir', outdir, 'flask-redis']).status).toBe(0);
    const before = readOutputFiles(outdir);
    const r = run(['--outdir', outdir, '--stacks', 'test/synth/fixtures/invalid-stacks.ts']);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain("stack 'broken': service 'web': 'replicas' must be >= 0, got -1");
    expect(r.stderr).toContain('nothing was written');
    expect(readOutputFiles(outdir)).toEqual(before);
    expect(fs.readdirSync(outdir).filter((f) => f.startsWith('.staging-'))).toEqual([]);
  });

  test('fails only the Docker targets on a Docker-only rule: the Kubernetes output is written, the old compose file kept', () => {
    fs.writeFileSync(path.join(outdir, 'clash.compose.yaml'), '# the previous compose file\n');
    const r = run(['--outdir', outdir, '--stacks', 'test/synth/fixtures/docker-only-clash.ts']);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain(
      `error: stack 'clash': error [compose] service 'web-1': 'name' gives Docker container key "web-1" to service 'web-1'`,
    );
    expect(r.stderr).toContain('their files are unchanged; the other targets were written');
    expect(fs.readFileSync(path.join(outdir, 'clash.k8s.yaml'), 'utf8')).toContain('name: web-1');
    expect(fs.readFileSync(path.join(outdir, 'clash.compose.yaml'), 'utf8')).toBe('# the previous compose file\n');
  });

  test('fails on an unknown stack name', () => {
    const r = run(['--outdir', outdir, 'nope']);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('unknown stack(s) nope; stacks: flask-redis, web-mongo, my-service, shop');
  });

  test('keeps the secret files users put next to the compose file, and drops stale assets', () => {
    expect(run(['--outdir', outdir, 'shop']).status).toBe(0);
    const secret = path.join(outdir, 'shop', 'secrets', 'payments-psp', 'webhook-cert');
    fs.mkdirSync(path.dirname(secret), { recursive: true });
    fs.writeFileSync(secret, 'PEM', { mode: 0o440 });
    const stale = path.join(outdir, 'shop', 'removed-service', 'old.conf');
    fs.mkdirSync(path.dirname(stale), { recursive: true });
    fs.writeFileSync(stale, 'old');
    expect(run(['--outdir', outdir, 'shop']).status).toBe(0);
    expect(fs.readFileSync(secret, 'utf8')).toBe('PEM');
    expect(fs.statSync(secret).mode & 0o777).toBe(0o440);
    expect(fs.existsSync(stale)).toBe(false);
  });

  test('npx cdk8s synth writes the manifests through cdk8s.yaml too', () => {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-cdk8s-'));
    try {
      // The CLI runs in a copy of the project's entry files so the repository's dist/ is not touched.
      for (const entry of ['cdk8s.yaml', 'main.ts', 'lib', 'stacks', 'scripts', 'package.json']) {
        fs.cpSync(path.join(ROOT, entry), path.join(work, entry), { recursive: true });
      }
      fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(work, 'node_modules'));
      const out = execFileSync(path.join(ROOT, 'node_modules', '.bin', 'cdk8s'), ['synth'], {
        cwd: work,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      expect(out).toContain('shop.k8s.yaml');
      expect(fs.readFileSync(path.join(work, 'dist', 'shop.k8s.yaml'), 'utf8')).toContain('kind: Deployment');
      expect(fs.existsSync(path.join(work, '.build', 'cdk8s', 'shop.k8s.yaml'))).toBe(true);
    } finally {
      fs.rmSync(work, { recursive: true, force: true });
    }
  });
});

describe('changeReport', () => {
  const k8s = (replicas: number, extra = '') =>
    `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: ${replicas}\n${extra}`;

  test('lists added, changed (with fields) and removed objects', () => {
    const previous = new Map([['a.k8s.yaml', `${k8s(1)}---\napiVersion: v1\nkind: Service\nmetadata:\n  name: gone\n`]]);
    const report = changeReport(previous, [
      { path: 'a.k8s.yaml', content: `${k8s(2)}---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: new\n` },
    ]);
    expect(report[0].changes).toEqual([
      { kind: 'changed', object: 'Deployment/web', fields: ['spec.replicas 1 -> 2'] },
      { kind: 'added', object: 'ConfigMap/new', fields: [] },
      { kind: 'removed', object: 'Service/gone', fields: [] },
    ]);
    expect(formatChangeReport(report)).toEqual([
      'a.k8s.yaml (kubernetes): 1 added, 1 changed, 1 removed',
      '  ~ Deployment/web: spec.replicas 1 -> 2',
      '  + ConfigMap/new',
      '  - Service/gone',
    ]);
  });

  test('says unchanged and new', () => {
    const same = changeReport(new Map([['a.k8s.yaml', k8s(1)]]), [{ path: 'a.k8s.yaml', content: k8s(1) }]);
    expect(formatChangeReport(same)).toEqual(['a.k8s.yaml (kubernetes): unchanged']);
    const fresh = changeReport(new Map(), [
      { path: 'a.compose.yaml', content: 'services:\n  web:\n    image: a:1\n  db:\n    image: b:1\n' },
    ]);
    expect(formatChangeReport(fresh)).toEqual(['a.compose.yaml (compose): new, 2 objects']);
  });
});
