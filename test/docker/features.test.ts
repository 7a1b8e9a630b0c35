/*
 * Model features the shipped stacks do not exercise, each rendered through the component against mocks.
 */
import * as pulumi from '@pulumi/pulumi';
import { DockerApplication, FILES_LABEL } from '../../lib/docker';
import { Application, DependencyCondition, EnvValue, Image, Microservice, MicroserviceProps, Probe, RestartPolicy } from '../../lib/model';
import { installMocks, mockId, renderApplication, secretValue, T } from './harness';

beforeAll(async () => {
  await installMocks();
  jest.spyOn(pulumi.log, 'warn').mockImplementation(async () => undefined);
});

let apps = 0;
const image = Image.fromRegistry('ghcr.io/acme/web:1.0.0');
function app(build: (a: Application) => void): Application {
  const a = new Application(`f${++apps}`);
  build(a);
  return a;
}
const web = (a: Application, props: Partial<MicroserviceProps> = {}) =>
  new Microservice(a, 'web', { image, ports: [{ port: 8080 }], ...props });
const reveal = (v: any) => (pulumi.runtime.isRpcSecret(v) ? pulumi.runtime.unwrapRpcSecret(v) : v);

test('a startup probe becomes the start period: its whole failure budget', async () => {
  const r = await renderApplication(
    app((a) =>
      web(a, {
        healthcheck: Probe.command(['true'], { periodSeconds: 7, timeoutSeconds: 2, failureThreshold: 4 }),
        startupProbe: Probe.http('/started', { initialDelaySeconds: 5, periodSeconds: 3, failureThreshold: 10 }),
      }),
    ),
  );
  expect([...r.containers.values()][0].inputs.healthcheck).toEqual({
    tests: ['CMD', 'true'],
    interval: '7s',
    timeout: '2s',
    retries: 4,
    startPeriod: '35s',
  });
});

test('http and tcp probes run inside the container', async () => {
  const r = await renderApplication(
    app((a) => {
      web(a, { healthcheck: Probe.http('/healthz', { port: 8080 }) });
      new Microservice(a, 'db', { image, ports: [{ port: 5432 }], healthcheck: Probe.tcp({ port: 5432 }) });
    }),
  );
  expect(r.containers.get(`${r.app.plan.app}-web-1`)!.inputs.healthcheck.tests).toEqual([
    'CMD',
    'wget',
    '-q',
    '-O',
    '/dev/null',
    'http://127.0.0.1:8080/healthz',
  ]);
  expect(r.containers.get(`${r.app.plan.app}-db-1`)!.inputs.healthcheck.tests).toEqual(['CMD', 'nc', '-z', '127.0.0.1', '5432']);
});

test('a dependency waited for as started is ordered but not awaited; the healthy one is awaited long enough', async () => {
  const r = await renderApplication(
    app((a) => {
      const db = new Microservice(a, 'db', {
        image,
        ports: [{ port: 5432 }],
        healthcheck: Probe.command(['pg_isready'], { periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 6, initialDelaySeconds: 30 }),
      });
      const cache = new Microservice(a, 'cache', { image, ports: [{ port: 6379 }], healthcheck: Probe.command(['redis-cli', 'ping']) });
      const w = web(a);
      w.addDependency(db);
      w.addDependency(cache, { condition: DependencyCondition.STARTED });
    }),
  );
  const name = (s: string) => `${r.app.plan.app}-${s}-1`;
  expect(r.dockerDependencies(r.containers.get(name('web'))!)).toEqual([name('cache'), name('db')]);
  expect(r.containers.get(name('db'))!.inputs).toMatchObject({ wait: true, waitTimeout: 30 + (10 + 5) * 6 });
  expect(r.containers.get(name('cache'))!.inputs.wait).toBeUndefined();
});

test('a writable root gets its files uploaded directly, no seed, no volume', async () => {
  const r = await renderApplication(
    app((a) =>
      web(a, {
        security: { readOnlyRootFilesystem: false },
        configFiles: [{ mountPath: '/etc/web/web.conf', content: 'a=1\n' }],
        secretFiles: [{ secretName: 'web', key: 'token', mountPath: '/etc/web/token' }],
      }),
    ),
  );
  const c = [...r.containers.values()][0];
  expect(r.seeds.size).toBe(0);
  expect(pulumi.runtime.isRpcSecret(c.inputs.uploads)).toBe(true);
  expect(reveal(c.inputs.uploads)).toEqual([
    { file: '/etc/web/web.conf', content: 'a=1\n' },
    { file: '/etc/web/token', content: secretValue('web.token') },
  ]);
  expect(c.inputs.readOnly).toBe(false);
  expect(c.inputs.tmpfs).toBeUndefined();
  expect(r.ofType(T.volume)).toEqual([]);
});

test('a file inside a persistent volume is uploaded into that volume through the seed, each replica its own', async () => {
  const r = await renderApplication(
    app((a) =>
      web(a, {
        replicas: 2,
        volumes: [{ name: 'data', mountPath: '/var/lib/web' }],
        configFiles: [{ mountPath: '/var/lib/web/conf/web.conf', content: 'x' }],
      }),
    ),
  );
  for (const i of [1, 2]) {
    const name = `${r.app.plan.app}-web-${i}`;
    const seed = r.seeds.get(`${name}-files`)!;
    expect(seed.inputs.volumes).toEqual([{ volumeName: `${r.app.plan.app}-data-${i}`, containerPath: '/var/lib/web' }]);
    expect(r.containers.get(name)!.inputs.volumes).toEqual([
      { volumeName: `${r.app.plan.app}-data-${i}`, containerPath: '/var/lib/web', readOnly: false },
    ]);
    expect(Object.fromEntries(r.containers.get(name)!.inputs.labels.map((l: any) => [l.label, l.value]))[FILES_LABEL]).toBe(
      mockId(seed.name),
    );
  }
  expect(
    r
      .ofType(T.volume)
      .map((v) => v.inputs.name)
      .sort(),
  ).toEqual([`${r.app.plan.app}-data-1`, `${r.app.plan.app}-data-2`]);
});

test('a run-to-completion task may stop without failing the deployment', async () => {
  const r = await renderApplication(app((a) => web(a, { restartPolicy: RestartPolicy.ON_FAILURE })));
  expect([...r.containers.values()][0].inputs).toMatchObject({ restart: 'on-failure', mustRun: false });
  const r2 = await renderApplication(app((a) => web(a, { restartPolicy: RestartPolicy.NEVER })));
  expect([...r2.containers.values()][0].inputs).toMatchObject({ restart: 'no', mustRun: false });
});

test('the stop signal and grace period become stopSignal and stopTimeout; sidecars share the grace period; none by default', async () => {
  const r = await renderApplication(
    app((a) =>
      web(a, {
        stopSignal: 'SIGINT',
        stopGracePeriodSeconds: 25,
        sidecars: [{ name: 'agent', image: Image.fromRegistry('ghcr.io/acme/agent:2.0.0') }],
      }),
    ),
  );
  const main = r.containers.get(`${r.app.plan.app}-web-1`)!.inputs;
  const sidecar = r.containers.get(`${r.app.plan.app}-web-1-agent`)!.inputs;
  expect([main.stopSignal, main.stopTimeout]).toEqual(['SIGINT', 25]);
  expect([sidecar.stopSignal, sidecar.stopTimeout]).toEqual([undefined, 25]);
  const plain = [...(await renderApplication(app((a) => web(a)))).containers.values()][0].inputs;
  expect(plain).not.toHaveProperty('stopSignal');
  expect(plain).not.toHaveProperty('stopTimeout');
});

test('sidecars get their own environment, secrets included, and capabilities the service adds', async () => {
  const r = await renderApplication(
    app((a) =>
      web(a, {
        security: { capabilitiesAdd: ['NET_BIND_SERVICE'] },
        sidecars: [
          {
            name: 'agent',
            image: Image.fromRegistry('ghcr.io/acme/agent:2.0.0'),
            env: { TOKEN: EnvValue.fromSecret('agent', 'token'), MODE: EnvValue.fromValue('push') },
          },
        ],
      }),
    ),
  );
  const sidecar = r.containers.get(`${r.app.plan.app}-web-1-agent`)!;
  expect(pulumi.runtime.isRpcSecret(sidecar.inputs.envs)).toBe(true);
  expect(reveal(sidecar.inputs.envs)).toEqual([`TOKEN=${secretValue('agent.token')}`, 'MODE=push']);
  expect(r.containers.get(`${r.app.plan.app}-web-1`)!.inputs.capabilities).toEqual({ drops: ['ALL'], adds: ['NET_BIND_SERVICE'] });
});

test('Dockerfile images are built with their args and target, under their tag', async () => {
  const context = `${__dirname}/../../stacks/my-service/app`;
  const r = await renderApplication(
    app((a) =>
      web(a, {
        image: Image.fromDockerfile(context, {
          tag: 'acme/web:2.0.0',
          buildArgs: { PY: '3.12' },
          target: 'runtime',
          dockerfile: 'Dockerfile',
        }),
      }),
    ),
  );
  const [built] = r.ofType(T.image);
  expect(built.inputs).toMatchObject({ imageName: 'acme/web:2.0.0', skipPush: true, build: { args: { PY: '3.12' }, target: 'runtime' } });
  expect(built.inputs.build.dockerfile).toMatch(/stacks\/my-service\/app\/Dockerfile$/);
});

test('every Docker object is replaced by deleting it first, since its name is fixed', () => {
  const names: string[] = [];
  const a = app((x) => web(x, { configFiles: [{ mountPath: '/etc/web/a', content: 'x' }], volumes: [{ name: 'd', mountPath: '/d' }] }));
  new DockerApplication(
    a.name,
    { application: a },
    {
      transformations: [
        (args) => {
          if (args.type.startsWith('docker:index/') && !args.type.includes('mage'))
            names.push(`${args.name}:${(args.opts as pulumi.CustomResourceOptions).deleteBeforeReplace}`);
          return undefined;
        },
      ],
    },
  );
  expect(names.length).toBe(5);
  for (const n of names) expect(n).toMatch(/:true$/);
});

test('issue 9, Pulumi: servicePort/fromEndpoint = container port, probe headers in the health check, Probe.none() runs none', async () => {
  const r = await renderApplication(
    app((a) => {
      const api = new Microservice(a, 'api', {
        image,
        ports: [{ port: 8079, name: 'http', servicePort: 80 }],
        readinessProbe: Probe.http('/ready', { headers: { Cookie: 'probe=1' } }),
      });
      const rpc = new Microservice(a, 'rpc', { image, ports: [{ port: 50051 }], readinessProbe: Probe.grpc(), healthcheck: Probe.none() });
      web(a, {
        env: {
          API_ADDR: EnvValue.fromEndpoint(api),
          RPC_ADDR: EnvValue.fromEndpoint(rpc),
          'LOG-LEVEL': EnvValue.fromValue('info'),
          TOKEN_TTL: EnvValue.fromValue('3600', { notSecret: true }),
        },
      });
    }),
  );
  const name = (s: string) => `${r.app.plan.app}-${s}-1`;
  expect(reveal(r.containers.get(name('web'))!.inputs.envs)).toEqual(
    expect.arrayContaining([
      'API_ADDR=api:8079',
      'API_PORT=8079',
      'API_URL=http://api:8079',
      'RPC_ADDR=rpc:50051',
      'LOG-LEVEL=info',
      'TOKEN_TTL=3600',
    ]),
  );
  expect(r.containers.get(name('api'))!.inputs.healthcheck.tests).toEqual([
    'CMD',
    'wget',
    '-q',
    '--header',
    'Cookie: probe=1',
    '-O',
    '/dev/null',
    'http://127.0.0.1:8079/ready',
  ]);
  expect(r.containers.get(name('rpc'))!.inputs.healthcheck).toBeUndefined();
  // api is awaited until healthy; rpc has no Docker health check, so it is only started first.
  expect(r.containers.get(name('api'))!.inputs.wait).toBe(true);
  expect(r.containers.get(name('rpc'))!.inputs.wait).toBeUndefined();
});

test("a sidecar's health check and files are its own: the seed fills its file volumes, not the main container's", async () => {
  const r = await renderApplication(
    app((a) =>
      web(a, {
        sidecars: [
          {
            name: 'proxy',
            image: Image.fromRegistry('envoyproxy/envoy:v1.31.2'),
            ports: [{ port: 9901 }],
            healthcheck: Probe.command(['bash', '-c', 'exec 3<>/dev/tcp/127.0.0.1/9901'], { periodSeconds: 5 }),
            configFiles: [{ mountPath: '/etc/envoy/envoy.yaml', content: 'admin: {}' }],
          },
        ],
      }),
    ),
  );
  const main = `${r.app.plan.app}-web-1`;
  const proxy = r.containers.get(`${main}-proxy`)!;
  expect(proxy.inputs.healthcheck).toEqual({
    tests: ['CMD', 'bash', '-c', 'exec 3<>/dev/tcp/127.0.0.1/9901'],
    interval: '5s',
    timeout: '3s',
    retries: 3,
    startPeriod: '0s',
  });
  // Read-only root: the file reaches the sidecar through its own seed container and volume.
  const seed = r.seeds.get(`${main}-proxy-files`)!;
  expect(seed).toBeDefined();
  expect(reveal(seed.inputs.uploads)).toEqual([expect.objectContaining({ content: 'admin: {}' })]);
  expect(proxy.inputs.volumes).toEqual([expect.objectContaining({ containerPath: '/etc/envoy', readOnly: true })]);
  expect(r.seeds.get(`${main}-files`)).toBeUndefined();
  expect(r.containers.get(main)!.inputs.healthcheck).toBeUndefined();
});

test('output URLs name the address a port is published on (127.0.0.1 by default; localhost for all; IPv6 bracketed)', async () => {
  const r = await renderApplication(
    app((a) => {
      web(a, { ports: [{ port: 8080, publish: 8080 }] });
      new Microservice(a, 'api', {
        image,
        ports: [
          { port: 9000, publish: 9000, publishAddress: '0.0.0.0' },
          { port: 9001, publish: 9001, publishAddress: '::1' },
          { port: 9002, publish: 9002, publishAddress: '10.0.0.5' },
        ],
      });
    }),
  );
  expect(r.app.services.web.urls).toEqual(['http://127.0.0.1:8080']);
  expect(r.app.services.api.urls).toEqual(['http://localhost:9000', 'http://[::1]:9001', 'http://10.0.0.5:9002']);
});
