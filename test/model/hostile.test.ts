/*
 * Hostile API definitions, as a plain-JavaScript user or an attacker could write them: wrong types everywhere,
 * huge and non-finite numbers, prototype keys, path traversal, credentials in plain text. Each must end in a
 * ValidationError that names the service (or application) and the field, quickly, never a TypeError or a hang,
 * and no message may repeat a credential.
 */
import { Application, EnvValue, Gateway, Image, Microservice, Probe, ValidationError } from '../../lib/model';

const IMAGE = Image.fromRegistry('nginx:1.27-alpine');
const SECRET = 'hunter2-s3cr3t';
type Define = (app: Application) => void;
const svc =
  (props: Record<string, unknown>): Define =>
  (app) =>
    new Microservice(app, 'web', { image: IMAGE, ports: [{ port: 8080, name: 'http' }], ...props } as never);

/** [title, definition, a field the message must name] */
const HOSTILE: Array<[string, Define, string]> = [
  // Wrong container types where lists and maps belong.
  ['ports as a string', svc({ ports: '8080' }), 'ports'],
  ['ports as an object', svc({ ports: { port: 8080 } }), 'ports'],
  ['a port entry that is null', svc({ ports: [null] }), 'ports[0]'],
  ['a port entry that is a number', svc({ ports: [8080] }), 'ports[0]'],
  ['env as an array', svc({ env: ['A=1'] }), 'env'],
  ['env as a string', svc({ env: 'A=1' }), 'env'],
  ['env value as a plain string', svc({ env: { A: '1' } }), 'env.A'],
  ['env value as null', svc({ env: { A: null } }), 'env.A'],
  ['volumes as an object', svc({ volumes: { name: 'data' } }), 'volumes'],
  ['a volume entry that is a string', svc({ volumes: ['data:/data'] }), 'volumes[0]'],
  ['configFiles as a string', svc({ configFiles: '/etc/app.conf' }), 'configFiles'],
  ['secretFiles entry null', svc({ secretFiles: [null] }), 'secretFiles[0]'],
  ['command as a string', svc({ command: 'nginx -g daemon off;' }), 'command'],
  ['args as a number', svc({ args: 5 }), 'args'],
  ['command with a null element', svc({ command: ['nginx', null] }), 'command'],
  ['labels as an array', svc({ labels: ['a=b'] }), 'labels'],
  ['a label value that is a number', svc({ labels: { tier: 1 } }), 'labels.tier'],
  ['dependsOn as a string', svc({ dependsOn: 'db' }), 'dependsOn'],
  ['sidecars as an object', svc({ sidecars: { name: 'proxy' } }), 'sidecars'],
  ['resources as a string', svc({ resources: '500m' }), 'resources'],
  ['cpu limit as a string', svc({ resources: { cpu: { limit: '500m' } } }), 'resources.cpu.limit'],
  ['security as an array', svc({ security: ['non-root'] }), 'security'],
  ['capabilitiesAdd as a string', svc({ security: { capabilitiesAdd: 'NET_ADMIN' } }), 'security.capabilitiesAdd'],
  ['writablePaths as a string', svc({ security: { writablePaths: '/tmp' } }), 'security.writablePaths'],
  ['autoscaling as a number', svc({ autoscaling: 3 }), 'autoscaling'],
  ['metrics as a number', svc({ metrics: 9090 }), 'metrics'],
  ['a probe as a string', svc({ readinessProbe: '/health' }), 'readinessProbe'],
  ['an image as null', svc({ image: null }), 'image'],
  ['a name as a number', svc({ name: 42 }), 'name'],
  ['serviceType unknown', svc({ serviceType: 'ExternalName' }), 'serviceType'],
  ['restartPolicy unknown', svc({ restartPolicy: 'sometimes' }), 'restartPolicy'],
  ['stopSignal as a number', svc({ stopSignal: 9 }), 'stopSignal'],
  ['a port protocol unknown', svc({ ports: [{ port: 8080, protocol: 'SCTP' }] }), 'ports[0].protocol'],
  // Numbers out of every range.
  ['replicas 1e9', svc({ replicas: 1e9 }), 'replicas'],
  ['replicas Infinity', svc({ replicas: Infinity }), 'replicas'],
  ['replicas NaN', svc({ replicas: NaN }), 'replicas'],
  ['replicas negative zero point five', svc({ replicas: -0.5 }), 'replicas'],
  ['maxReplicas 1e9', svc({ autoscaling: { minReplicas: 1, maxReplicas: 1e9 } }), 'autoscaling.maxReplicas'],
  ['port 1e6', svc({ ports: [{ port: 1e6 }] }), 'ports[0].port'],
  ['publish -1', svc({ ports: [{ port: 8080, publish: -1 }] }), 'ports[0].publish'],
  ['probe period 0', svc({ readinessProbe: Probe.http('/', { periodSeconds: 0 }) }), 'readinessProbe.periodSeconds'],
  ['probe timeout Infinity', svc({ readinessProbe: Probe.http('/', { timeoutSeconds: Infinity }) }), 'readinessProbe.timeoutSeconds'],
  ['grace period 2^40', svc({ stopGracePeriodSeconds: 2 ** 40 }), 'stopGracePeriodSeconds'],
  ['user -1', svc({ security: { user: -1 } }), 'security.user'],
  ['user 2^40', svc({ security: { user: 2 ** 40 } }), 'security.user'],
  ['target cpu 0', svc({ autoscaling: { minReplicas: 1, maxReplicas: 2, targetCpuPercent: 0 } }), 'autoscaling.targetCpuPercent'],
  // Prototype keys and odd names.
  ['an env name __proto__', svc({ env: JSON.parse('{"__proto__": 1}') }), 'env'],
  ['an env name with a newline', svc({ env: { 'A\nB': EnvValue.fromValue('1') } }), 'env'],
  ['an option named __proto__', svc(JSON.parse('{"__proto__": {"replicas": 1}}')), '__proto__'],
  ['a label key with a slash path', svc({ labels: { '../../etc': 'x' } }), 'labels'],
  ['a 100,000-character service name', svc({ name: 'a'.repeat(100000) }), 'name'],
  ['a 1 MB image reference', svc({ image: Image.fromRegistry(`nginx:${'1'.repeat(1 << 20)}`) }), 'image'],
  // Paths.
  ['a volume mounted through ..', svc({ volumes: [{ name: 'data', mountPath: '/data/../etc' }] }), 'volumes[0].mountPath'],
  ['a relative mount path', svc({ volumes: [{ name: 'data', mountPath: 'data' }] }), 'volumes[0].mountPath'],
  ['a config file at /', svc({ configFiles: [{ mountPath: '/', content: 'x' }] }), 'configFiles[0].mountPath'],
  [
    'a secret file at /etc/../',
    svc({ secretFiles: [{ secretName: 'tls', key: 'crt', mountPath: '/etc/../' }] }),
    'secretFiles[0].mountPath',
  ],
  ['a secret key ..', svc({ env: { A_TOKEN: EnvValue.fromSecret('api', '..') } }), 'env.A_TOKEN'],
  ['a secret name with a slash', svc({ env: { A_TOKEN: EnvValue.fromSecret('../api', 'key') } }), 'env.A_TOKEN'],
  ['an http probe path with a quote', svc({ readinessProbe: Probe.http('/x"; rm -rf /') }), 'readinessProbe'],
  ['a Dockerfile that does not exist', svc({ image: Image.fromDockerfile('/nonexistent/context') }), 'image'],
  // Credentials in plain text.
  ['a password as a plain value', svc({ env: { DB_PASSWORD: EnvValue.fromValue(SECRET) } }), 'env.DB_PASSWORD'],
  ['an API key as a plain value', svc({ env: { STRIPE_API_KEY: EnvValue.fromValue(SECRET) } }), 'env.STRIPE_API_KEY'],
  ['a token from config', (app) => svc({ env: { AUTH_TOKEN: EnvValue.fromConfig('T') } })(app), 'env.AUTH_TOKEN'],
  // Graph.
  [
    'a dependency on itself',
    (app) => {
      const web = new Microservice(app, 'web', { image: IMAGE, ports: [{ port: 80 }] });
      web.addDependency(web);
    },
    'dependsOn',
  ],
  [
    'a dependency cycle',
    (app) => {
      const a = new Microservice(app, 'a', { image: IMAGE, ports: [{ port: 80 }] });
      const b = new Microservice(app, 'b', { image: IMAGE, ports: [{ port: 80 }], dependsOn: [a] });
      a.addDependency(b);
    },
    'dependsOn',
  ],
  [
    'a route to a service of another application',
    (app) => {
      const other = new Microservice(new Application('other'), 'web', { image: IMAGE, ports: [{ port: 80 }] });
      new Gateway(app, 'gateway', { routes: [{ path: '/', service: other }] });
    },
    'routes',
  ],
  [
    'a gateway route path with a brace',
    (app) => {
      new Gateway(app, 'gateway', {
        routes: [{ path: '/x{', service: new Microservice(app, 'web', { image: IMAGE, ports: [{ port: 80 }] }) }],
      });
    },
    'routes',
  ],
];

describe('hostile API definitions', () => {
  test('there are at least 60, each a different trap', () => {
    expect(HOSTILE.length).toBeGreaterThanOrEqual(60);
    expect(new Set(HOSTILE.map(([title]) => title)).size).toBe(HOSTILE.length);
  });

  test.each(HOSTILE)('fails with a clear error: %s', (_title, define, field) => {
    const app = new Application('app', { config: { T: SECRET } });
    const start = Date.now();
    let error: unknown;
    try {
      define(app);
      app.resolve();
    } catch (e) {
      error = e;
    }
    // A definition-time error (a mutator's) is a plain Error; resolution collects rules into a ValidationError.
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(TypeError);
    const message = (error as Error).message;
    expect(message).toMatch(/^(service|application|gateway) '/m);
    expect(message).toContain(`'${field}`);
    expect(message).not.toContain(SECRET);
    if (error instanceof ValidationError) expect(error.errors.length).toBeGreaterThan(0);
    expect(Date.now() - start).toBeLessThan(10000); // a hang or a quadratic blow-up, not a timing benchmark
  });
});
