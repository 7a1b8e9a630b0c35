import * as fs from 'fs';
import * as path from 'path';
import { DependencyCondition, EnvSource, ResolvedApplication, ResolvedService } from '../../lib/model';
import { planDocker } from '../../lib/docker-plan';
import { STACKS } from '../../stacks';
import { myService } from '../../stacks/my-service';

function service(resolved: ResolvedApplication, name: string): ResolvedService {
  const s = resolved.services.find((x) => x.name === name);
  if (!s) throw new Error(`no service '${name}' in ${resolved.services.map((x) => x.name).join(', ')}`);
  return s;
}

const STORE_IMAGE = /^(postgres|redis|mongo):/;

describe.each(Object.keys(STACKS))('stack %s', (name) => {
  const resolved = STACKS[name]().resolve();

  test('resolves with the stack name as application name', () => {
    expect(resolved.name).toBe(name);
    expect(resolved.services.length).toBeGreaterThan(0);
  });

  test('plans for Docker without errors', () => {
    expect(() => planDocker(resolved, 'docker')).not.toThrow();
  });

  test('keeps credentials out of plain values', () => {
    for (const s of resolved.services) {
      for (const e of s.env.filter((x) => /PASSWORD|SECRET|TOKEN|API_?KEY|SIGNING_KEY/.test(x.name))) {
        expect({ service: s.name, name: e.name, source: e.source }).toEqual({ service: s.name, name: e.name, source: EnvSource.SECRET });
      }
    }
  });

  test('pins every registry image', () => {
    for (const s of resolved.services) {
      for (const ref of [s.image, ...s.sidecars.map((x) => x.image)].filter((i) => !i.build).map((i) => i.reference)) {
        expect(ref).toMatch(/:[\w][\w.-]*$/);
        expect(ref).not.toMatch(/:latest$/);
      }
    }
  });
});

describe('flask-redis', () => {
  const r = STACKS['flask-redis']().resolve();
  const web = service(r, 'web');

  test('web is built from a Dockerfile and publishes 5000', () => {
    expect(web.image.build).toBeDefined();
    expect(fs.existsSync(path.join(web.image.build!.context, web.image.build!.dockerfile))).toBe(true);
    expect(fs.readFileSync(path.join(web.image.build!.context, web.image.build!.dockerfile), 'utf8')).toMatch(/^FROM python:3/m);
    expect(web.ports).toEqual([
      expect.objectContaining({ port: 5000, publish: 5000 }),
      expect.objectContaining({ port: 8000, name: 'metrics', publish: undefined }),
    ]);
  });

  test('web serves Prometheus metrics on its own, unpublished port 8000', () => {
    expect(web.metrics).toEqual({ port: 8000, path: '/metrics' });
  });

  test('web depends on redis and gets its address', () => {
    expect(service(r, 'redis').image.reference).toMatch(/^redis:/);
    expect(web.dependencies.map((d) => d.service)).toEqual(['redis']);
    expect(web.dependencies[0].condition).toBe(DependencyCondition.HEALTHY);
    expect(web.env).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'REDIS_HOST', value: 'redis' }),
        expect.objectContaining({ name: 'REDIS_PORT', value: '6379' }),
      ]),
    );
    expect(r.services.map((s) => s.name)).toEqual(['redis', 'web']);
  });

  test('web stops with SIGINT, as its Dockerfile says (python as PID 1 ignores SIGTERM); redis keeps the default', () => {
    expect(fs.readFileSync(path.join(web.image.build!.context, web.image.build!.dockerfile), 'utf8')).toMatch(/^STOPSIGNAL SIGINT$/m);
    expect(web.stopSignal).toBe('SIGINT');
    expect(service(r, 'redis').stopSignal).toBeUndefined();
    expect(
      planDocker(r, 'docker')
        .containers.filter((c) => c.stopSignal)
        .map((c) => c.key),
    ).toEqual(['web']);
  });
});

describe('web-mongo', () => {
  const r = STACKS['web-mongo']().resolve();

  test('mongo keeps its data in the named volume dbdata at /data/db', () => {
    const db = r.services.find((s) => s.image.reference.startsWith('mongo:'))!;
    expect(db).toBeDefined();
    expect(db.volumes).toEqual([expect.objectContaining({ name: 'dbdata', mountPath: '/data/db', scratch: false })]);
    expect(planDocker(r, 'docker').volumes.map((v) => v.volume)).toEqual(['dbdata']);
  });

  test('web listens on 8080 and depends on the database', () => {
    const web = service(r, 'web');
    expect(web.ports.map((p) => p.port)).toEqual([8080]);
    expect(web.dependencies.map((d) => service(r, d.service).image.reference)).toEqual([expect.stringMatching(/^mongo:/)]);
  });
});

describe('my-service', () => {
  const saved = process.env.MY_SERVICE_REPLICAS;
  afterEach(() => {
    if (saved === undefined) delete process.env.MY_SERVICE_REPLICAS;
    else process.env.MY_SERVICE_REPLICAS = saved;
  });

  test('3 replicas on port 5000 by default', () => {
    delete process.env.MY_SERVICE_REPLICAS;
    const s = service(STACKS['my-service']().resolve(), 'my-service');
    expect(s.replicas).toBe(3);
    expect(s.ports.map((p) => p.port)).toEqual([5000]);
    expect(s.autoscaling).toBeUndefined();
    expect(s.stopSignal).toBe('SIGINT');
    expect(fs.readFileSync(path.join(s.image.build!.context, s.image.build!.dockerfile), 'utf8')).toMatch(/^STOPSIGNAL SIGINT$/m);
  });

  test('5 replicas with one parameter', () => {
    delete process.env.MY_SERVICE_REPLICAS;
    expect(service(myService({ replicas: 5 }).resolve(), 'my-service').replicas).toBe(5);
  });

  test('5 replicas with MY_SERVICE_REPLICAS=5', () => {
    process.env.MY_SERVICE_REPLICAS = '5';
    const r = STACKS['my-service']().resolve();
    expect(service(r, 'my-service').replicas).toBe(5);
    expect(
      planDocker(r, 'docker')
        .containers.filter((c) => c.service === 'my-service')
        .map((c) => c.key),
    ).toEqual(['my-service-1', 'my-service-2', 'my-service-3', 'my-service-4', 'my-service-5']);
  });
});

describe('shop', () => {
  const r = STACKS.shop().resolve();
  const stores = r.services.filter((s) => STORE_IMAGE.test(s.image.reference));
  const appServices = r.services.filter((s) => !STORE_IMAGE.test(s.image.reference));

  test('a gateway with at least 4 routes in front of the application services', () => {
    expect(r.gateway).toBeDefined();
    expect(r.gateway!.routes.length).toBeGreaterThanOrEqual(4);
    for (const route of r.gateway!.routes) {
      expect(route.path).toMatch(/^\//);
      expect(appServices.map((s) => s.name)).toContain(route.service);
      expect(service(r, route.service).routed).toBe(true);
    }
  });

  test('at least 5 application services and postgres, redis and mongo stores', () => {
    expect(appServices.length).toBeGreaterThanOrEqual(5);
    expect(new Set(stores.map((s) => s.image.reference.split(':')[0]))).toEqual(new Set(['postgres', 'redis', 'mongo']));
    expect(stores.every((s) => s.routed === false)).toBe(true);
  });

  test('health checks on every service but Prometheus, whose image need not have wget (its readiness probe is Kubernetes-only)', () => {
    for (const s of r.services) {
      expect({ name: s.name, health: !!s.healthcheck }).toEqual({ name: s.name, health: s.name !== r.monitoring!.service });
    }
    expect(r.services.find((s) => s.name === 'monitoring')!.readinessProbe?.path).toBe('/-/ready');
  });

  test('autoscaling on catalog', () => {
    expect(service(r, 'catalog').autoscaling).toEqual({ minReplicas: 2, maxReplicas: 6, targetCpuPercent: 70 });
    expect(r.services.filter((s) => s.autoscaling).map((s) => s.name)).toEqual(['catalog']);
  });

  test('config files and secret references', () => {
    expect(r.services.flatMap((s) => s.configFiles).length).toBeGreaterThan(0);
    const secretEnv = r.services.flatMap((s) => s.env.filter((e) => e.source === EnvSource.SECRET));
    expect(secretEnv.length).toBeGreaterThanOrEqual(3);
    expect(secretEnv.every((e) => e.secret && e.value === undefined)).toBe(true);
    expect(r.services.flatMap((s) => s.secretFiles).length).toBeGreaterThan(0);
  });

  test('stores keep data on persistent volumes and are reachable only by their dependents', () => {
    for (const s of stores.filter((x) => !x.image.reference.startsWith('redis'))) {
      expect(s.volumes.some((v) => !v.scratch)).toBe(true);
      expect(s.dependents.length).toBeGreaterThan(0);
    }
  });

  test('application-wide props reach the stack (imageOverrides)', () => {
    const overridden = STACKS.shop({ imageOverrides: { 'mongo:7.0.14': 'registry.local/mongo:7.0.14' } }).resolve();
    expect(overridden.services.map((s) => s.image.reference)).toContain('registry.local/mongo:7.0.14');
  });
});
