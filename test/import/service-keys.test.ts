/* Each service key's mapping onto MicroserviceProps, and the diagnostic of everything that is not carried over. */
import { parse } from 'yaml';
import { toComposeYaml } from '../../lib/compose';
import { Cpu, DependencyCondition, EnvValue, Image, Memory, Probe, Protocol, RestartPolicy } from '../../lib/model';
import { importObject, importService, propsOf, resolvedService, tempProject } from './helpers';

const PINNED = 'nginx:1.27-alpine';

describe('image', () => {
  it('imports a pinned registry image as is, without a diagnostic', () => {
    const { props, diags } = importService({ image: 'redis:7.2-alpine' });
    expect(props.image).toEqual(Image.fromRegistry('redis:7.2-alpine'));
    expect(diags('image')).toEqual([]);
  });

  it.each(['nginx', 'gitea/gitea:latest'])('imports the unpinned image %p with allowUnpinned and a warning', (image) => {
    const { props, diags, result } = importService({ image });
    expect(props.image).toEqual(Image.fromRegistry(image, { allowUnpinned: true }));
    expect(diags('image')).toEqual([expect.objectContaining({ level: 'warning', message: expect.stringContaining('not pinned') })]);
    expect(() => result.application.resolve()).not.toThrow();
  });

  it('fails to import a service with neither image nor build', () => {
    expect(() => importService({ ports: ['80'] })).toThrow("service 'svc': 'image' or 'build' is required");
  });

  it('fails to validate an invalid image reference (the model reports it)', () => {
    const { result } = importService({ image: 'Not A/Reference' });
    expect(() => result.application.resolve()).toThrow(/'image' is not a valid image reference/);
  });
});

describe('build', () => {
  const project = () => tempProject({ 'app/Dockerfile': 'FROM scratch\n', 'app/Dockerfile.dev': 'FROM scratch\n' });

  it('builds from a context whose Dockerfile is in the project', () => {
    const dir = project();
    const { props, diags } = importService({ build: 'app' }, {}, { baseDir: dir });
    expect(props.image.build).toEqual({ context: `${dir}/app`, dockerfile: 'Dockerfile', buildArgs: {}, target: undefined });
    expect(diags('build')).toEqual([]);
  });

  it('carries dockerfile, args (list and map) and target, and tags with the image', () => {
    const dir = project();
    const list = importService(
      { image: 'shop/web:1.0', build: { context: 'app', dockerfile: 'Dockerfile.dev', args: ['A=1', 'B'], target: 'builder' } },
      {},
      { baseDir: dir, environment: { B: 'two' } },
    );
    expect(list.props.image).toEqual(
      Image.fromDockerfile(`${dir}/app`, {
        dockerfile: 'Dockerfile.dev',
        buildArgs: { A: '1', B: 'two' },
        target: 'builder',
        tag: 'shop/web:1.0',
      }),
    );
    const map = importService({ build: { context: 'app', args: { A: 1, C: null } } }, {}, { baseDir: dir });
    expect(map.props.image.build!.buildArgs).toEqual({ A: '1' });
    expect(map.diags('build.args')).toEqual([expect.objectContaining({ message: expect.stringContaining('C has no value') })]);
  });

  it('reports build keys it cannot carry over', () => {
    const { diags } = importService({ build: { context: 'app', cache_from: ['x'], network: 'host' } }, {}, { baseDir: project() });
    expect(diags().map((d) => d.field)).toEqual(expect.arrayContaining(['build.cache_from', 'build.network']));
  });

  it('falls back to a prebuilt image, reported, when the context is missing', () => {
    const { props, diags, result } = importService({ build: { context: 'missing', target: 'builder' } });
    expect(props.image).toEqual(Image.fromRegistry('app/svc:dev'));
    expect(diags('build')).toEqual([
      expect.objectContaining({ level: 'warning', message: expect.stringContaining('runs the prebuilt image "app/svc:dev"') }),
    ]);
    expect(() => result.application.resolve()).not.toThrow();
    expect(importService({ build: 'missing', image: 'shop/web:2' }).props.image).toEqual(Image.fromRegistry('shop/web:2'));
  });

  it('fails to build a remote or outside context, and says so', () => {
    const dir = project();
    expect(importService({ build: 'https://github.com/x/y.git' }, {}, { baseDir: dir }).diags('build')[0].message).toContain('is remote');
    expect(importService({ build: '../elsewhere' }, {}, { baseDir: dir }).diags('build')[0].message).toContain(
      'outside the project directory',
    );
  });

  it('tags a build whose image is unpinned with :dev', () => {
    const { props, diags } = importService({ image: 'myapp:latest', build: 'app' }, {}, { baseDir: project() });
    expect(props.image.reference).toBe('myapp:dev');
    expect(diags('image')).toEqual([expect.objectContaining({ level: 'info' })]);
  });
});

describe('ports and expose', () => {
  it('maps short syntax to container ports and published host ports', () => {
    const { props, diags } = importService({ image: PINNED, ports: ['8080:80', '9090:9090/udp', 5000], expose: ['3000', '3001/udp', 80] });
    expect(props.ports).toEqual([
      { port: 80, publish: 8080 },
      { port: 9090, protocol: Protocol.UDP, publish: 9090 },
      { port: 5000 },
      { port: 3000 },
      { port: 3001, protocol: Protocol.UDP },
    ]);
    expect(diags('ports')).toEqual([expect.objectContaining({ message: expect.stringContaining('host port Docker picks') })]);
    expect(diags('expose')).toEqual([]);
  });

  it('reports a host address, which cannot be carried over', () => {
    const { props, diags } = importService({ image: PINNED, ports: ['127.0.0.1:80:80'] });
    expect(props.ports).toEqual([{ port: 80, publish: 80 }]);
    expect(diags('ports')[0].message).toContain('host address 127.0.0.1');
  });

  it('fails on a port range, reported and left out', () => {
    const { props, diags } = importService({ image: PINNED, ports: ['9000-9001:9000-9001', '80:80'] });
    expect(props.ports).toEqual([{ port: 80, publish: 80 }]);
    expect(diags('ports')[0].message).toMatch(/9000-9001.*port range/);
  });

  it('fails on an unknown protocol, reported and left out', () => {
    const { props, diags } = importService({ image: PINNED, ports: ['80:80/sctp'] });
    expect(props.ports).toBeUndefined();
    expect(diags('ports')[0].message).toContain('sctp');
  });

  it('maps the long syntax', () => {
    const { props, diags } = importService({
      image: PINNED,
      ports: [{ target: 80, published: 8080, protocol: 'tcp', name: 'web', app_protocol: 'http', mode: 'ingress' }],
    });
    expect(props.ports).toEqual([{ port: 80, name: 'web', appProtocol: 'http', publish: 8080 }]);
    expect(diags('ports')).toEqual([]);
  });

  it('fails on what the long syntax says beyond the model: host mode, invalid names, unknown keys', () => {
    const { props, diags } = importService({
      image: PINNED,
      ports: [
        { target: 80, published: 80, mode: 'host', name: 'Not_A_Name' },
        { target: 81, bogus: true },
      ],
    });
    expect(props.ports).toEqual([{ port: 80, publish: 80 }]);
    expect(diags('ports').map((d) => d.message)).toEqual([
      expect.stringContaining('publishing mode "host"'),
      expect.stringContaining('port name "Not_A_Name"'),
      expect.stringContaining('bogus'),
    ]);
  });

  it('names a UDP port apart from the TCP port of the same number and publishes the host port for both', () => {
    const { props, diags, result } = importService({ image: PINNED, ports: ['5000:5000/tcp', '5000:5000/udp'] });
    expect(props.ports).toEqual([
      { port: 5000, publish: 5000 },
      { port: 5000, protocol: Protocol.UDP, publish: 5000 },
    ]);
    expect(diags('ports')).toEqual([]);
    expect(result.application.resolve().services[0].ports.map((p) => p.name)).toEqual(['port-5000', 'port-5000-udp']);
  });

  it('publishes a container port once', () => {
    const { props, diags } = importService({ image: PINNED, ports: ['8080:80', '8081:80'], expose: [80] });
    expect(props.ports).toEqual([{ port: 80, publish: 8080 }]);
    expect(diags('ports')[0].message).toContain('host port 8081 is left out');
  });

  it('does not publish a host port twice across services, or for replicas', () => {
    const result = importObject({
      services: {
        a: { image: PINNED, ports: ['80:80'] },
        b: { image: PINNED, ports: ['80:8080'] },
        c: { image: PINNED, ports: ['90:90'], deploy: { replicas: 2 } },
      },
    });
    expect(propsOf(result, 'b').ports).toEqual([{ port: 8080 }]);
    expect(propsOf(result, 'c').ports).toEqual([{ port: 90 }]);
    expect(result.diagnostics.find((d) => d.service === 'b' && d.field === 'ports')!.message).toContain("already published by 'a'");
    expect(result.diagnostics.find((d) => d.service === 'c' && d.field === 'ports')!.message).toContain('runs 2 replicas');
    expect(() => result.application.resolve()).not.toThrow();
  });

  it('publishes one host port for TCP and UDP of one service, not for two services', () => {
    const result = importObject({
      services: {
        logstash: { image: PINNED, ports: ['5000:5000/tcp', '5000:5000/udp'] },
        other: { image: PINNED, ports: ['5000:5001/udp'] },
      },
    });
    expect(propsOf(result, 'logstash').ports).toEqual([
      { port: 5000, publish: 5000 },
      { port: 5000, protocol: 'UDP', publish: 5000 },
    ]);
    expect(propsOf(result, 'other').ports).toEqual([{ port: 5001, protocol: 'UDP' }]);
    expect(result.diagnostics.filter((d) => d.field === 'ports').map((d) => d.service)).toEqual(['other']);
    expect(() => result.application.resolve()).not.toThrow();
  });

  it('does not share a host port between TCP and UDP of different container ports (the model would refuse it)', () => {
    const { props, diags, result } = importService({ image: PINNED, ports: ['5000:5000/tcp', '5000:5001/udp'] });
    expect(props.ports).toEqual([
      { port: 5000, publish: 5000 },
      { port: 5001, protocol: Protocol.UDP },
    ]);
    expect(diags('ports')[0].message).toContain('host port 5000 is already published');
    expect(() => result.application.resolve()).not.toThrow();
  });
});

describe('environment', () => {
  it('imports list and map forms, values as strings', () => {
    expect(importService({ image: PINNED, environment: ['A=1', 'B=x=y', 'C='] }).props.env).toEqual({
      A: EnvValue.fromValue('1'),
      B: EnvValue.fromValue('x=y'),
      C: EnvValue.fromValue(''),
    });
    expect(importService({ image: PINNED, environment: { A: 1, B: true, C: 'text' } }).props.env).toEqual({
      A: EnvValue.fromValue('1'),
      B: EnvValue.fromValue('true'),
      C: EnvValue.fromValue('text'),
    });
  });

  it('turns credentials into secret references, so no plaintext is kept, and says which secret to create', () => {
    const { props, diags, result } = importService({
      image: PINNED,
      environment: { POSTGRES_PASSWORD: 'hunter2-xyzzy', API_KEY: 'k-xyzzy', POSTGRES_PASSWORD_FILE: '/run/secrets/pw', USER_NAME: 'bob' },
    });
    expect(props.env).toEqual({
      POSTGRES_PASSWORD: EnvValue.fromSecret('svc-env', 'postgres_password'),
      API_KEY: EnvValue.fromSecret('svc-env', 'api_key'),
      POSTGRES_PASSWORD_FILE: EnvValue.fromValue('/run/secrets/pw'),
      USER_NAME: EnvValue.fromValue('bob'),
    });
    const [d] = diags('environment');
    expect(d.message).toContain("secret 'svc-env' (keys postgres_password, api_key)");
    expect(d.message).toContain('kubectl create secret generic svc-env --from-literal=postgres_password=... --from-literal=api_key=...');
    expect(JSON.stringify(result.diagnostics)).not.toContain('xyzzy');
    expect(JSON.stringify(result.application.resolve())).not.toContain('xyzzy');
  });

  it('takes variables without a value from the import environment, else reports them', () => {
    const { props, diags } = importService(
      { image: PINNED, environment: ['FROM_SHELL', 'UNSET', 'TOKEN'] },
      {},
      { environment: { FROM_SHELL: 'yes' } },
    );
    expect(props.env).toEqual({ FROM_SHELL: EnvValue.fromValue('yes'), TOKEN: EnvValue.fromSecret('svc-env', 'token') });
    expect(diags('environment').map((d) => d.message)).toEqual([
      expect.stringContaining('UNSET has no value'),
      expect.stringContaining('TOKEN looks like a credential'),
    ]);
  });

  it('keeps the names Kubernetes accepts and a shell does not (Elasticsearch reads discovery.type)', () => {
    const { props, diags } = importService({ image: PINNED, environment: { 'discovery.type': 'single-node', 'LOG-LEVEL': 'info' } });
    expect(props.env).toEqual({ 'discovery.type': EnvValue.fromValue('single-node'), 'LOG-LEVEL': EnvValue.fromValue('info') });
    expect(diags('environment')).toEqual([]);
  });

  it('notSecret keeps a credential-like name as a plain value, unless its value holds a credential', () => {
    const { props, result, diags } = importService(
      { image: PINNED, environment: { TOKEN_TTL: '3600', SECRET_ROTATION_URL: 'http://admin:pw@vault:8200', API_KEY: 'k3y-value' } },
      {},
      { notSecret: ['TOKEN_TTL', 'SECRET_ROTATION_URL'] },
    );
    expect(props.env).toEqual({
      TOKEN_TTL: EnvValue.fromValue('3600', { notSecret: true }),
      SECRET_ROTATION_URL: EnvValue.fromSecret('svc-env', 'secret_rotation_url'),
      API_KEY: EnvValue.fromSecret('svc-env', 'api_key'),
    });
    expect(diags('environment')[0].message).toMatch(/^SECRET_ROTATION_URL holds a URL with a password; API_KEY looks like a credential/);
    expect(result.application.resolve().services[0].env[0]).toEqual({ name: 'TOKEN_TTL', source: 'value', value: '3600' });
  });

  it('fails on a notSecret option that is not a list of names', () => {
    expect(() => importService({ image: PINNED }, {}, { notSecret: 'TOKEN_TTL' as never })).toThrow(
      `compose import: 'notSecret' must be a list of variable names, got "TOKEN_TTL"`,
    );
  });

  it('fails on variable names the model rejects, reported and left out', () => {
    const { props, diags } = importService({ image: PINNED, environment: { '1ST_RUN': 'yes', 'my var': 'x', OK: '1' } });
    expect(props.env).toEqual({ OK: EnvValue.fromValue('1') });
    expect(diags('environment').map((d) => d.message)).toEqual([
      expect.stringContaining('"1ST_RUN" is not a valid variable name in the model ([-._a-zA-Z][-._a-zA-Z0-9]*)'),
      expect.stringContaining('"my var" is not a valid variable name'),
    ]);
  });
});

describe('healthcheck', () => {
  it('maps CMD with its timing to a readiness probe (and so the Docker health check)', () => {
    const { props, result } = importService({
      image: PINNED,
      ports: ['80'],
      healthcheck: { test: ['CMD', 'pg_isready', '-q'], interval: '1m30s', timeout: '5s', retries: 5, start_period: '40s' },
    });
    expect(props.readinessProbe).toEqual(
      Probe.command(['pg_isready', '-q'], { periodSeconds: 90, timeoutSeconds: 5, failureThreshold: 5, initialDelaySeconds: 40 }),
    );
    expect(resolvedService(result, 'svc').healthcheck!.command).toEqual(['pg_isready', '-q']);
  });

  it.each([
    [
      ['CMD-SHELL', 'curl -f localhost || exit 1'],
      ['/bin/sh', '-c', 'curl -f localhost || exit 1'],
    ],
    ['curl -f localhost', ['/bin/sh', '-c', 'curl -f localhost']],
  ])('runs %p with the shell', (test, command) => {
    expect(importService({ image: PINNED, healthcheck: { test } }).props.readinessProbe!.command).toEqual(command);
  });

  it("uses Docker's timing where the file is silent", () => {
    expect(importService({ image: PINNED, healthcheck: { test: ['CMD', 'true'] } }).props.readinessProbe!.timing).toEqual({
      periodSeconds: 30,
      timeoutSeconds: 30,
      failureThreshold: 3,
      initialDelaySeconds: 0,
    });
  });

  it.each([{ test: ['NONE'] }, { disable: true }])('imports no health check for %p, noted', (healthcheck) => {
    const { props, diags } = importService({ image: PINNED, healthcheck });
    expect(props.readinessProbe).toBeUndefined();
    expect(diags('healthcheck')).toEqual([expect.objectContaining({ level: 'info' })]);
  });

  it('fails on an unreadable test or duration, reported', () => {
    expect(importService({ image: PINNED, healthcheck: { test: ['WHAT', 'x'] } }).diags('healthcheck')[0].message).toContain(
      'no health check is imported',
    );
    const bad = importService({ image: PINNED, healthcheck: { test: ['CMD', 'true'], interval: 'often', start_interval: '1s' } });
    expect(bad.props.readinessProbe!.timing.periodSeconds).toBe(30);
    expect(bad.diags().map((d) => d.field)).toEqual(expect.arrayContaining(['healthcheck', 'healthcheck.start_interval']));
  });
});

describe('restart and deploy', () => {
  it.each([
    ['always', RestartPolicy.ALWAYS, 0],
    ['no', RestartPolicy.NEVER, 0],
    ['on-failure', RestartPolicy.ON_FAILURE, 0],
    ['on-failure:3', RestartPolicy.ON_FAILURE, 1],
    ['unless-stopped', RestartPolicy.ALWAYS, 1],
  ])('maps restart %p to %p', (restart, policy, diagnostics) => {
    const { props, diags } = importService({ image: PINNED, restart });
    expect(props.restartPolicy).toBe(policy);
    expect(diags('restart')).toHaveLength(diagnostics);
  });

  it('fails on an unknown restart policy, reported as an error', () => {
    const { props, diags } = importService({ image: PINNED, restart: 'sometimes' });
    expect(props.restartPolicy).toBeUndefined();
    expect(diags('restart')).toEqual([expect.objectContaining({ level: 'error' })]);
  });

  it('maps replicas, resources and restart_policy', () => {
    const { props, diags, result } = importService({
      image: PINNED,
      deploy: {
        replicas: 3,
        resources: { limits: { cpus: '0.5', memory: '512M', pids: 100 }, reservations: { cpus: '0.25', memory: '128m' } },
        restart_policy: { condition: 'on-failure', max_attempts: 3 },
        placement: { constraints: ['node.role == manager'] },
      },
    });
    expect(props.replicas).toBe(3);
    expect(props.resources).toEqual({
      cpu: { request: Cpu.millis(250), limit: Cpu.millis(500) },
      memory: { request: Memory.mebibytes(128), limit: Memory.mebibytes(512) },
    });
    expect(props.restartPolicy).toBe(RestartPolicy.ON_FAILURE);
    expect(diags().map((d) => d.field)).toEqual(
      expect.arrayContaining(['deploy.resources.limits.pids', 'deploy.restart_policy.max_attempts', 'deploy.placement']),
    );
    expect(() => result.application.resolve()).not.toThrow();
  });

  it('keeps reservations within limits, so the model accepts them', () => {
    const above = importService({ image: PINNED, deploy: { resources: { limits: { memory: '128m' }, reservations: { memory: '1g' } } } });
    expect(above.props.resources!.memory).toEqual({ request: Memory.mebibytes(128), limit: Memory.mebibytes(128) });
    expect(above.diags('deploy.resources')[0].level).toBe('warning');
    const alone = importService({ image: PINNED, deploy: { resources: { reservations: { cpus: '2' } } } });
    expect(alone.props.resources!.cpu).toEqual({ request: Cpu.millis(2000), limit: Cpu.millis(2000) });
    expect(() => alone.result.application.resolve()).not.toThrow();
  });

  it('maps the service-level scale, mem_limit, mem_reservation and cpus', () => {
    const { props } = importService({ image: PINNED, scale: 2, mem_limit: '1g', mem_reservation: '256m', cpus: 1.5 });
    expect(props.replicas).toBe(2);
    expect(props.resources).toEqual({
      cpu: { limit: Cpu.millis(1500) },
      memory: { request: Memory.mebibytes(256), limit: Memory.mebibytes(1024) },
    });
  });

  it('fails on unreadable amounts, reported', () => {
    const { props, diags } = importService({ image: PINNED, deploy: { replicas: -1, resources: { limits: { memory: 'plenty' } } } });
    expect(props.replicas).toBeUndefined();
    expect(diags().map((d) => d.field)).toEqual(expect.arrayContaining(['deploy.replicas', 'deploy.resources.limits.memory']));
  });
});

describe('stop_signal and stop_grace_period', () => {
  it.each([
    ['SIGINT', 'SIGINT'],
    ['sigquit', 'SIGQUIT'],
    ['USR1', 'SIGUSR1'],
    [' SIGRTMIN ', 'SIGRTMIN'],
  ])('maps stop_signal %p to stopSignal %p', (signal, name) => {
    const { props, diags, result } = importService({ image: PINNED, stop_signal: signal });
    expect(props.stopSignal).toBe(name);
    expect(diags('stop_signal')).toEqual([]);
    expect(resolvedService(result, 'svc').stopSignal).toBe(name);
  });

  it.each([[9], ['9'], ['SIGRTMIN+3'], ['']])('fails on stop_signal %p, reported and left out', (signal) => {
    const { props, diags } = importService({ image: PINNED, stop_signal: signal });
    expect(props.stopSignal).toBeUndefined();
    expect(diags('stop_signal')).toEqual([
      expect.objectContaining({ level: 'warning', message: expect.stringContaining('is not a signal name like SIGINT') }),
    ]);
  });

  it.each([
    ['1m30s', 90],
    ['10s', 10],
    ['0s', 0],
    [45, 45],
    ['1h', 3600],
  ])('maps stop_grace_period %p to %p seconds', (duration, seconds) => {
    const { props, diags, result } = importService({ image: PINNED, stop_grace_period: duration });
    expect(props.stopGracePeriodSeconds).toBe(seconds);
    expect(diags('stop_grace_period')).toEqual([]);
    expect(resolvedService(result, 'svc').stopGracePeriodSeconds).toBe(seconds);
  });

  it('rounds a fractional stop_grace_period up to whole seconds, noted', () => {
    const { props, diags } = importService({ image: PINNED, stop_grace_period: '1500ms' });
    expect(props.stopGracePeriodSeconds).toBe(2);
    expect(diags('stop_grace_period')).toEqual([
      expect.objectContaining({ level: 'info', message: '"1500ms" is rounded up to whole seconds: 2s' }),
    ]);
  });

  it('fails on a stop_grace_period that is not a duration, reported and left out', () => {
    const { props, diags } = importService({ image: PINNED, stop_grace_period: 'a while' });
    expect(props.stopGracePeriodSeconds).toBeUndefined();
    expect(diags('stop_grace_period')).toEqual([
      expect.objectContaining({ level: 'warning', message: expect.stringContaining('is not a duration like 1m30s') }),
    ]);
  });

  it('round-trips through the compose backend', () => {
    const { result } = importService({ image: PINNED, stop_signal: 'SIGINT', stop_grace_period: '1m30s' });
    const svc = (parse(toComposeYaml(result.application)) as any).services.svc;
    expect(svc).toMatchObject({ stop_signal: 'SIGINT', stop_grace_period: '90s' });
  });
});

describe('command and entrypoint', () => {
  it('maps command to args and entrypoint to command, splitting strings like docker-compose', () => {
    const { props } = importService({ image: PINNED, entrypoint: '/bin/sh -c', command: `echo "a b" 'c'` });
    expect(props.command).toEqual(['/bin/sh', '-c']);
    expect(props.args).toEqual(['echo', 'a b', 'c']);
    expect(importService({ image: PINNED, command: ['--config.file=/etc/x.yml'] }).props.args).toEqual(['--config.file=/etc/x.yml']);
  });

  it('fails on an empty entrypoint, which the model cannot express, reported', () => {
    const { props, diags } = importService({ image: PINNED, entrypoint: [] });
    expect(props.command).toBeUndefined();
    expect(diags('entrypoint')[0].message).toContain('is empty');
  });
});

describe('user, read_only and capabilities', () => {
  it('maps numeric uid:gid, root and read_only', () => {
    expect(importService({ image: PINNED, user: '1000:2000', read_only: false }).props.security).toEqual({
      user: 1000,
      group: 2000,
      readOnlyRootFilesystem: false,
    });
    const root = importService({ image: PINNED, user: 'root', read_only: true });
    expect(root.props.security).toEqual({ user: 0, runAsNonRoot: false, readOnlyRootFilesystem: true, breaksPodSecurity: 'restricted' });
    expect(() => root.result.application.resolve()).not.toThrow();
  });

  it('fails on a user name (the model needs ids), reported without claiming the user is unset', () => {
    const { props, diags } = importService({ image: PINNED, user: 'postgres' });
    expect(props.security).toBeUndefined();
    expect(diags('user')).toEqual([
      expect.objectContaining({ level: 'warning', message: expect.stringContaining('"postgres" is not numeric') }),
    ]);
  });

  it('notes the secure defaults where the file sets no user or read_only', () => {
    const { diags, result } = importService({ image: PINNED });
    expect(diags('user')).toEqual([expect.objectContaining({ level: 'info', message: expect.stringContaining('10001:10001') })]);
    expect(diags('read_only')).toEqual([expect.objectContaining({ level: 'info', message: expect.stringContaining('read-only') })]);
    expect(resolvedService(result, 'svc').security).toMatchObject({ user: 10001, readOnlyRootFilesystem: true, capabilitiesDrop: ['ALL'] });
  });

  it('adds cap_add and notes a cap_drop other than ALL', () => {
    const { props, diags } = importService({ image: PINNED, cap_add: ['CAP_NET_ADMIN', 'sys_time'], cap_drop: ['NET_RAW'] });
    expect(props.security!.capabilitiesAdd).toEqual(['NET_ADMIN', 'SYS_TIME']);
    expect(diags('cap_drop')).toHaveLength(1);
  });
});

describe('labels', () => {
  it('imports list and map labels that are Kubernetes labels, and reports the others', () => {
    const { props, diags } = importService({
      image: PINNED,
      labels: ['traefik.enable=true', 'traefik.http.routers.go.rule=Path(`/`)', 'tier=web'],
    });
    expect(props.labels).toEqual({ 'traefik.enable': 'true', tier: 'web' });
    expect(diags('labels')[0].message).toContain('"traefik.http.routers.go.rule"');
    expect(
      importService({ image: PINNED, labels: { 'com.example/team': 'shop', 'app.kubernetes.io/name': 'x' } }).diags('labels')[0].message,
    ).toContain('set by the model');
  });
});

describe('keys without a place in the model', () => {
  it.each([
    ['container_name', 'es', 'names come from the service'],
    ['network_mode', 'host', 'own network namespace'],
    ['stdin_open', true, ''],
    ['privileged', true, ''],
    ['hostname', 'web1', ''],
  ])('reports %p as "cannot be carried over"', (key, value, detail) => {
    const { diags } = importService({ image: PINNED, [key]: value });
    expect(diags(key)).toEqual([
      expect.objectContaining({ level: 'warning', target: 'compose-import', message: expect.stringMatching(/^cannot be carried over/) }),
    ]);
    expect(diags(key)[0].message).toContain(detail);
  });

  it('notes custom networks: the model derives networks from dependencies', () => {
    expect(importService({ image: PINNED, networks: ['front', 'back'] }).diags('networks')[0].message).toContain('networks front, back');
    expect(importService({ image: PINNED, networks: { front: { aliases: ['x'] } } }).diags('networks')[0].message).toContain(
      'networks front',
    );
  });

  it('ignores x-* extension keys silently', () => {
    expect(
      importService({
        image: PINNED,
        'x-team': 'shop',
        user: '1:1',
        read_only: true,
        deploy: { resources: { limits: { cpus: 1 } } },
      }).diags(),
    ).toEqual([]);
  });
});

describe('dependencies', () => {
  it('maps depends_on (short and long) with conditions', () => {
    const result = importObject({
      services: {
        db: { image: 'postgres:16', expose: [5432], healthcheck: { test: ['CMD', 'pg_isready'] } },
        cache: { image: 'redis:7', expose: [6379] },
        web: { image: PINNED, depends_on: { db: { condition: 'service_healthy' }, cache: { condition: 'service_started' } } },
        worker: { image: PINNED, depends_on: ['db'] },
      },
    });
    const resolved = result.application.resolve();
    const deps = (name: string) => resolved.services.find((s) => s.name === name)!.dependencies.map((d) => [d.service, d.condition]);
    expect(deps('web')).toEqual([
      ['db', DependencyCondition.HEALTHY],
      ['cache', DependencyCondition.STARTED],
    ]);
    // Short syntax means "started" in compose, even when the dependency has a health check.
    expect(deps('worker')).toEqual([['db', DependencyCondition.STARTED]]);
  });
});
