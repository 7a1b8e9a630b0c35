import {
  Application,
  ApplicationProps,
  Cpu,
  DependencyCondition,
  DiagnosticLevel,
  EnvSource,
  EnvValue,
  Gateway,
  IngressSource,
  Image,
  Memory,
  MonitoringProps,
  Monitoring,
  PodSecurityLevel,
  Probe,
  Protocol,
  RestartPolicy,
  ServiceType,
  UnsupportedError,
} from '../../lib/model';
import { DockerContainerPlan, DockerPlan, DockerRole, dockerEnvValue, GATEWAY_CONFIG_PATH, planDocker } from '../../lib/docker-plan';
import { parse } from 'yaml';
import { httpService, IMAGE, monitoredApp, newApp, worker } from '../model/helpers';

function plan(app: Application, target = 'docker'): DockerPlan {
  return planDocker(app.resolve(), target);
}

function container(p: DockerPlan, key: string): DockerContainerPlan {
  const c = p.containers.find((x) => x.key === key);
  if (!c) throw new Error(`no container '${key}' in ${p.containers.map((x) => x.key).join(', ')}`);
  return c;
}

/** The UnsupportedError `fn` throws. */
function unsupported(fn: () => unknown): UnsupportedError {
  try {
    fn();
  } catch (e) {
    if (e instanceof UnsupportedError) return e;
    throw e;
  }
  throw new Error('expected an UnsupportedError');
}

describe('containers, replicas and volumes', () => {
  const app = newApp();
  const db = httpService(app, 'db', {
    ports: [{ port: 5432, name: 'postgres' }],
    replicas: 2,
    volumes: [{ name: 'pgdata', mountPath: '/var/lib/postgresql/data' }],
  });
  const api = httpService(app, 'api', { dependsOn: [db], volumes: [{ name: 'uploads', mountPath: '/uploads', readOnly: true }] });
  httpService(app, 'web', { replicas: 3, dependsOn: [api] });
  const p = plan(app);

  test('replicated services get keys <service>-<n> and names <app>-<service>-<n>; single ones keep the service name', () => {
    expect(p.containers.map((c) => [c.key, c.containerName, c.index])).toEqual([
      ['db-1', 'app-db-1', 1],
      ['db-2', 'app-db-2', 2],
      ['api', 'app-api-1', 1],
      ['web-1', 'app-web-1', 1],
      ['web-2', 'app-web-2', 2],
      ['web-3', 'app-web-3', 3],
    ]);
    expect(p.containers.every((c) => c.role === DockerRole.SERVICE)).toBe(true);
  });

  test('a dependent waits for every replica of its dependency', () => {
    expect(container(p, 'api').dependsOn).toEqual([
      { key: 'db-1', condition: DependencyCondition.STARTED },
      { key: 'db-2', condition: DependencyCondition.STARTED },
    ]);
    expect(container(p, 'web-2').dependsOn).toEqual([{ key: 'api', condition: DependencyCondition.STARTED }]);
  });

  test('persistent volumes: one per replica of a replicated service, like a StatefulSet', () => {
    expect(p.volumes).toEqual([
      { key: 'pgdata-1', name: 'app-pgdata-1', service: 'db', volume: 'pgdata' },
      { key: 'pgdata-2', name: 'app-pgdata-2', service: 'db', volume: 'pgdata' },
      { key: 'uploads', name: 'app-uploads', service: 'api', volume: 'uploads' },
    ]);
    expect(container(p, 'db-2').volumeMounts).toEqual([{ volume: 'pgdata-2', target: '/var/lib/postgresql/data', readOnly: false }]);
    expect(container(p, 'api').volumeMounts).toEqual([{ volume: 'uploads', target: '/uploads', readOnly: true }]);
  });
});

describe('networks', () => {
  const app = newApp();
  const db = httpService(app, 'db', { ports: [{ port: 5432 }] });
  const cache = httpService(app, 'cache', { ports: [{ port: 6379 }] });
  const api = httpService(app, 'api', { replicas: 2, dependsOn: [db, cache] });
  const web = httpService(app, 'web', { dependsOn: [api], sidecars: [{ name: 'proxy', image: IMAGE, ports: [{ port: 15001 }] }] });
  httpService(app, 'admin', { dependsOn: [db] });
  new Gateway(app, 'gateway', {
    routes: [
      { path: '/', service: web },
      { path: '/api', service: api },
    ],
  });
  const p = plan(app);

  /** network -> [container key, aliases] of every container that joins it. */
  const members = (network: string) =>
    p.containers.flatMap((c) => c.networks.filter((n) => n.network === network).map((n) => [c.key, n.aliases]));

  test('one network per service', () => {
    expect(p.networks).toEqual([
      ...['db', 'cache', 'api', 'web', 'admin'].map((s) => ({ key: s, name: `app-${s}`, service: s, internal: true })),
      { key: '_edge', name: 'app--edge', service: '', internal: false },
    ]);
  });

  test('a network is joined exactly by its service (with the alias), its dependents and the gateway when routed', () => {
    expect(members('db')).toEqual([
      ['db', ['db']],
      ['api-1', []],
      ['api-2', []],
      ['admin', []],
    ]);
    expect(members('cache')).toEqual([
      ['cache', ['cache']],
      ['api-1', []],
      ['api-2', []],
    ]);
    // replicas share one alias: Docker DNS round robin
    expect(members('api')).toEqual([
      ['api-1', ['api']],
      ['api-2', ['api']],
      ['web', []],
      ['gateway', []],
    ]);
    expect(members('web')).toEqual([
      ['web', ['web']],
      ['gateway', []],
    ]);
    expect(members('admin')).toEqual([['admin', ['admin']]]);
  });

  test("sidecars join no network: they share the service container's namespace", () => {
    const proxy = container(p, 'web-proxy');
    expect(proxy).toMatchObject({
      containerName: 'app-web-1-proxy',
      role: DockerRole.SIDECAR,
      service: 'web',
      networks: [],
      networkModeOf: 'web',
      ports: [],
      dependsOn: [{ key: 'web', condition: DependencyCondition.STARTED }],
    });
    expect(proxy.labels['app.kubernetes.io/component']).toBe('sidecar');
    // the namespace owner exposes the sidecar's port
    expect(container(p, 'web').ports).toEqual([
      { port: 8080, protocol: Protocol.TCP, publish: undefined },
      { port: 15001, protocol: Protocol.TCP, publish: undefined },
    ]);
  });

  test('containers come dependencies first, the gateway last', () => {
    expect(p.containers.map((c) => c.key)).toEqual(['db', 'cache', 'api-1', 'api-2', 'web', 'web-proxy', 'admin', 'gateway']);
  });
});

describe('sidecar health checks and files', () => {
  function sidecarPlan() {
    const app = newApp();
    httpService(app, 'orders', {
      readinessProbe: Probe.http('/ready'),
      sidecars: [
        {
          name: 'proxy',
          image: IMAGE,
          ports: [{ port: 9901, name: 'admin' }],
          readinessProbe: Probe.http('/ready', { port: 9901, periodSeconds: 5 }),
          livenessProbe: Probe.tcp({ port: 9901 }),
          configFiles: [{ mountPath: '/etc/envoy/envoy.yaml', content: 'admin: {}' }],
          secretFiles: [{ secretName: 'proxy-tls', key: 'tls.key', mountPath: '/etc/envoy/tls.key' }],
        },
        { name: 'grpc', image: IMAGE, ports: [{ port: 9000 }], readinessProbe: Probe.grpc() },
      ],
    });
    return plan(app);
  }

  test("a sidecar's own probe becomes its own Docker health check", () => {
    const p = sidecarPlan();
    expect(container(p, 'orders-proxy').healthcheck).toEqual({
      test: ['CMD', 'wget', '-q', '-O', '/dev/null', 'http://127.0.0.1:9901/ready'],
      intervalSeconds: 5,
      timeoutSeconds: 3,
      retries: 3,
      startPeriodSeconds: 0,
    });
    expect(container(p, 'orders').healthcheck!.test).toEqual(['CMD', 'wget', '-q', '-O', '/dev/null', 'http://127.0.0.1:8080/ready']);
  });

  test("a sidecar's gRPC probe gives it no health check, with a warning naming the sidecar's field", () => {
    const p = sidecarPlan();
    expect(container(p, 'orders-grpc').healthcheck).toBeUndefined();
    expect(p.diagnostics.map((d) => d.field)).toEqual(['sidecars[proxy].livenessProbe', 'sidecars[grpc].readinessProbe']);
  });

  test('a sidecar mounts its own config and secret files, the main container none of them', () => {
    const p = sidecarPlan();
    expect(container(p, 'orders-proxy').configMounts).toEqual([
      { file: expect.objectContaining({ id: 'orders-proxy-1', content: 'admin: {}' }), target: '/etc/envoy/envoy.yaml' },
    ]);
    expect(container(p, 'orders-proxy').secretMounts).toEqual([
      { secret: expect.objectContaining({ name: 'proxy-tls', key: 'tls.key' }), target: '/etc/envoy/tls.key' },
    ]);
    expect([container(p, 'orders').configMounts, container(p, 'orders').secretMounts]).toEqual([[], []]);
  });
});

describe('filesystems and hardening', () => {
  test('tmpfs for the writable paths of a read-only root and for scratch volumes', () => {
    const app = newApp();
    httpService(app, 'web', {
      security: { writablePaths: ['/tmp', '/var/cache/nginx'] },
      volumes: [{ name: 'scratch', mountPath: '/scratch', scratch: true }],
    });
    httpService(app, 'rw', { security: { readOnlyRootFilesystem: false }, volumes: [{ name: 'work', mountPath: '/work', scratch: true }] });
    const p = plan(app);
    expect(container(p, 'web').tmpfs).toEqual(['/tmp', '/var/cache/nginx', '/scratch']);
    expect(container(p, 'web').readOnly).toBe(true);
    expect(container(p, 'web').volumeMounts).toEqual([]);
    expect(p.volumes).toEqual([]);
    expect(container(p, 'rw').tmpfs).toEqual(['/work']);
    expect(container(p, 'rw').readOnly).toBe(false);
  });

  test('user, caps, no-new-privileges and limits', () => {
    const app = newApp();
    httpService(app, 'web', {
      security: { user: 101, group: 102, capabilitiesAdd: ['NET_BIND_SERVICE'] },
      resources: { cpu: { limit: Cpu.millis(250) }, memory: { request: Memory.mebibytes(64), limit: Memory.mebibytes(96) } },
    });
    httpService(app, 'legacy', { security: { allowPrivilegeEscalation: true, breaksPodSecurity: PodSecurityLevel.RESTRICTED } });
    const p = plan(app);
    expect(container(p, 'web')).toMatchObject({
      user: '101:102',
      capDrop: ['ALL'],
      capAdd: ['NET_BIND_SERVICE'],
      securityOpt: ['no-new-privileges:true'],
      cpus: 0.25,
      memoryLimitMiB: 96,
      memoryReservationMiB: 64,
    });
    expect(container(p, 'legacy')).toMatchObject({
      user: '10001:10001',
      securityOpt: [],
      cpus: 0.5,
      memoryLimitMiB: 256,
      memoryReservationMiB: 128,
    });
  });

  test('config files and secret files are mounted at their paths; config env inlined, secrets stay references', () => {
    const app = newApp({ config: { LOG_LEVEL: 'debug' } });
    httpService(app, 'web', {
      env: { LOG_LEVEL: EnvValue.fromConfig('LOG_LEVEL'), DB_PASSWORD: EnvValue.fromSecret('db', 'password') },
      configFiles: [{ mountPath: '/etc/web/app.yaml', content: 'a: 1\n' }],
      secretFiles: [{ secretName: 'tls', key: 'tls.crt', mountPath: '/etc/tls/tls.crt' }],
    });
    const web = container(plan(app), 'web');
    expect(web.configMounts).toEqual([
      { file: { id: 'web-1', fileName: 'app.yaml', mountPath: '/etc/web/app.yaml', content: 'a: 1\n' }, target: '/etc/web/app.yaml' },
    ]);
    expect(web.secretMounts).toEqual([
      { secret: { name: 'tls', key: 'tls.crt', configKey: 'tls.tls.crt', variable: 'TLS_TLS_CRT' }, target: '/etc/tls/tls.crt' },
    ]);
    const [level, password] = web.env;
    expect(level).toEqual({ name: 'LOG_LEVEL', source: EnvSource.CONFIG, configKey: 'LOG_LEVEL', value: 'debug' });
    expect(dockerEnvValue(level, () => 'unused')).toBe('debug');
    expect(password.value).toBeUndefined();
    expect(dockerEnvValue(password, (ref) => `<${ref.configKey}>`)).toBe('<db.password>');
  });
});

describe('health checks', () => {
  test('command, http and tcp probes become Docker health checks with the same timing', () => {
    const app = newApp();
    httpService(app, 'cmd', {
      healthcheck: Probe.command(['pg_isready', '-U', 'postgres'], {
        periodSeconds: 5,
        timeoutSeconds: 2,
        failureThreshold: 4,
        initialDelaySeconds: 3,
      }),
    });
    httpService(app, 'http', {
      ports: [
        { port: 8080, name: 'http' },
        { port: 9000, name: 'admin' },
      ],
      readinessProbe: Probe.http('/ready', { port: 9000 }),
    });
    httpService(app, 'tcp', { livenessProbe: Probe.tcp() });
    worker(app, 'none');
    const p = plan(app);
    expect(container(p, 'cmd').healthcheck).toEqual({
      test: ['CMD', 'pg_isready', '-U', 'postgres'],
      intervalSeconds: 5,
      timeoutSeconds: 2,
      retries: 4,
      startPeriodSeconds: 3,
    });
    expect(container(p, 'http').healthcheck).toEqual({
      test: ['CMD', 'wget', '-q', '-O', '/dev/null', 'http://127.0.0.1:9000/ready'],
      intervalSeconds: 10,
      timeoutSeconds: 3,
      retries: 3,
      startPeriodSeconds: 0,
    });
    expect(container(p, 'tcp').healthcheck!.test).toEqual(['CMD', 'nc', '-z', '127.0.0.1', '8080']);
    expect(container(p, 'none').healthcheck).toBeUndefined();
  });

  test('a startup probe becomes the start period (delay + period x failures)', () => {
    const app = newApp();
    httpService(app, 'slow', {
      readinessProbe: Probe.http('/ready', { initialDelaySeconds: 1 }),
      startupProbe: Probe.http('/started', { initialDelaySeconds: 5, periodSeconds: 2, failureThreshold: 30 }),
    });
    expect(container(plan(app), 'slow').healthcheck!.startPeriodSeconds).toBe(65);
  });

  test('a grpc readiness probe without an explicit healthcheck is a warning naming that field; dependents wait for started', () => {
    const app = newApp();
    const rpc = httpService(app, 'rpc', { ports: [{ port: 50051, name: 'grpc' }], readinessProbe: Probe.grpc() });
    httpService(app, 'web', { dependsOn: [rpc] });
    const p = plan(app, 'compose');
    expect(container(p, 'rpc').healthcheck).toBeUndefined();
    expect(container(p, 'web').dependsOn).toEqual([{ key: 'rpc', condition: DependencyCondition.STARTED }]);
    expect(p.diagnostics.map((d) => [d.level, d.service, d.field])).toEqual([
      [DiagnosticLevel.WARNING, 'rpc', 'readinessProbe'],
      [DiagnosticLevel.WARNING, 'web', 'dependsOn'],
    ]);
    expect(p.diagnostics[0].message).toMatch(/^is a gRPC probe, which Docker cannot run: Docker targets run no health check/);
    expect(app.resolve().services[1].dependencies[0].condition).toBe(DependencyCondition.HEALTHY);
  });

  test('an explicit grpc healthcheck throws UnsupportedError naming service and field', () => {
    const app = newApp();
    httpService(app, 'rpc', { ports: [{ port: 50051, name: 'grpc' }], healthcheck: Probe.grpc() });
    const err = unsupported(() => plan(app, 'compose'));
    expect(err.diagnostic).toMatchObject({ level: DiagnosticLevel.ERROR, target: 'compose', service: 'rpc', field: 'healthcheck' });
    expect(err.message).toMatch(
      new RegExp(
        /^error \[compose\] service 'rpc': 'healthcheck' a grpc probe cannot be expressed as a Docker health check; /.source +
          /set 'healthcheck: Probe\.command\(\[\.\.\.\]\)'/.source,
      ),
    );
  });

  test('Probe.none() runs no Docker health check; dependents wait for started, with a diagnostic', () => {
    const app = newApp();
    const api = httpService(app, 'api', { readinessProbe: Probe.http('/ready'), healthcheck: Probe.none() });
    httpService(app, 'web', { dependsOn: [api] });
    const p = plan(app);
    expect(container(p, 'api').healthcheck).toBeUndefined();
    expect(container(p, 'web').dependsOn).toEqual([{ key: 'api', condition: DependencyCondition.STARTED }]);
    expect(p.diagnostics.map((d) => [d.service, d.field, d.message])).toEqual([
      [
        'web',
        'dependsOn',
        "waits for 'api' to be healthy, but 'api' has no Docker health check: Docker targets wait only until it has started",
      ],
    ]);
  });

  test('HTTP probe headers are sent by the health check', () => {
    const app = newApp();
    httpService(app, 'web', {
      readinessProbe: Probe.http('/_healthz', { headers: { Cookie: 'shop_session-id=x-readiness-probe', 'X-Probe': '1' } }),
    });
    expect(container(plan(app), 'web').healthcheck!.test).toEqual([
      'CMD',
      'wget',
      '-q',
      '--header',
      'Cookie: shop_session-id=x-readiness-probe',
      '--header',
      'X-Probe: 1',
      '-O',
      '/dev/null',
      'http://127.0.0.1:8080/_healthz',
    ]);
  });

  test('a grpc probe with an explicit command healthcheck is fine', () => {
    const app = newApp();
    httpService(app, 'rpc', {
      ports: [{ port: 50051, name: 'grpc' }],
      readinessProbe: Probe.grpc(),
      healthcheck: Probe.command(['grpc_health_probe', '-addr=:50051']),
    });
    expect(container(plan(app), 'rpc').healthcheck!.test).toEqual(['CMD', 'grpc_health_probe', '-addr=:50051']);
  });

  test('a liveness probe is reported: Docker does not restart unhealthy containers', () => {
    const app = newApp();
    httpService(app, 'web', { livenessProbe: Probe.http('/healthz') });
    expect(plan(app).diagnostics).toEqual([
      {
        level: DiagnosticLevel.WARNING,
        target: 'docker',
        service: 'web',
        field: 'livenessProbe',
        message: 'becomes the health status only: Docker does not restart an unhealthy container',
      },
    ]);
  });
});

describe('restart, labels, diagnostics', () => {
  test('restart policies map to always / on-failure / no', () => {
    const app = newApp();
    worker(app, 'a', { restartPolicy: RestartPolicy.ALWAYS });
    worker(app, 'b', { restartPolicy: RestartPolicy.ON_FAILURE });
    worker(app, 'c', { restartPolicy: RestartPolicy.NEVER, sidecars: [{ name: 'side', image: IMAGE }] });
    const p = plan(app);
    expect(p.containers.map((c) => [c.key, c.restart])).toEqual([
      ['a', 'always'],
      ['b', 'on-failure'],
      ['c', 'no'],
      ['c-side', 'no'],
    ]);
  });

  test('stop signal on the service containers; the grace period on every replica and its sidecars; neither by default', () => {
    const app = newApp();
    worker(app, 'a', { replicas: 2, stopSignal: 'SIGINT', stopGracePeriodSeconds: 45, sidecars: [{ name: 'side', image: IMAGE }] });
    worker(app, 'b', { stopGracePeriodSeconds: 0 });
    worker(app, 'c');
    new Gateway(app, 'gateway', { routes: [{ path: '/', service: httpService(app, 'web') }] });
    const p = plan(app);
    expect(p.containers.map((c) => [c.key, c.stopSignal, c.stopGracePeriodSeconds])).toEqual([
      ['a-1', 'SIGINT', 45],
      ['a-1-side', undefined, 45],
      ['a-2', 'SIGINT', 45],
      ['a-2-side', undefined, 45],
      ['b', undefined, 0],
      ['c', undefined, undefined],
      ['web', undefined, undefined],
      ['gateway', undefined, undefined],
    ]);
    expect(p.diagnostics).toEqual([]);
  });

  test('a metrics endpoint becomes Prometheus labels next to the standard ones', () => {
    const app = newApp();
    httpService(app, 'web', {
      ports: [
        { port: 8080, name: 'http' },
        { port: 9090, name: 'metrics' },
      ],
      metrics: { port: 9090, path: '/prom' },
    });
    expect(container(plan(app), 'web').labels).toEqual({
      'app.kubernetes.io/part-of': 'app',
      'app.kubernetes.io/managed-by': 'microservice-constructs',
      'app.kubernetes.io/name': 'web',
      'microservice-constructs.seccomp': 'engine-default',
      'prometheus.io/scrape': 'true',
      'prometheus.io/port': '9090',
      'prometheus.io/path': '/prom',
    });
  });

  test('autoscaling is a warning diagnostic and runs minReplicas containers', () => {
    const app = newApp();
    httpService(app, 'web', { autoscaling: { minReplicas: 2, maxReplicas: 5 } });
    const p = plan(app, 'compose');
    expect(p.diagnostics).toEqual([
      {
        level: DiagnosticLevel.WARNING,
        target: 'compose',
        service: 'web',
        field: 'autoscaling',
        message: 'cannot be expressed in Docker: runs a fixed 2 replica(s) (minReplicas); scale by hand',
      },
    ]);
    expect(p.containers.map((c) => c.key)).toEqual(['web-1', 'web-2']);
  });

  test('replicas 0 is a warning and creates no container', () => {
    const app = newApp();
    httpService(app, 'web', { replicas: 0 });
    const p = plan(app);
    expect(p.containers).toEqual([]);
    expect(p.diagnostics.map((d) => [d.field, d.message])).toEqual([['replicas', 'is 0: no container is created']]);
  });

  test('ingressFrom narrowed to CIDRs or namespaces is a warning: Docker does not filter by source', () => {
    const app = newApp();
    httpService(app, 'web', {
      serviceType: ServiceType.LOAD_BALANCER,
      ports: [{ port: 8080, publish: 8080 }],
      ingressFrom: [IngressSource.cidr('10.0.0.0/8')],
    });
    httpService(app, 'api', { serviceType: ServiceType.LOAD_BALANCER });
    expect(plan(app).diagnostics.map((d) => [d.service, d.field])).toEqual([['web', 'ingressFrom']]);
  });

  test('a published port on a replicated service throws', () => {
    const app = newApp();
    httpService(app, 'web', { replicas: 3, ports: [{ port: 8080, name: 'http', publish: 8080 }] });
    const err = unsupported(() => plan(app));
    expect(err.diagnostic).toMatchObject({ level: DiagnosticLevel.ERROR, target: 'docker', service: 'web', field: 'ports.publish' });
    expect(err.message).toBe(
      "error [docker] service 'web': 'ports.publish' publishes host port 8080 but runs 3 replicas, " +
        'which cannot share one host port; route it through the gateway instead',
    );
  });
});

describe('gateway', () => {
  const app = newApp();
  const users = httpService(app, 'users', { replicas: 2 });
  const catalog = httpService(app, 'catalog', {
    ports: [
      { port: 8080, name: 'http' },
      { port: 8081, name: 'admin' },
    ],
  });
  const web = httpService(app, 'web');
  worker(app, 'jobs');
  new Gateway(app, 'gateway', {
    host: 'shop.example.com',
    publish: 8088,
    routes: [
      { path: '/', service: web },
      { path: '/api/users', service: users },
      { path: '/api', service: catalog },
      { path: '/api/catalog/admin', service: catalog, port: 8081 },
    ],
  });
  const p = plan(app);
  const gw = container(p, 'gateway');
  const conf = gw.configMounts[0].file.content;

  test("the gateway is an nginx container joining the routed services' networks", () => {
    expect(gw).toMatchObject({
      containerName: 'app-gateway',
      role: DockerRole.GATEWAY,
      image: { reference: 'nginx:1.27-alpine' },
      command: ['nginx', '-e', 'stderr', '-c', GATEWAY_CONFIG_PATH],
      ports: [{ port: 8080, protocol: Protocol.TCP, publish: 8088 }],
      // the routed services' networks, and the edge network its published port needs
      networks: [
        { network: 'web', aliases: [] },
        { network: 'users', aliases: [] },
        { network: 'catalog', aliases: [] },
        { network: '_edge', aliases: [] },
      ],
      tmpfs: ['/tmp'],
      readOnly: true,
      restart: 'always',
    });
    expect(gw.dependsOn.map((d) => d.key)).toEqual(['web', 'users-1', 'users-2', 'catalog']);
    expect(gw.configMounts[0].target).toBe('/etc/nginx/nginx.conf');
  });

  test('the nginx configuration has one location per route, longest prefix first', () => {
    const locations = [...conf.matchAll(/location (\S+) \{\n\s+set \$upstream (\S+);/g)].map((m) => [m[1], m[2]]);
    expect(locations).toEqual([
      ['/api/catalog/admin', 'catalog:8081'],
      ['/api/users', 'users:8080'],
      ['/api', 'catalog:8080'],
      ['/', 'web:8080'],
    ]);
    expect(conf.match(/proxy_pass http:\/\/\$upstream;/g)).toHaveLength(4);
  });

  test('the nginx configuration resolves upstreams through Docker DNS and listens for the host', () => {
    expect(conf).toContain('  resolver 127.0.0.11 valid=5s ipv6=off;\n');
    expect(conf).toContain('    listen 8080;\n');
    expect(conf).toContain('    server_name shop.example.com;\n');
  });

  test('no gateway container without a gateway', () => {
    const bare = newApp();
    httpService(bare, 'web');
    expect(plan(bare).containers.map((c) => c.role)).toEqual([DockerRole.SERVICE]);
  });
});

describe('container keys (a Docker-only rule: Kubernetes renders these applications)', () => {
  test("fails when a service is named like the container key of another service's replica", () => {
    const app = newApp();
    httpService(app, 'web', { replicas: 2 });
    httpService(app, 'web-1');
    expect(() => app.resolve()).not.toThrow();
    expect(unsupported(() => plan(app, 'compose')).message).toBe(
      `error [compose] service 'web-1': 'name' gives Docker container key "web-1" to service 'web-1', which replica 1 of service ` +
        `'web' already has`,
    );
  });

  test('fails when a sidecar key meets another service', () => {
    const app = newApp();
    httpService(app, 'web', { sidecars: [{ name: 'proxy', image: IMAGE }] });
    httpService(app, 'web-proxy');
    expect(unsupported(() => plan(app)).message).toBe(
      `error [docker] service 'web-proxy': 'name' gives Docker container key "web-proxy" to service 'web-proxy', which sidecar ` +
        `'proxy' of service 'web' already has`,
    );
  });

  test('fails when the gateway is named like a service', () => {
    const app = newApp();
    new Gateway(app, 'gateway', { routes: [{ path: '/', service: httpService(app, 'edge', { name: 'gateway' }) }] });
    expect(() => app.resolve()).not.toThrow();
    expect(unsupported(() => plan(app)).message).toBe(
      `error [docker] service 'gateway': 'id' must differ from every service name (the gateway is a container next to them), got "gateway"`,
    );
  });
});

describe('publish address (decided here for both Docker targets)', () => {
  test('published ports listen on 127.0.0.1 unless the port or the application says otherwise; unpublished ones have no address', () => {
    const app = newApp({ publishAddress: '0.0.0.0' });
    httpService(app, 'web', {
      ports: [
        { port: 8080, publish: 8080 },
        { port: 8081, publish: 8081, publishAddress: '::1' },
        { port: 9090, name: 'metrics' },
      ],
    });
    expect(container(plan(app), 'web').ports).toEqual([
      { port: 8080, protocol: Protocol.TCP, publish: 8080, publishAddress: '0.0.0.0' },
      { port: 8081, protocol: Protocol.TCP, publish: 8081, publishAddress: '::1' },
      { port: 9090, protocol: Protocol.TCP },
    ]);
    const plain = newApp();
    httpService(plain, 'web', { ports: [{ port: 8080, publish: 8080 }] });
    expect(container(plan(plain), 'web').ports).toEqual([
      { port: 8080, protocol: Protocol.TCP, publish: 8080, publishAddress: '127.0.0.1' },
    ]);
    expect(container(planDocker(plain.resolve(), 'docker', { publishAddress: '0.0.0.0' }), 'web').ports[0].publishAddress).toBe('0.0.0.0');
  });

  test('fails: an override that is not an address', () => {
    const app = newApp();
    httpService(app, 'web', { ports: [{ port: 8080, publish: 8080 }] });
    expect(() => planDocker(app.resolve(), 'docker', { publishAddress: 'localhost' })).toThrow(
      /'publishAddress' must be an IPv4 or IPv6 address such as '127.0.0.1' or '0.0.0.0', got "localhost"/,
    );
  });
});

describe('monitoring (Prometheus in both Docker targets)', () => {
  const monitored = (monitoring: MonitoringProps = {}, app: ApplicationProps = {}) =>
    plan(monitoredApp({ app, monitoring, more: (a) => httpService(a, 'jobs', { metrics: { port: 8080, path: '/prom' } }) }));

  test('Prometheus joins exactly the networks of the services it scrapes, with no alias there, and no edge network', () => {
    const p = monitored();
    expect(container(p, 'monitoring').networks).toEqual([
      { network: 'monitoring', aliases: ['monitoring'] },
      { network: 'api', aliases: [] },
      { network: 'jobs', aliases: [] },
    ]);
    expect(p.networks.map((n) => n.key)).not.toContain('_edge');
    // The scraped services join nothing new.
    expect(container(p, 'api-1').networks.map((n) => n.network)).toEqual(['api', 'db']);
  });

  test('the flags are arguments, the TSDB a volume, the configuration a file naming each service by its network alias', () => {
    const c = container(monitored({ image: Image.fromRegistry('mc-e2e/prometheus:2') }), 'monitoring');
    expect(c.image.reference).toBe('mc-e2e/prometheus:2');
    expect(c.command).toBeUndefined();
    expect(c.args).toEqual([
      '--config.file=/etc/prometheus/prometheus.yml',
      '--storage.tsdb.path=/prometheus',
      '--web.listen-address=:9090',
    ]);
    expect(c.volumeMounts).toEqual([{ volume: 'monitoring-data', target: '/prometheus', readOnly: false }]);
    expect(c.configMounts.map((m) => m.target)).toEqual(['/etc/prometheus/prometheus.yml']);
    const config = parse(c.configMounts[0].file.content);
    expect(config.scrape_configs).toEqual([
      { job_name: 'api', metrics_path: '/metrics', dns_sd_configs: [{ names: ['api'], type: 'A', port: 9102, refresh_interval: '15s' }] },
      { job_name: 'jobs', metrics_path: '/prom', dns_sd_configs: [{ names: ['jobs'], type: 'A', port: 8080, refresh_interval: '15s' }] },
    ]);
  });

  test('hardened as every service: nobody (65534), read-only root, drop ALL; no health check (the image may lack wget)', () => {
    const c = container(monitored(), 'monitoring');
    expect(c).toMatchObject({ user: '65534:65534', readOnly: true, capDrop: ['ALL'], securityOpt: ['no-new-privileges:true'] });
    expect(c.tmpfs).toEqual(['/tmp']);
    expect(c.healthcheck).toBeUndefined();
    expect(c.ports).toEqual([{ port: 9090, protocol: Protocol.TCP }]);
  });

  test('healthcheck: an image with wget (prom/prometheus) gets its /-/ready check, and dependents can wait for it', () => {
    const p = monitored({ healthcheck: Probe.http('/-/ready', { periodSeconds: 5 }) }, {});
    expect(container(p, 'monitoring').healthcheck).toMatchObject({
      test: ['CMD', 'wget', '-q', '-O', '/dev/null', 'http://127.0.0.1:9090/-/ready'],
      intervalSeconds: 5,
    });
    const app = newApp();
    const mon = new Monitoring(app, 'monitoring', { healthcheck: Probe.http('/-/ready') });
    httpService(app, 'grafana', { dependsOn: [mon.server] });
    expect(container(plan(app), 'grafana').dependsOn).toEqual([{ key: 'monitoring', condition: DependencyCondition.HEALTHY }]);
  });

  test("publish binds the UI to the application's publish address and puts Prometheus on the edge network", () => {
    const p = monitored({ publish: 19090 }, { publishAddress: '0.0.0.0' });
    const c = container(p, 'monitoring');
    expect(c.ports).toEqual([{ port: 9090, protocol: Protocol.TCP, publish: 19090, publishAddress: '0.0.0.0' }]);
    expect(c.networks.map((n) => n.network)).toEqual(['monitoring', 'api', 'jobs', '_edge']);
    expect(container(monitored({ publish: 19090 }), 'monitoring').ports[0].publishAddress).toBe('127.0.0.1');
  });

  test('without services with metrics Prometheus joins only its own network', () => {
    const app = newApp();
    httpService(app, 'web');
    new Monitoring(app, 'monitoring', { port: 9095 });
    const c = container(plan(app), 'monitoring');
    expect(c.networks).toEqual([{ network: 'monitoring', aliases: ['monitoring'] }]);
    expect(parse(c.configMounts[0].file.content).scrape_configs).toEqual([]);
  });
});
