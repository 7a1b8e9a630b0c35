/** Small applications that together use every feature the compose backend translates. */
import {
  Application,
  Cpu,
  DependencyCondition,
  EnvValue,
  Gateway,
  Image,
  Memory,
  Microservice,
  PodSecurityLevel,
  Probe,
  Protocol,
  RestartPolicy,
} from '../../lib/model';
import { BUILD_CONTEXT, httpService, IMAGE, newApp, worker } from '../model/helpers';

/** Services of every kind: built image, database with a volume and a secret, replicated API with a sidecar, ... */
export function kitchenSink(): Application {
  const app = newApp({ config: { LOG_LEVEL: 'debug' }, logging: { driver: 'local' } }, 'sink');
  const db = new Microservice(app, 'db', {
    image: Image.fromRegistry('postgres:16.4-alpine'),
    ports: [{ port: 5432, name: 'postgres', appProtocol: 'postgresql' }],
    env: { POSTGRES_PASSWORD: EnvValue.fromSecret('db', 'password') },
    volumes: [{ name: 'db-data', mountPath: '/var/lib/data' }],
    readinessProbe: Probe.command(['pg_isready', '-U', 'postgres'], { periodSeconds: 5, timeoutSeconds: 2, failureThreshold: 4 }),
    security: { user: 70, group: 70, writablePaths: ['/tmp', '/run/db'] },
    resources: { cpu: { limit: Cpu.cores(1.5) }, memory: { request: Memory.mebibytes(256), limit: Memory.gibibytes(1) } },
  });
  const cache = new Microservice(app, 'cache', {
    image: Image.fromRegistry('redis:7.2-alpine'),
    ports: [{ port: 6379, name: 'redis' }],
    volumes: [{ name: 'cache-scratch', mountPath: '/scratch', scratch: true }],
    readinessProbe: Probe.tcp(),
  });
  const api = httpService(app, 'api', {
    image: Image.fromDockerfile(BUILD_CONTEXT, { buildArgs: { VERSION: '1.2' }, target: 'runtime' }),
    ports: [
      { port: 8080, name: 'http' },
      { port: 9090, name: 'metrics' },
      { port: 5353, name: 'dns', protocol: Protocol.UDP },
    ],
    replicas: 2,
    command: ['sh', '-c'],
    args: ['exec server --home $HOME'],
    env: {
      GREETING: EnvValue.fromValue('costs $5'),
      // A name a shell cannot read, as Elasticsearch's: every target passes it on.
      'discovery.type': EnvValue.fromValue('single-node'),
      // Named like a credential, said not to be one: written as it is.
      TOKEN_TTL: EnvValue.fromValue('3600', { notSecret: true }),
      LOG_LEVEL: EnvValue.fromConfig('LOG_LEVEL'),
      API_TOKEN: EnvValue.fromSecret('api', 'token'),
    },
    volumes: [{ name: 'api-cache', mountPath: '/cache', readOnly: true }],
    configFiles: [
      { mountPath: '/etc/api/app.yaml', content: 'greeting: hello\n' },
      { mountPath: '/etc/api/extra/app.yaml', content: 'extra: true\n' },
      { mountPath: '/etc/api/limits.conf', content: 'rate=$rate\n' },
    ],
    secretFiles: [{ secretName: 'api', key: 'tls.key', mountPath: '/etc/api/tls.key' }],
    readinessProbe: Probe.http('/ready', { port: 8080, periodSeconds: 5 }),
    startupProbe: Probe.http('/ready', { port: 8080, initialDelaySeconds: 2, periodSeconds: 3, failureThreshold: 10 }),
    metrics: { port: 9090 },
    labels: { team: 'core' },
    stopSignal: 'SIGQUIT',
    stopGracePeriodSeconds: 20,
    security: { capabilitiesAdd: ['NET_BIND_SERVICE'] },
    sidecars: [
      {
        name: 'proxy',
        image: Image.fromRegistry('envoyproxy/envoy:v1.31.2'),
        ports: [{ port: 15001, name: 'proxy' }],
        args: ['-c', '/etc/envoy.yaml'],
      },
    ],
  });
  api.addDependency(db);
  api.addDependency(cache, { condition: DependencyCondition.STARTED });
  worker(app, 'worker', {
    dependsOn: [api],
    restartPolicy: RestartPolicy.ON_FAILURE,
    security: { readOnlyRootFilesystem: false, allowPrivilegeEscalation: true, breaksPodSecurity: PodSecurityLevel.RESTRICTED },
  });
  worker(app, 'job', { restartPolicy: RestartPolicy.NEVER, args: ['run', 'once'] });
  const edge = httpService(app, 'edge', {
    ports: [{ port: 443, name: 'https', publish: 8443 }],
    livenessProbe: Probe.tcp({ periodSeconds: 7 }),
  });
  new Gateway(app, 'gateway', {
    routes: [
      { path: '/api', service: api },
      { path: '/edge', service: edge },
    ],
    publish: 8088,
  });
  return app;
}

/** Autoscaling (fixed replicas in Docker) and a service scaled to 0. */
export function scaled(): Application {
  const app = newApp({}, 'scaled');
  httpService(app, 'web', { autoscaling: { minReplicas: 2, maxReplicas: 5 } });
  httpService(app, 'idle', { replicas: 0 });
  return app;
}

/** One service without ports, probes or dependencies. */
export function minimal(): Application {
  const app = newApp({}, 'minimal');
  new Microservice(app, 'solo', { image: IMAGE });
  return app;
}

/** Every test application, by name. */
export const TEST_APPS: Record<string, () => Application> = { kitchenSink, scaled, minimal };
