import * as path from 'path';
import { Construct } from 'constructs';
import { toCompose, toComposeYaml } from '../../lib/compose';
import { Gateway, Image, Memory, Microservice, Probe, Protocol } from '../../lib/model';
import { gatewayNginxConfig } from '../../lib/docker-plan';
import { kitchenSink, minimal } from './fixtures';
import { BUILD_CONTEXT, dockerComposeConfig, httpService, IMAGE, itWithCompose, networksOf, newApp, render, svc, worker } from './helpers';

const sink = render(kitchenSink());

describe('file shape', () => {
  test('Compose Specification form: services first, no version or name key', () => {
    expect(Object.keys(sink.file)).toEqual(['services', 'networks', 'volumes', 'secrets']);
    expect(sink.file).not.toHaveProperty('version');
    expect(sink.file).not.toHaveProperty('name');
  });

  test('services follow the plan order: dependencies first, sidecars after their owner, gateway last', () => {
    expect(Object.keys(sink.file.services)).toEqual([
      'db',
      'cache',
      'api-1',
      'api-1-proxy',
      'api-2',
      'api-2-proxy',
      'worker',
      'job',
      'edge',
      'gateway',
    ]);
  });

  test('absent settings are absent keys, not undefined or empty', () => {
    const solo = svc(render(minimal()), 'solo');
    for (const key of [
      'build',
      'entrypoint',
      'command',
      'environment',
      'expose',
      'ports',
      'volumes',
      'secrets',
      'cap_add',
      'healthcheck',
      'depends_on',
      'network_mode',
      'stop_signal',
      'stop_grace_period',
    ]) {
      expect(solo).not.toHaveProperty(key);
    }
    expect(Object.values(solo).every((v) => v !== undefined)).toBe(true);
    expect(render(minimal()).file).not.toHaveProperty('secrets');
    expect(render(minimal()).file).not.toHaveProperty('volumes');
  });

  test('container names come from the plan', () => {
    expect(svc(sink, 'db').container_name).toBe('sink-db-1');
    expect(svc(sink, 'api-2').container_name).toBe('sink-api-2');
    expect(svc(sink, 'api-2-proxy').container_name).toBe('sink-api-2-proxy');
    expect(svc(sink, 'gateway').container_name).toBe('sink-gateway');
  });
});

describe('images', () => {
  test('a registry image is pulled, not built', () => {
    expect(svc(sink, 'db').image).toBe('postgres:16.4-alpine');
    expect(svc(sink, 'db')).not.toHaveProperty('build');
  });

  test('a Dockerfile image is built with context relative to the project dir, dockerfile, args and target', () => {
    expect(svc(sink, 'api-1').image).toBe('sink/api:dev');
    expect(svc(sink, 'api-1').build).toEqual({
      context: './stacks/flask-redis/web',
      dockerfile: 'Dockerfile',
      args: { VERSION: '1.2' },
      target: 'runtime',
    });
  });

  test.each([
    [BUILD_CONTEXT, '.'],
    [path.dirname(BUILD_CONTEXT), './web'],
    [path.join(BUILD_CONTEXT, 'deeper', 'dist'), '../..'],
  ])('build context seen from project dir %s is %s', (projectDir, context) => {
    const app = newApp();
    httpService(app, 'web', { image: Image.fromDockerfile(BUILD_CONTEXT) });
    const web = svc(toCompose(app, { projectDir }), 'web');
    expect(web.build).toEqual({ context, dockerfile: 'Dockerfile' });
    expect(web.image).toBe('app/web:dev');
  });

  test('imageOverrides point registry images elsewhere', () => {
    const app = newApp({ imageOverrides: { 'nginx:1.27-alpine': 'local/nginx:test' } });
    httpService(app, 'web');
    expect(svc(render(app), 'web').image).toBe('local/nginx:test');
  });
});

describe('process', () => {
  test('command is the entrypoint, args the command; a literal $ is escaped', () => {
    expect(svc(sink, 'api-1').entrypoint).toEqual(['sh', '-c']);
    expect(svc(sink, 'api-1').command).toEqual(['exec server --home $$HOME']);
    expect(svc(sink, 'job')).not.toHaveProperty('entrypoint');
    expect(svc(sink, 'job').command).toEqual(['run', 'once']);
  });

  test('environment: values literal, config inlined, discovery variables, secrets as variables', () => {
    expect(svc(sink, 'api-1').environment).toEqual({
      GREETING: 'costs $$5',
      'discovery.type': 'single-node',
      TOKEN_TTL: '3600',
      LOG_LEVEL: 'debug',
      API_TOKEN: '${API_TOKEN}',
      DB_HOST: 'db',
      DB_PORT: '5432',
      DB_URL: 'postgresql://db:5432',
      CACHE_HOST: 'cache',
      CACHE_PORT: '6379',
    });
    expect(svc(sink, 'db').environment).toEqual({ POSTGRES_PASSWORD: '${DB_PASSWORD}' });
  });

  test('secret variables are listed for the user', () => {
    expect(sink.secretVariables).toEqual([
      { name: 'DB_PASSWORD', secret: 'db', key: 'password' },
      { name: 'API_TOKEN', secret: 'api', key: 'token' },
    ]);
  });
});

describe('ports', () => {
  test('every container port is exposed with its protocol; sidecar ports on the namespace owner', () => {
    expect(svc(sink, 'api-1').expose).toEqual(['8080/tcp', '9090/tcp', '5353/udp', '15001/tcp']);
    expect(svc(sink, 'api-1')).not.toHaveProperty('ports');
  });

  test('published ports are host:container/protocol', () => {
    expect(svc(sink, 'edge').expose).toEqual(['443/tcp']);
    expect(svc(sink, 'edge').ports).toEqual(['127.0.0.1:8443:443/tcp']);
  });

  itWithCompose('one host port for TCP and UDP (DNS on 53): two bindings, and docker-compose takes them', async () => {
    const app = newApp();
    httpService(app, 'dns', {
      ports: [
        { port: 53, publish: 1053 },
        { port: 53, protocol: Protocol.UDP, publish: 1053 },
      ],
    });
    expect(svc(render(app), 'dns').ports).toEqual(['127.0.0.1:1053:53/tcp', '127.0.0.1:1053:53/udp']);
    expect((await dockerComposeConfig(app)).stderr).toBe('');
  });

  test('a published sidecar port is published by the service container', () => {
    const app = newApp();
    httpService(app, 'web', { sidecars: [{ name: 'admin', image: IMAGE, ports: [{ port: 9901, name: 'admin', publish: 9901 }] }] });
    const r = render(app);
    expect(svc(r, 'web').ports).toEqual(['127.0.0.1:9901:9901/tcp']);
    expect(svc(r, 'web-admin')).not.toHaveProperty('ports');
    expect(svc(r, 'web-admin')).not.toHaveProperty('expose');
  });
});

describe('networks', () => {
  test('one internal network per service, named <app>-<service>, and the edge network that is not internal', () => {
    expect(sink.file.networks).toEqual({
      db: { name: 'sink-db', internal: true },
      cache: { name: 'sink-cache', internal: true },
      api: { name: 'sink-api', internal: true },
      worker: { name: 'sink-worker', internal: true },
      job: { name: 'sink-job', internal: true },
      edge: { name: 'sink-edge', internal: true },
      _edge: { name: 'sink--edge' },
    });
  });

  test("a service joins its own network under its service name and its dependencies' networks", () => {
    expect(svc(sink, 'api-1').networks).toEqual({ api: { aliases: ['api'] }, db: {}, cache: {} });
    expect(svc(sink, 'worker').networks).toEqual({ worker: { aliases: ['worker'] }, api: {} });
    expect(svc(sink, 'db').networks).toEqual({ db: { aliases: ['db'] } });
  });

  test("a sidecar shares its owner's network namespace instead of joining networks", () => {
    expect(svc(sink, 'api-2-proxy').network_mode).toBe('service:api-2');
    expect(svc(sink, 'api-2-proxy')).not.toHaveProperty('networks');
    expect(svc(sink, 'api-2-proxy').depends_on).toEqual({ 'api-2': { condition: 'service_started' } });
    expect(svc(sink, 'api-2-proxy').image).toBe('envoyproxy/envoy:v1.31.2');
    expect(svc(sink, 'api-2-proxy').command).toEqual(['-c', '/etc/envoy.yaml']);
  });

  test('the gateway joins exactly the networks of the services it routes to', () => {
    expect(networksOf(svc(sink, 'gateway'))).toEqual(['api', 'edge', '_edge']);
  });
});

describe('storage', () => {
  test('named volumes are top-level with their Docker name, one per replica', () => {
    expect(sink.file.volumes).toEqual({
      'db-data': { name: 'sink-db-data' },
      'api-cache-1': { name: 'sink-api-cache-1' },
      'api-cache-2': { name: 'sink-api-cache-2' },
    });
  });

  test('volume mounts, read-only where asked; config files bind-mounted read-only', () => {
    expect(svc(sink, 'db').volumes).toEqual(['db-data:/var/lib/data']);
    expect(svc(sink, 'api-2').volumes).toEqual([
      'api-cache-2:/cache:ro',
      './sink/api/api-1-app.yaml:/etc/api/app.yaml:ro',
      './sink/api/api-2-app.yaml:/etc/api/extra/app.yaml:ro',
      './sink/api/limits.conf:/etc/api/limits.conf:ro',
    ]);
  });

  test('writable paths and scratch volumes are tmpfs; none when the root is writable', () => {
    expect(svc(sink, 'db').tmpfs).toEqual(['/tmp', '/run/db']);
    expect(svc(sink, 'cache').tmpfs).toEqual(['/tmp', '/scratch']);
    expect(svc(sink, 'worker')).not.toHaveProperty('tmpfs');
  });

  test('config files are assets under the asset dir, shared by replicas, world-readable, content unescaped', () => {
    expect(sink.files).toEqual([
      { path: 'sink/api/api-1-app.yaml', content: 'greeting: hello\n', mode: 0o644 },
      { path: 'sink/api/api-2-app.yaml', content: 'extra: true\n', mode: 0o644 },
      { path: 'sink/api/limits.conf', content: 'rate=$rate\n', mode: 0o644 },
      { path: 'sink/gateway/nginx.conf', content: gatewayNginxConfig(kitchenSink().resolve()), mode: 0o644 },
    ]);
  });

  test('assetDir moves the assets and every reference to them', () => {
    const r = render(kitchenSink(), 'out/assets');
    expect(r.files.map((f) => f.path)).toContain('out/assets/gateway/nginx.conf');
    expect(svc(r, 'gateway').volumes).toEqual(['./out/assets/gateway/nginx.conf:/etc/nginx/nginx.conf:ro']);
    expect(r.file.secrets).toEqual({ 'api_tls.key': { file: './out/assets/secrets/api/tls.key' } });
  });

  test('secret files are file-based top-level secrets mounted at their path', () => {
    expect(sink.file.secrets).toEqual({ 'api_tls.key': { file: './sink/secrets/api/tls.key' } });
    expect(svc(sink, 'api-1').secrets).toEqual([{ source: 'api_tls.key', target: '/etc/api/tls.key' }]);
    expect(sink.secretFiles).toEqual([{ path: 'sink/secrets/api/tls.key', secret: 'api', key: 'tls.key', users: ['10001:10001'] }]);
  });
});

describe('hardening', () => {
  test('secure defaults: non-root user, read-only root, all capabilities dropped, no new privileges', () => {
    const s = svc(sink, 'cache');
    expect(s.user).toBe('10001:10001');
    expect(s.read_only).toBe(true);
    expect(s.cap_drop).toEqual(['ALL']);
    expect(s).not.toHaveProperty('cap_add');
    expect(s.security_opt).toEqual(['no-new-privileges:true']);
  });

  test('overrides: own uid, added capabilities, writable root, privilege escalation', () => {
    expect(svc(sink, 'db').user).toBe('70:70');
    expect(svc(sink, 'api-1').cap_add).toEqual(['NET_BIND_SERVICE']);
    expect(svc(sink, 'worker').read_only).toBe(false);
    expect(svc(sink, 'worker')).not.toHaveProperty('security_opt');
  });

  test('the gateway is hardened like a service', () => {
    const g = svc(sink, 'gateway');
    expect([g.user, g.read_only, g.cap_drop, g.security_opt, g.tmpfs]).toEqual([
      '10001:10001',
      true,
      ['ALL'],
      ['no-new-privileges:true'],
      ['/tmp'],
    ]);
  });
});

describe('health and lifecycle', () => {
  test('a command probe is an exec-form healthcheck with durations in seconds', () => {
    expect(svc(sink, 'db').healthcheck).toEqual({
      test: ['CMD', 'pg_isready', '-U', 'postgres'],
      interval: '5s',
      timeout: '2s',
      retries: 4,
      start_period: '0s',
    });
  });

  test('http and tcp probes run wget / nc inside the container; a startup probe becomes the start period', () => {
    expect(svc(sink, 'api-1').healthcheck).toEqual({
      test: ['CMD', 'wget', '-q', '-O', '/dev/null', 'http://127.0.0.1:8080/ready'],
      interval: '5s',
      timeout: '3s',
      retries: 3,
      start_period: '32s',
    });
    expect(svc(sink, 'cache').healthcheck!.test).toEqual(['CMD', 'nc', '-z', '127.0.0.1', '6379']);
    expect(svc(sink, 'edge').healthcheck!.interval).toBe('7s');
  });

  test('an explicit healthcheck wins over the readiness probe; no probe, no healthcheck', () => {
    const app = newApp();
    httpService(app, 'web', { readinessProbe: Probe.http('/ready'), healthcheck: Probe.command(['/bin/check', '$PORT']) });
    expect(svc(render(app), 'web').healthcheck!.test).toEqual(['CMD', '/bin/check', '$$PORT']);
    expect(svc(sink, 'worker')).not.toHaveProperty('healthcheck');
    expect(svc(sink, 'gateway')).not.toHaveProperty('healthcheck');
  });

  test('stop_signal on the service, stop_grace_period on the service and its sidecars; absent when unset', () => {
    const app = newApp();
    httpService(app, 'web', { stopSignal: 'SIGINT', stopGracePeriodSeconds: 90, sidecars: [{ name: 'proxy', image: IMAGE }] });
    worker(app, 'quick', { stopGracePeriodSeconds: 0 });
    const r = render(app);
    expect(svc(r, 'web')).toMatchObject({ stop_signal: 'SIGINT', stop_grace_period: '90s' });
    expect(svc(r, 'web-proxy').stop_grace_period).toBe('90s');
    expect(svc(r, 'web-proxy')).not.toHaveProperty('stop_signal');
    expect(svc(r, 'quick').stop_grace_period).toBe('0s');
    expect(svc(r, 'quick')).not.toHaveProperty('stop_signal');
    expect(toComposeYaml(app, { projectDir: path.join(__dirname, '..', '..') })).toContain(
      '    stop_signal: SIGINT\n    stop_grace_period: 90s\n',
    );
  });

  test('restart policies', () => {
    expect(svc(sink, 'db').restart).toBe('always');
    expect(svc(sink, 'worker').restart).toBe('on-failure');
    expect(svc(sink, 'job').restart).toBe('no');
    expect(svc(sink, 'api-1-proxy').restart).toBe('always');
  });

  test('depends_on: healthy when the dependency has a health check, started when asked or without one', () => {
    expect(svc(sink, 'api-1').depends_on).toEqual({ db: { condition: 'service_healthy' }, cache: { condition: 'service_started' } });
    expect(svc(sink, 'gateway').depends_on).toEqual({
      'api-1': { condition: 'service_started' },
      'api-2': { condition: 'service_started' },
      edge: { condition: 'service_started' },
    });
    const app = newApp();
    const a = worker(app, 'a', { ports: [{ port: 80 }] });
    worker(app, 'b', { dependsOn: [a] });
    expect(svc(render(app), 'b').depends_on).toEqual({ a: { condition: 'service_started' } });
  });

  test('depending on a replicated service waits for every replica', () => {
    expect(svc(sink, 'worker').depends_on).toEqual({
      'api-1': { condition: 'service_healthy' },
      'api-2': { condition: 'service_healthy' },
    });
  });
});

describe('resources, labels, logging', () => {
  test('deploy.resources: cpu and memory limits, memory reservation', () => {
    expect(svc(sink, 'db').deploy).toEqual({ resources: { limits: { cpus: '1.5', memory: '1024M' }, reservations: { memory: '256M' } } });
    expect(svc(sink, 'cache').deploy).toEqual({ resources: { limits: { cpus: '0.5', memory: '256M' }, reservations: { memory: '128M' } } });
  });

  test('fractional mebibytes are written in KiB', () => {
    const app = newApp();
    httpService(app, 'web', { resources: { memory: { request: Memory.mebibytes(64.5), limit: Memory.mebibytes(128.25) } } });
    expect(svc(render(app), 'web').deploy.resources).toEqual({
      limits: { cpus: '0.5', memory: '131328K' },
      reservations: { memory: '66048K' },
    });
  });

  test('labels: standard, user and metrics labels', () => {
    expect(svc(sink, 'api-1').labels).toEqual({
      'app.kubernetes.io/part-of': 'sink',
      'app.kubernetes.io/managed-by': 'microservice-constructs',
      team: 'core',
      'app.kubernetes.io/name': 'api',
      'microservice-constructs.seccomp': 'engine-default',
      'prometheus.io/scrape': 'true',
      'prometheus.io/port': '9090',
      'prometheus.io/path': '/metrics',
    });
    expect(svc(sink, 'api-1-proxy').labels!['app.kubernetes.io/component']).toBe('sidecar');
  });

  test('logging: the application driver; json-file keeps its rotation options by default', () => {
    expect(svc(sink, 'db').logging).toEqual({ driver: 'local' });
    expect(svc(render(minimal()), 'solo').logging).toEqual({ driver: 'json-file', options: { 'max-size': '10m', 'max-file': '3' } });
  });
});

describe('replicas and gateway', () => {
  test('replicas are one service per instance sharing the service name as alias', () => {
    const app = newApp();
    httpService(app, 'web', { replicas: 3 });
    const r = render(app);
    expect(Object.keys(r.file.services)).toEqual(['web-1', 'web-2', 'web-3']);
    for (const key of ['web-1', 'web-2', 'web-3']) expect(svc(r, key).networks).toEqual({ web: { aliases: ['web'] } });
  });

  test('the gateway runs nginx with the generated config, published on its port', () => {
    const g = svc(sink, 'gateway');
    expect(g.image).toBe('nginx:1.27-alpine');
    expect(g.entrypoint).toEqual(['nginx', '-e', 'stderr', '-c', '/etc/nginx/nginx.conf']);
    expect(g.ports).toEqual(['127.0.0.1:8088:8080/tcp']);
    expect(g.volumes).toEqual(['./sink/gateway/nginx.conf:/etc/nginx/nginx.conf:ro']);
  });

  test('a gateway without routes is not rendered', () => {
    const app = newApp();
    httpService(app, 'web');
    new Gateway(app, 'gateway');
    expect(Object.keys(render(app).file.services)).toEqual(['web']);
  });

  test('a service inside a reusable construct is rendered like any other', () => {
    const app = newApp();
    const team = new Construct(app, 'team');
    new Microservice(team, 'api', { image: IMAGE, ports: [{ port: 80 }] });
    expect(Object.keys(render(app).file.services)).toEqual(['team-api']);
  });
});

describe('sidecars are containers too', () => {
  test('a sidecar gets its own health check, config file and secret, the main container none of them', () => {
    const app = newApp();
    httpService(app, 'orders', {
      sidecars: [
        {
          name: 'proxy',
          image: IMAGE,
          ports: [{ port: 9901, name: 'admin' }],
          healthcheck: Probe.command(['bash', '-c', 'exec 3<>/dev/tcp/127.0.0.1/9901'], { periodSeconds: 5 }),
          configFiles: [{ mountPath: '/etc/envoy/envoy.yaml', content: 'admin: {}' }],
          secretFiles: [{ secretName: 'proxy-tls', key: 'tls.key', mountPath: '/etc/envoy/tls.key' }],
        },
      ],
    });
    const r = render(app);
    const proxy = svc(r, 'orders-proxy');
    expect(proxy.healthcheck).toEqual({
      test: ['CMD', 'bash', '-c', 'exec 3<>/dev/tcp/127.0.0.1/9901'],
      interval: '5s',
      timeout: '3s',
      retries: 3,
      start_period: '0s',
    });
    expect(proxy.volumes).toEqual(['./app/orders/envoy.yaml:/etc/envoy/envoy.yaml:ro']);
    expect(proxy.secrets).toEqual([{ source: 'proxy-tls_tls.key', target: '/etc/envoy/tls.key' }]);
    expect(r.files).toEqual([expect.objectContaining({ path: 'app/orders/envoy.yaml', content: 'admin: {}' })]);
    expect(svc(r, 'orders')).not.toHaveProperty('secrets');
    expect(svc(r, 'orders')).not.toHaveProperty('healthcheck');
  });
});
