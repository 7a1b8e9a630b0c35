import { Cpu, DependencyCondition, EnvValue, Image, Memory, PodSecurityLevel, Probe, Protocol } from '../../lib/model';
import { container, find, httpService, newApp, podSpec, synth, volumeAt, worker } from './helpers';

describe('main container', () => {
  test('image, command, args and ports come from the model', () => {
    const app = newApp();
    httpService(app, 'web', {
      image: Image.fromRegistry('ghcr.io/acme/web:1.2.3'),
      command: ['python'],
      args: ['app.py', '--port', '8080'],
      ports: [
        { port: 8080, name: 'http' },
        { port: 5353, protocol: Protocol.UDP },
      ],
    });
    const c = container(find(synth(app).objects, 'Deployment', 'web'));
    expect(c.image).toBe('ghcr.io/acme/web:1.2.3');
    expect(c.imagePullPolicy).toBe('IfNotPresent');
    expect(c.command).toEqual(['python']);
    expect(c.args).toEqual(['app.py', '--port', '8080']);
    expect(c.ports).toEqual([
      { containerPort: 8080, name: 'http', protocol: 'TCP' },
      { containerPort: 5353, name: 'port-5353-udp', protocol: 'UDP' },
    ]);
  });

  test('a Dockerfile image runs its build tag', () => {
    const app = newApp({}, 'flask');
    httpService(app, 'web', { image: Image.fromDockerfile(`${__dirname}/../../stacks/flask-redis/web`) });
    expect(container(find(synth(app).objects, 'Deployment', 'web')).image).toBe('flask/web:dev');
  });

  test('env keeps model order: plain values inline, config keys as configMapKeyRef, secrets as secretKeyRef', () => {
    const app = newApp({ config: { LOG_LEVEL: 'debug' } });
    const redis = httpService(app, 'redis', { ports: [{ port: 6379 }] });
    httpService(app, 'web', {
      dependsOn: [redis],
      env: {
        Z_FIRST: EnvValue.fromValue('1'),
        'discovery.type': EnvValue.fromValue('single-node'),
        TOKEN_TTL: EnvValue.fromValue('3600', { notSecret: true }),
        DB_PASSWORD: EnvValue.fromSecret('db-creds', 'password'),
        LOG_LEVEL: EnvValue.fromConfig('LOG_LEVEL'),
        A_LAST: EnvValue.fromValue(''),
      },
    });
    const { objects } = synth(app);
    expect(container(find(objects, 'Deployment', 'web')).env).toEqual([
      { name: 'Z_FIRST', value: '1' },
      { name: 'discovery.type', value: 'single-node' },
      { name: 'TOKEN_TTL', value: '3600' },
      { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db-creds', key: 'password' } } },
      { name: 'LOG_LEVEL', valueFrom: { configMapKeyRef: { name: 'app-config', key: 'LOG_LEVEL' } } },
      { name: 'A_LAST', value: '' },
      { name: 'REDIS_HOST', value: 'redis' },
      { name: 'REDIS_PORT', value: '6379' },
    ]);
    expect(find(objects, 'ConfigMap', 'app-config').data).toEqual({ LOG_LEVEL: 'debug' });
  });

  test('resources render requests and limits as millicores and mebibytes', () => {
    const app = newApp({ resources: { memory: { limit: Memory.gibibytes(1) } } });
    httpService(app, 'web', { resources: { cpu: { request: Cpu.millis(250), limit: Cpu.cores(2) } } });
    expect(container(find(synth(app).objects, 'Deployment', 'web')).resources).toEqual({
      requests: { cpu: '250m', memory: '128Mi' },
      limits: { cpu: '2', memory: '1Gi' }, // the canonical form the API server stores
    });
  });
});

describe('probes', () => {
  test('http, tcp and command probes with their timings', () => {
    const app = newApp();
    httpService(app, 'web', {
      ports: [{ port: 8080, name: 'http' }, { port: 9000 }],
      livenessProbe: Probe.http('/healthz', { initialDelaySeconds: 15, periodSeconds: 20, timeoutSeconds: 2, failureThreshold: 5 }),
      readinessProbe: Probe.tcp({ port: 9000 }),
      startupProbe: Probe.command(['cat', '/tmp/started'], { periodSeconds: 1, failureThreshold: 60 }),
    });
    const c = container(find(synth(app).objects, 'Deployment', 'web'));
    expect(c.livenessProbe).toEqual({
      httpGet: { path: '/healthz', port: 8080, scheme: 'HTTP' },
      initialDelaySeconds: 15,
      periodSeconds: 20,
      timeoutSeconds: 2,
      failureThreshold: 5,
    });
    expect(c.readinessProbe).toEqual({ tcpSocket: { port: 9000 }, periodSeconds: 10, timeoutSeconds: 3, failureThreshold: 3 });
    expect(c.startupProbe).toEqual({
      exec: { command: ['cat', '/tmp/started'] },
      periodSeconds: 1,
      timeoutSeconds: 3,
      failureThreshold: 60,
    });
  });

  test('a gRPC probe is rendered on the main container although cdk8s-plus has no gRPC action', () => {
    const app = newApp();
    httpService(app, 'api', {
      ports: [{ port: 50051, name: 'grpc' }],
      readinessProbe: Probe.grpc({ periodSeconds: 5 }),
      sidecars: [{ name: 'proxy', image: Image.fromRegistry('envoyproxy/envoy:v1.31.2') }],
    });
    const d = find(synth(app).objects, 'Deployment', 'api');
    expect(container(d).readinessProbe).toEqual({ grpc: { port: 50051 }, periodSeconds: 5, timeoutSeconds: 3, failureThreshold: 3 });
    expect(container(d, 'proxy').readinessProbe).toBeUndefined();
  });

  test('no probe is invented when the model has none', () => {
    const app = newApp();
    httpService(app, 'web');
    const c = container(find(synth(app).objects, 'Deployment', 'web'));
    expect(c).not.toHaveProperty('startupProbe');
    expect(c).not.toHaveProperty('livenessProbe');
    expect(c).not.toHaveProperty('readinessProbe');
  });
});

describe('security', () => {
  test('secure defaults: pod and container contexts, no service account token, an emptyDir at /tmp', () => {
    const app = newApp();
    httpService(app, 'web');
    const d = find(synth(app).objects, 'Deployment', 'web');
    const pod = podSpec(d);
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.securityContext).toEqual(
      expect.objectContaining({ runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, fsGroup: 10001 }),
    );
    expect(container(d).securityContext).toEqual({
      runAsNonRoot: true,
      runAsUser: 10001,
      runAsGroup: 10001,
      privileged: false,
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
    });
    expect(volumeAt(d, '/tmp').volume).toEqual({ name: 'tmp', emptyDir: {} });
  });

  test('per-service overrides: user, added capabilities, writable paths, a writable root without emptyDirs', () => {
    const app = newApp({ security: { writablePaths: ['/tmp', '/var/cache/nginx'] } });
    httpService(app, 'proxy', { security: { user: 101, group: 101, capabilitiesAdd: ['NET_BIND_SERVICE'] } });
    httpService(app, 'legacy', {
      security: {
        readOnlyRootFilesystem: false,
        allowPrivilegeEscalation: true,
        runAsNonRoot: false,
        user: 0,
        breaksPodSecurity: PodSecurityLevel.RESTRICTED,
      },
    });
    const { objects } = synth(app);
    const proxy = find(objects, 'Deployment', 'proxy');
    expect(podSpec(proxy).securityContext).toEqual(expect.objectContaining({ runAsUser: 101, runAsGroup: 101, fsGroup: 101 }));
    expect(container(proxy).securityContext.capabilities).toEqual({ drop: ['ALL'], add: ['NET_BIND_SERVICE'] });
    expect(volumeAt(proxy, '/var/cache/nginx').volume).toEqual({ name: 'var-cache-nginx', emptyDir: {} });
    const legacy = find(objects, 'Deployment', 'legacy');
    expect(container(legacy).securityContext).toEqual(
      expect.objectContaining({ readOnlyRootFilesystem: false, allowPrivilegeEscalation: true, runAsNonRoot: false, runAsUser: 0 }),
    );
    expect(container(legacy).volumeMounts).toBeUndefined();
    expect(podSpec(legacy).volumes).toBeUndefined();
  });

  test('a user volume named like a writable path does not collide with its emptyDir', () => {
    const app = newApp();
    httpService(app, 'web', { volumes: [{ name: 'tmp', mountPath: '/data', scratch: true }] });
    const d = find(synth(app).objects, 'Deployment', 'web');
    expect(volumeAt(d, '/data').mount.name).toBe('tmp');
    expect(volumeAt(d, '/tmp').mount.name).toBe('tmp-2');
  });
});

describe('sidecars', () => {
  test('sidecars are extra containers with their own image, ports, security context and writable paths', () => {
    const app = newApp();
    httpService(app, 'orders', {
      sidecars: [
        {
          name: 'proxy',
          image: Image.fromRegistry('envoyproxy/envoy:v1.31.2'),
          args: ['-c', '/etc/envoy/envoy.yaml'],
          ports: [{ port: 15001, name: 'proxy' }],
          env: { ENVOY_UID: EnvValue.fromValue('101') },
          security: { user: 101 },
          resources: { memory: { limit: Memory.mebibytes(64), request: Memory.mebibytes(32) } },
        },
      ],
    });
    const d = find(synth(app).objects, 'Deployment', 'orders');
    expect(podSpec(d).containers.map((c: any) => c.name)).toEqual(['orders', 'proxy']);
    const proxy = container(d, 'proxy');
    expect(proxy).toEqual(
      expect.objectContaining({
        image: 'envoyproxy/envoy:v1.31.2',
        args: ['-c', '/etc/envoy/envoy.yaml'],
        ports: [{ containerPort: 15001, name: 'proxy', protocol: 'TCP' }],
        env: [{ name: 'ENVOY_UID', value: '101' }],
      }),
    );
    expect(proxy.securityContext).toEqual(
      expect.objectContaining({ runAsUser: 101, runAsGroup: 10001, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } }),
    );
    expect(proxy.resources.limits.memory).toBe('64Mi');
    // Its own /tmp, not the main container's.
    expect(volumeAt(d, '/tmp', 'proxy').mount.name).not.toBe(volumeAt(d, '/tmp').mount.name);
  });
  test('a sidecar has its own probes (gRPC and headers patched onto its own container) and mounts its own files', () => {
    const app = newApp();
    httpService(app, 'orders', {
      readinessProbe: Probe.grpc({ port: 8080 }),
      configFiles: [{ mountPath: '/etc/orders/orders.conf', content: 'a=1' }],
      secretFiles: [{ secretName: 'shared', key: 'main', mountPath: '/etc/orders/main.key' }],
      sidecars: [
        {
          name: 'proxy',
          image: Image.fromRegistry('envoyproxy/envoy:v1.31.2'),
          ports: [
            { port: 15001, name: 'proxy' },
            { port: 9901, name: 'admin' },
          ],
          readinessProbe: Probe.http('/ready', { port: 9901, periodSeconds: 5 }),
          livenessProbe: Probe.http('/server_info', { port: 9901, headers: { 'X-Probe': 'kubelet' } }),
          startupProbe: Probe.grpc({ port: 15001 }),
          configFiles: [{ mountPath: '/etc/envoy/envoy.yaml', content: 'admin: {}' }],
          secretFiles: [{ secretName: 'shared', key: 'proxy', mountPath: '/etc/envoy/proxy.key' }],
        },
      ],
    });
    const { objects } = synth(app);
    const d = find(objects, 'Deployment', 'orders');
    const proxy = container(d, 'proxy');
    expect(proxy.readinessProbe).toEqual({
      httpGet: { path: '/ready', port: 9901, scheme: 'HTTP' },
      periodSeconds: 5,
      timeoutSeconds: 3,
      failureThreshold: 3,
    });
    expect(proxy.livenessProbe.httpGet).toEqual({
      path: '/server_info',
      port: 9901,
      scheme: 'HTTP',
      httpHeaders: [{ name: 'X-Probe', value: 'kubelet' }],
    });
    expect(proxy.startupProbe.grpc).toEqual({ port: 15001 });
    // The main container keeps its own probe and gets none of the sidecar's.
    expect(container(d).readinessProbe.grpc).toEqual({ port: 8080 });
    expect(container(d).livenessProbe).toBeUndefined();
    // One ConfigMap for the pod, each container mounting its own file from it.
    expect(find(objects, 'ConfigMap', 'orders-files').data).toEqual({ 'orders-1': 'a=1', 'orders-proxy-1': 'admin: {}' });
    expect(volumeAt(d, '/etc/envoy/envoy.yaml', 'proxy').mount).toMatchObject({ subPath: 'orders-proxy-1', readOnly: true });
    expect(volumeAt(d, '/etc/orders/orders.conf').mount).toMatchObject({ subPath: 'orders-1', readOnly: true });
    // One volume per secret, each container mounting only its own key.
    expect(volumeAt(d, '/etc/envoy/proxy.key', 'proxy').mount).toMatchObject({ subPath: 'proxy', readOnly: true });
    expect(volumeAt(d, '/etc/envoy/proxy.key', 'proxy').volume.secret.items).toEqual([
      { key: 'main', path: 'main' },
      { key: 'proxy', path: 'proxy' },
    ]);
    expect(container(d).volumeMounts.map((m: any) => m.mountPath)).not.toContain('/etc/envoy/proxy.key');
    expect(proxy.volumeMounts.map((m: any) => m.mountPath)).not.toContain('/etc/orders/main.key');
  });
});

describe('wait-for init containers', () => {
  test('one per dependency, in order, running nc against the dependency Service with the service security context', () => {
    const app = newApp({ waitImage: 'registry.local/busybox:1.36.1' });
    const redis = httpService(app, 'redis', { ports: [{ port: 6379 }] });
    const db = httpService(app, 'user-db', { ports: [{ port: 5432 }, { port: 9187 }], readinessProbe: Probe.tcp() });
    const web = httpService(app, 'web', { dependsOn: [redis], security: { user: 2000 } });
    web.addDependency(db, { condition: DependencyCondition.HEALTHY });
    const d = find(synth(app).objects, 'Deployment', 'web');
    const init = podSpec(d).initContainers;
    expect(init.map((c: any) => c.name)).toEqual(['wait-for-redis', 'wait-for-user-db']);
    expect(init[1]).toEqual(
      expect.objectContaining({
        image: 'registry.local/busybox:1.36.1',
        command: ['sh', '-c', 'until nc -z user-db 5432; do echo waiting for user-db; sleep 2; done'],
        resources: { requests: { cpu: '10m', memory: '16Mi' }, limits: { cpu: '50m', memory: '32Mi' } },
      }),
    );
    for (const c of init) expect(c.securityContext).toEqual(container(d).securityContext);
    expect(init[0].securityContext.runAsUser).toBe(2000);
  });

  test('a UDP dependency is probed with nc -zu, since a TCP connect would never succeed', () => {
    const app = newApp();
    const statsd = httpService(app, 'statsd', { ports: [{ port: 8125, protocol: Protocol.UDP }] });
    httpService(app, 'web', { dependsOn: [statsd] });
    expect(container(find(synth(app).objects, 'Deployment', 'web'), 'wait-for-statsd').command[2]).toBe(
      'until nc -zu statsd 8125; do echo waiting for statsd; sleep 2; done',
    );
  });

  test('a service without dependencies has no init containers', () => {
    const app = newApp();
    worker(app, 'worker');
    expect(podSpec(find(synth(app).objects, 'Deployment', 'worker')).initContainers).toBeUndefined();
  });
});
