import * as path from 'path';
import { Construct } from 'constructs';
import {
  Application,
  ApplicationProps,
  Cpu,
  DependencyCondition,
  EnvValue,
  Gateway,
  Image,
  Memory,
  Microservice,
  Probe,
  IngressSource,
  PodSecurityLevel,
  Protocol,
  RestartPolicy,
  SeccompProfileType,
  ServiceType,
  ValidationError,
} from '../../lib/model';
import { BUILD_CONTEXT, httpService, IMAGE, newApp, validationErrors, worker } from './helpers';

interface InvalidCase {
  readonly title: string;
  readonly appName?: string;
  readonly appProps?: ApplicationProps;
  readonly define: (app: Application) => void;
  /** Every error the definition must produce, in order: exact text, or a precise pattern. */
  readonly errors: Array<string | RegExp>;
}

/** Nested reusable constructs, two levels deep. */
class Team extends Construct {}

const MISSING_CONTEXT = path.join(__dirname, 'no-such-build-context');

const CASES: InvalidCase[] = [
  // --- names ---------------------------------------------------------------------------------------------------
  {
    title: 'service name with uppercase and underscore',
    define: (app) => httpService(app, 'web', { name: 'Web_1' }),
    errors: [
      `service 'Web_1': 'name' must be a DNS-1123 label starting with a letter (lowercase alphanumerics and '-', <= 63 characters), ` +
        `got "Web_1"`,
    ],
  },
  {
    title: 'service name starting with a digit (not a Kubernetes Service name, not an env prefix)',
    define: (app) => httpService(app, 'web', { name: '1web' }),
    errors: [
      `service '1web': 'name' must be a DNS-1123 label starting with a letter (lowercase alphanumerics and '-', <= 63 characters), ` +
        `got "1web"`,
    ],
  },
  {
    title: 'service name derived from a construct path longer than 63 characters',
    define: (app) =>
      httpService(new Team(new Team(app, 'platform-engineering-team'), 'payments-and-billing-subsystem'), 'ledger-reconciliation-worker'),
    errors: [
      `service 'platform-engineering-team-payments-and-billing-subsystem-ledger-reconciliation-worker': 'name' must be a DNS-1123 ` +
        `label starting with a letter (lowercase alphanumerics and '-', <= 63 characters), got ` +
        `"platform-engineering-team-payments-and-billing-subsystem-ledger-reconciliation-worker"`,
    ],
  },
  {
    title: 'application name not a DNS-1123 label',
    appName: 'My_App',
    define: (app) => httpService(app, 'web'),
    errors: [`application: 'name' must be a DNS-1123 label, got "My_App"`],
  },
  {
    title: 'application namespace not a DNS-1123 label',
    appProps: { namespace: 'Shop.Prod' },
    define: (app) => httpService(app, 'web'),
    errors: [`application 'app': 'namespace' must be a DNS-1123 label, got "Shop.Prod"`],
  },
  {
    title: 'volume name not a DNS-1123 label',
    define: (app) => httpService(app, 'web', { volumes: [{ name: 'Data_Dir', mountPath: '/data' }] }),
    errors: [`service 'web': 'volumes[0].name' must be a DNS-1123 label, got "Data_Dir"`],
  },
  {
    title: 'sidecar name not a DNS-1123 label',
    define: (app) =>
      httpService(app, 'web', { sidecars: [{ name: 'Envoy Proxy', image: Image.fromRegistry('envoyproxy/envoy:v1.31.2') }] }),
    errors: [`service 'web': 'sidecars[Envoy Proxy].name' must be a DNS-1123 label, got "Envoy Proxy"`],
  },
  {
    title: 'sidecar named like its service',
    define: (app) => httpService(app, 'web', { sidecars: [{ name: 'web', image: Image.fromRegistry('envoyproxy/envoy:v1.31.2') }] }),
    errors: [`service 'web': 'sidecars[web].name' must differ from the service name, got "web"`],
  },
  {
    title: 'duplicate service names (explicit name and a derived one)',
    define: (app) => {
      httpService(app, 'web');
      httpService(new Team(app, 'frontend'), 'site', { name: 'web' });
    },
    errors: [`service 'web': 'name' is used twice, by 'app/web' and 'app/frontend/site'`],
  },
  // --- ports -----------------------------------------------------------------------------------------------------
  {
    title: 'port 0',
    define: (app) => httpService(app, 'web', { ports: [{ port: 0 }] }),
    errors: [`service 'web': 'ports[0].port' must be an integer in 1..65535, got 0`],
  },
  {
    title: 'port 65536',
    define: (app) =>
      httpService(app, 'web', {
        ports: [
          { port: 8080, name: 'http' },
          { port: 65536, name: 'admin' },
        ],
      }),
    errors: [`service 'web': 'ports[1].port' must be an integer in 1..65535, got 65536`],
  },
  {
    title: 'non-integer port',
    define: (app) => httpService(app, 'web', { ports: [{ port: 80.5, name: 'http' }] }),
    errors: [`service 'web': 'ports[0].port' must be an integer in 1..65535, got 80.5`],
  },
  {
    title: 'duplicate ports',
    define: (app) =>
      httpService(app, 'web', {
        ports: [
          { port: 8080, name: 'http' },
          { port: 8080, name: 'alt' },
        ],
      }),
    errors: [`service 'web': 'ports' declares port 8080/TCP twice`],
  },
  {
    title: 'duplicate port names',
    define: (app) =>
      httpService(app, 'web', {
        ports: [
          { port: 8080, name: 'http' },
          { port: 8081, name: 'http' },
        ],
      }),
    errors: [`service 'web': 'ports' declares port name "http" twice`],
  },
  {
    title: 'port name longer than 15 characters',
    define: (app) => httpService(app, 'web', { ports: [{ port: 8080, name: 'http-public-api-v2' }] }),
    errors: [
      `service 'web': 'ports[0].name' must be an IANA service name (lowercase, <= 15 characters, a letter), got "http-public-api-v2"`,
    ],
  },
  {
    title: 'port name with uppercase letters',
    define: (app) => httpService(app, 'web', { ports: [{ port: 8080, name: 'HTTP' }] }),
    errors: [`service 'web': 'ports[0].name' must be an IANA service name (lowercase, <= 15 characters, a letter), got "HTTP"`],
  },
  {
    title: 'published host port outside 1..65535',
    define: (app) => httpService(app, 'web', { ports: [{ port: 8080, name: 'http', publish: 70000 }] }),
    errors: [`service 'web': 'ports[0].publish' must be an integer in 1..65535, got 70000`],
  },
  {
    title: 'app protocol that is not a URL scheme',
    define: (app) => httpService(app, 'web', { ports: [{ port: 8080, name: 'web', appProtocol: 'HTTP/1.1' }] }),
    errors: [`service 'web': 'ports[0].appProtocol' must be a URL scheme, got "HTTP/1.1"`],
  },
  {
    title: 'the same host port published by two services',
    define: (app) => {
      httpService(app, 'web', { ports: [{ port: 8080, name: 'http', publish: 80 }] });
      httpService(app, 'admin', { ports: [{ port: 9000, name: 'http', publish: 80 }] });
    },
    errors: [`service 'admin': published host port 80 is already published by service 'web'`],
  },
  {
    title: 'the same host port for TCP by one service and for UDP by another',
    define: (app) => {
      httpService(app, 'dns', { ports: [{ port: 53, publish: 53 }] });
      httpService(app, 'resolver', { ports: [{ port: 53, protocol: Protocol.UDP, publish: 53 }] });
    },
    errors: [`service 'resolver': published host port 53 is already published by service 'dns'`],
  },
  {
    title: 'the same host port twice for one protocol by one service',
    define: (app) =>
      httpService(app, 'dns', {
        ports: [
          { port: 53, publish: 53 },
          { port: 54, publish: 53 },
        ],
      }),
    errors: [`service 'dns': published host port 53 is already published by service 'dns'`],
  },
  {
    title: 'the same host port for TCP and UDP by one service, to different Service ports',
    define: (app) =>
      httpService(app, 'dns', {
        ports: [
          { port: 53, publish: 53 },
          { port: 53, protocol: Protocol.UDP, servicePort: 5353, publish: 53 },
        ],
      }),
    errors: [`service 'dns': published host port 53 is already published by service 'dns'`],
  },
  {
    title: 'a host port published by a service and the gateway',
    define: (app) => {
      const web = httpService(app, 'web', { ports: [{ port: 8080, name: 'http', publish: 8080 }] });
      new Gateway(app, 'gateway', { routes: [{ path: '/', service: web }] });
    },
    errors: [`gateway 'gateway': published host port 8080 is already published by service 'web'`],
  },
  {
    title: 'a host port published by a sidecar and another service',
    define: (app) => {
      httpService(app, 'web', { sidecars: [{ name: 'proxy', image: IMAGE, ports: [{ port: 15001, publish: 9000 }] }] });
      httpService(app, 'admin', { ports: [{ port: 8080, name: 'http', publish: 9000 }] });
    },
    errors: [`service 'admin': published host port 9000 is already published by service 'web'`],
  },
  {
    title: 'NodePort publish outside 30000..32767',
    define: (app) => httpService(app, 'web', { serviceType: ServiceType.NODE_PORT, ports: [{ port: 8080, name: 'http', publish: 8080 }] }),
    errors: [`service 'web': 'ports[0].publish' must be in 30000..32767 for serviceType NodePort, got 8080`],
  },
  {
    title: 'LoadBalancer service without ports',
    define: (app) => worker(app, 'worker', { serviceType: ServiceType.LOAD_BALANCER }),
    errors: [`service 'worker': 'serviceType' LoadBalancer needs at least one port`],
  },
  {
    title: 'servicePort out of range, reused, and on a sidecar',
    define: (app) =>
      httpService(app, 'web', {
        ports: [{ port: 8080, name: 'http', servicePort: 0 }, { port: 8079, servicePort: 8081 }, { port: 8081 }],
        sidecars: [{ name: 'proxy', image: IMAGE, ports: [{ port: 15001, servicePort: 80 }] }],
      }),
    errors: [
      `service 'web': 'ports[0].servicePort' must be an integer in 1..65535, got 0`,
      `service 'web': 'ports[2].servicePort' 8081/TCP is already the Service port of another port`,
      `service 'web': 'sidecars[proxy].ports[0].servicePort' applies to the service's own ports only (sidecar ports are not part of ` +
        `its Service), got 80`,
    ],
  },
  {
    title: 'ingressFrom with a bad CIDR, a bad namespace and a plain string',
    define: (app) =>
      httpService(app, 'web', {
        serviceType: ServiceType.LOAD_BALANCER,
        ingressFrom: [IngressSource.cidr('10.0.0.0/33'), IngressSource.namespace('Ingress_NGINX'), '10.0.0.0/8' as never],
      }),
    errors: [
      `service 'web': 'ingressFrom[0]' must be an IPv4 or IPv6 CIDR block such as '10.0.0.0/8', got "10.0.0.0/33"`,
      `service 'web': 'ingressFrom[1]' namespace must be a DNS-1123 label, got "Ingress_NGINX"`,
      `service 'web': 'ingressFrom[2]' must be an IngressSource (IngressSource.anywhere/cidr/namespace), got "10.0.0.0/8"`,
    ],
  },
  // --- dependencies ----------------------------------------------------------------------------------------------
  {
    title: 'dependsOn on a service of another application',
    define: (app) => httpService(app, 'web', { dependsOn: [httpService(new Application('other'), 'api')] }),
    errors: [`service 'web': 'dependsOn' refers to 'other/api' which is outside application 'app'`],
  },
  {
    title: 'dependsOn on itself',
    define: (app) => {
      const web = httpService(app, 'web');
      web.addDependency(web);
    },
    errors: [`service 'web': 'dependsOn' must not contain the service itself, got 'web'`],
  },
  {
    title: 'dependsOn on a service without ports',
    define: (app) => httpService(app, 'web', { dependsOn: [worker(app, 'jobs')] }),
    errors: [`service 'web': 'dependsOn' refers to 'jobs' which declares no ports to connect to`],
  },
  {
    title: 'healthy condition on a dependency without probe',
    define: (app) => httpService(app, 'web').addDependency(httpService(app, 'api'), { condition: DependencyCondition.HEALTHY }),
    errors: [`service 'web': 'dependsOn' waits for 'api' to be healthy but 'api' has no probe or healthcheck`],
  },
  {
    title: 'a two-service dependency cycle',
    define: (app) => {
      const a = httpService(app, 'orders');
      const b = httpService(app, 'payments', { dependsOn: [a] });
      a.addDependency(b);
    },
    errors: [`service 'orders': 'dependsOn' forms a cycle: orders -> payments -> orders`],
  },
  {
    title: 'a three-service dependency cycle behind an acyclic prefix',
    define: (app) => {
      const a = httpService(app, 'a');
      const b = httpService(app, 'b', { dependsOn: [a] });
      const c = httpService(app, 'c', { dependsOn: [b] });
      httpService(app, 'entry', { dependsOn: [c] });
      a.addDependency(c);
    },
    errors: [`service 'a': 'dependsOn' forms a cycle: a -> c -> b -> a`],
  },
  // --- replicas and autoscaling ----------------------------------------------------------------------------------
  {
    title: 'negative replicas',
    define: (app) => httpService(app, 'web', { replicas: -1 }),
    errors: [`service 'web': 'replicas' must be >= 0, got -1`],
  },
  {
    title: 'non-integer replicas',
    define: (app) => httpService(app, 'web', { replicas: 2.5 }),
    errors: [`service 'web': 'replicas' must be an integer, got 2.5`],
  },
  {
    title: 'autoscaling minReplicas > maxReplicas',
    define: (app) => httpService(app, 'web', { autoscaling: { minReplicas: 5, maxReplicas: 2 } }),
    errors: [`service 'web': 'autoscaling.minReplicas' must be <= maxReplicas, got min 5 > max 2`],
  },
  {
    title: 'autoscaling minReplicas < 1',
    define: (app) => httpService(app, 'web', { autoscaling: { minReplicas: 0, maxReplicas: 3 } }),
    errors: [`service 'web': 'autoscaling.minReplicas' must be an integer >= 1, got 0`],
  },
  {
    title: 'autoscaling together with replicas',
    define: (app) => httpService(app, 'web', { replicas: 3, autoscaling: { minReplicas: 2, maxReplicas: 4 } }),
    errors: [`service 'web': 'autoscaling' and 'replicas' are mutually exclusive, got replicas 3`],
  },
  {
    title: 'autoscaling with a non-ALWAYS restart policy',
    define: (app) => httpService(app, 'web', { restartPolicy: RestartPolicy.ON_FAILURE, autoscaling: { minReplicas: 1, maxReplicas: 3 } }),
    errors: [`service 'web': 'autoscaling' needs restartPolicy ALWAYS, got "on-failure"`],
  },
  {
    title: 'autoscaling target cpu of 0 percent',
    define: (app) => httpService(app, 'web', { autoscaling: { minReplicas: 1, maxReplicas: 3, targetCpuPercent: 0 } }),
    errors: [`service 'web': 'autoscaling.targetCpuPercent' must be an integer in 1..1000, got 0`],
  },
  // --- probes ----------------------------------------------------------------------------------------------------
  {
    title: 'probe on an undeclared port',
    define: (app) => httpService(app, 'web', { readinessProbe: Probe.http('/ready', { port: 9000 }) }),
    errors: [`service 'web': 'readinessProbe' probes port 9000 that 'ports' does not declare (declared: [8080])`],
  },
  {
    title: 'tcp probe on a service without ports',
    define: (app) => worker(app, 'jobs', { livenessProbe: Probe.tcp() }),
    errors: [`service 'jobs': 'livenessProbe' is a tcp probe but the service declares no ports`],
  },
  {
    title: 'http probe path without a leading slash',
    define: (app) => httpService(app, 'web', { livenessProbe: Probe.http('healthz') }),
    errors: [`service 'web': 'livenessProbe' path must start with '/', got "healthz"`],
  },
  {
    title: 'probe period of 0 seconds',
    define: (app) => httpService(app, 'web', { readinessProbe: Probe.http('/ready', { periodSeconds: 0 }) }),
    errors: [`service 'web': 'readinessProbe.periodSeconds' must be an integer >= 1, got 0`],
  },
  {
    title: 'negative initial delay and fractional timeout of a startup probe',
    define: (app) => httpService(app, 'web', { startupProbe: Probe.tcp({ initialDelaySeconds: -5, timeoutSeconds: 0.5 }) }),
    errors: [
      `service 'web': 'startupProbe.initialDelaySeconds' must be an integer >= 0, got -5`,
      `service 'web': 'startupProbe.timeoutSeconds' must be an integer >= 1, got 0.5`,
    ],
  },
  {
    title: 'command probe with an empty command',
    define: (app) => httpService(app, 'web', { healthcheck: Probe.command([]) }),
    errors: [`service 'web': 'healthcheck' command must be a non-empty list of non-empty strings, got []`],
  },
  // --- volumes and mounts ----------------------------------------------------------------------------------------
  {
    title: 'a volume and a config file at the same path',
    define: (app) =>
      httpService(app, 'web', {
        volumes: [{ name: 'conf', mountPath: '/etc/app' }],
        configFiles: [{ mountPath: '/etc/app', content: 'x' }],
      }),
    errors: [`service 'web': 'configFiles[0].mountPath' mount path "/etc/app" clashes with 'volumes[0].mountPath'`],
  },
  {
    title: 'a config file at a writable path',
    define: (app) => httpService(app, 'web', { configFiles: [{ mountPath: '/tmp', content: 'x' }] }),
    errors: [`service 'web': 'security.writablePaths[0]' mount path "/tmp" clashes with 'configFiles[0].mountPath'`],
  },
  {
    title: 'a volume and a secret file at the same path written differently (trailing slash)',
    define: (app) =>
      httpService(app, 'web', {
        volumes: [{ name: 'certs', mountPath: '/etc/certs/', scratch: true }],
        secretFiles: [{ secretName: 'tls', key: 'tls.crt', mountPath: '/etc/certs' }],
      }),
    errors: [`service 'web': 'secretFiles[0].mountPath' mount path "/etc/certs" clashes with 'volumes[0].mountPath'`],
  },
  {
    title: 'a relative volume mount path',
    define: (app) => httpService(app, 'web', { volumes: [{ name: 'data', mountPath: 'data' }] }),
    errors: [`service 'web': 'volumes[0].mountPath' must be an absolute path, got "data"`],
  },
  {
    title: 'a relative writable path',
    define: (app) => httpService(app, 'web', { security: { writablePaths: ['/tmp', 'var/cache'] } }),
    errors: [`service 'web': 'security.writablePaths' must be absolute paths, got "var/cache"`],
  },
  {
    title: 'a volume size that is not a quantity',
    define: (app) => httpService(app, 'web', { volumes: [{ name: 'data', mountPath: '/data', size: '10GB' }] }),
    errors: [`service 'web': 'volumes[0].size' must be a quantity like 1Gi, got "10GB"`],
  },
  {
    title: 'a volume size of zero',
    define: (app) => httpService(app, 'web', { volumes: [{ name: 'data', mountPath: '/data', size: '0Gi' }] }),
    errors: [`service 'web': 'volumes[0].size' must be a quantity like 1Gi, got "0Gi"`],
  },
  {
    title: 'a size on a scratch volume',
    define: (app) => httpService(app, 'web', { volumes: [{ name: 'cache', mountPath: '/cache', scratch: true, size: '1Gi' }] }),
    errors: [`service 'web': 'volumes[0].size' applies to persistent volumes only; "cache" is scratch`],
  },
  {
    title: 'a volume declared twice by one service',
    define: (app) =>
      httpService(app, 'web', {
        volumes: [
          { name: 'data', mountPath: '/a' },
          { name: 'data', mountPath: '/b' },
        ],
      }),
    errors: [`service 'web': 'volumes' declares "data" twice`],
  },
  {
    title: 'a persistent volume owned by two services',
    define: (app) => {
      httpService(app, 'web', { volumes: [{ name: 'shared', mountPath: '/data' }] });
      httpService(app, 'admin', { volumes: [{ name: 'shared', mountPath: '/srv' }] });
    },
    errors: [`service 'admin': 'volumes' persistent volume "shared" is already owned by service 'web'`],
  },
  // --- gateway ---------------------------------------------------------------------------------------------------
  {
    title: 'a gateway route to a port the service does not declare',
    define: (app) => new Gateway(app, 'gateway', { routes: [{ path: '/api', service: httpService(app, 'api'), port: 9090 }] }),
    errors: [`gateway 'gateway': 'routes[/api]' targets port 9090 of service 'api' which declares ports [8080]`],
  },
  {
    title: 'a gateway route to a service without ports',
    define: (app) => new Gateway(app, 'gateway', { routes: [{ path: '/jobs', service: worker(app, 'jobs') }] }),
    errors: [`gateway 'gateway': 'routes[/jobs]' targets service 'jobs' which declares no ports`],
  },
  {
    title: 'a gateway route to a service of another application',
    define: (app) => new Gateway(app, 'gateway', { routes: [{ path: '/ext', service: httpService(new Application('other'), 'ext') }] }),
    errors: [`gateway 'gateway': 'routes[/ext]' refers to 'other/ext' which is outside application 'app'`],
  },
  {
    title: 'a gateway route path without a leading slash',
    define: (app) => new Gateway(app, 'gateway', { routes: [{ path: 'api', service: httpService(app, 'api') }] }),
    errors: [`gateway 'gateway': 'routes' path must start with '/' and hold only letters, digits and '-._~/', got "api"`],
  },
  {
    title: 'a gateway route path that would break the nginx configuration',
    define: (app) => new Gateway(app, 'gateway', { routes: [{ path: '/api; } server {', service: httpService(app, 'api') }] }),
    errors: [`gateway 'gateway': 'routes' path must start with '/' and hold only letters, digits and '-._~/', got "/api; } server {"`],
  },
  {
    title: 'a gateway host that is not a DNS name',
    define: (app) => new Gateway(app, 'gateway', { host: 'Shop_Example', routes: [{ path: '/', service: httpService(app, 'web') }] }),
    errors: [`gateway 'gateway': 'host' must be a DNS name, got "Shop_Example"`],
  },
  {
    title: 'two gateways',
    define: (app) => {
      const web = httpService(app, 'web');
      new Gateway(app, 'public', { routes: [{ path: '/', service: web }], publish: 8080 });
      new Gateway(app, 'internal', { routes: [{ path: '/', service: web }], publish: 8081 });
    },
    errors: [`application 'app': at most one gateway, got 2 (app/public, app/internal)`],
  },
  {
    title: 'a gateway image with the latest tag',
    define: (app) => new Gateway(app, 'gateway', { image: 'nginx:latest', routes: [{ path: '/', service: httpService(app, 'web') }] }),
    errors: [`gateway 'gateway': 'image' must not use the ':latest' tag, got "nginx:latest"`],
  },
  // --- images ----------------------------------------------------------------------------------------------------
  {
    title: 'an empty image reference',
    define: (app) => httpService(app, 'web', { image: Image.fromRegistry('') }),
    errors: [`service 'web': 'image' must not be empty`],
  },
  {
    title: 'an image without a tag',
    define: (app) => httpService(app, 'web', { image: Image.fromRegistry('redis') }),
    errors: [`service 'web': 'image' must pin a tag (e.g. redis:7.2), got "redis"`],
  },
  {
    title: 'an image from a registry with a port but without a tag',
    define: (app) => httpService(app, 'web', { image: Image.fromRegistry('registry.local:5000/team/web') }),
    errors: [`service 'web': 'image' must pin a tag (e.g. redis:7.2), got "registry.local:5000/team/web"`],
  },
  {
    title: 'an image with the latest tag',
    define: (app) => httpService(app, 'web', { image: Image.fromRegistry('ghcr.io/acme/web:latest') }),
    errors: [`service 'web': 'image' must not use the ':latest' tag, got "ghcr.io/acme/web:latest"`],
  },
  {
    title: 'an image reference with uppercase repository letters',
    define: (app) => httpService(app, 'web', { image: Image.fromRegistry('ghcr.io/Acme/web:1.0') }),
    errors: [`service 'web': 'image' is not a valid image reference, got "ghcr.io/Acme/web:1.0"`],
  },
  {
    title: 'an image reference with an empty tag',
    define: (app) => httpService(app, 'web', { image: Image.fromRegistry('redis:') }),
    errors: [`service 'web': 'image' is not a valid image reference, got "redis:"`],
  },
  {
    title: 'an image reference with a space',
    define: (app) => httpService(app, 'web', { image: Image.fromRegistry('redis:7 alpine') }),
    errors: [`service 'web': 'image' is not a valid image reference, got "redis:7 alpine"`],
  },
  {
    title: 'an image reference with a double colon',
    define: (app) => httpService(app, 'web', { image: Image.fromRegistry('redis::7') }),
    errors: [`service 'web': 'image' is not a valid image reference, got "redis::7"`],
  },
  {
    title: 'a sidecar image without a tag',
    define: (app) => httpService(app, 'web', { sidecars: [{ name: 'proxy', image: Image.fromRegistry('envoyproxy/envoy') }] }),
    errors: [`service 'web': 'sidecars[proxy].image' must pin a tag (e.g. redis:7.2), got "envoyproxy/envoy"`],
  },
  {
    title: 'a build context without a Dockerfile',
    define: (app) => httpService(app, 'web', { image: Image.fromDockerfile(MISSING_CONTEXT) }),
    errors: [`service 'web': 'image' Dockerfile not found, got ${JSON.stringify(path.join(MISSING_CONTEXT, 'Dockerfile'))}`],
  },
  {
    title: 'a build with a named Dockerfile that does not exist',
    define: (app) => httpService(app, 'web', { image: Image.fromDockerfile(BUILD_CONTEXT, { dockerfile: 'Dockerfile.prod' }) }),
    errors: [`service 'web': 'image' Dockerfile not found, got ${JSON.stringify(path.join(BUILD_CONTEXT, 'Dockerfile.prod'))}`],
  },
  {
    title: 'a build tag without a tag',
    define: (app) => httpService(app, 'web', { image: Image.fromDockerfile(BUILD_CONTEXT, { tag: 'my-service' }) }),
    errors: [`service 'web': 'image' must pin a tag (e.g. redis:7.2), got "my-service"`],
  },
  {
    title: 'an image override to an unpinned reference',
    appProps: { imageOverrides: { 'nginx:1.27-alpine': 'registry.local/nginx' } },
    define: (app) => httpService(app, 'web'),
    errors: [`application 'app': 'imageOverrides[nginx:1.27-alpine]' must pin a tag (e.g. redis:7.2), got "registry.local/nginx"`],
  },
  // --- env, secrets, config --------------------------------------------------------------------------------------
  {
    title: 'a password given as a plaintext value',
    define: (app) => httpService(app, 'web', { env: { DB_PASSWORD: EnvValue.fromValue('hunter2') } }),
    errors: [
      `service 'web': 'env.DB_PASSWORD' must be a secret reference (EnvValue.fromSecret(name, key)) as its name looks like a ` +
        `secret, got a plaintext value (not a credential? EnvValue.fromValue(value, { notSecret: true }))`,
    ],
  },
  {
    title: 'notSecret that is not a boolean, an unknown option of fromValue, and options that are not an object',
    define: (app) =>
      httpService(app, 'web', {
        env: {
          TOKEN_TTL: EnvValue.fromValue('3600', { notSecret: 'yes' as unknown as boolean }),
          MODE: EnvValue.fromValue('x', { secret: false } as never),
          LEVEL: EnvValue.fromValue('x', null as never),
        },
      }),
    errors: [
      `service 'web': 'env.TOKEN_TTL' option 'notSecret' must be a boolean, got "yes"`,
      `service 'web': 'env.TOKEN_TTL' must be a secret reference (EnvValue.fromSecret(name, key)) as its name looks like a ` +
        `secret, got a plaintext value (not a credential? EnvValue.fromValue(value, { notSecret: true }))`,
      `service 'web': unknown option 'secret' in 'env.MODE' (known: notSecret)`,
      `service 'web': 'env.LEVEL' must be an object, got null`,
    ],
  },
  {
    title: 'an api key given as a plaintext value to a sidecar',
    define: (app) =>
      httpService(app, 'web', { sidecars: [{ name: 'proxy', image: IMAGE, env: { UPSTREAM_API_KEY: EnvValue.fromValue('abc123') } }] }),
    errors: [
      `service 'web': 'sidecars[proxy].env.UPSTREAM_API_KEY' must be a secret reference (EnvValue.fromSecret(name, key)) as its ` +
        `name looks like a secret, got a plaintext value (not a credential? EnvValue.fromValue(value, { notSecret: true }))`,
    ],
  },
  {
    title: 'a token taken from the plain-text application config',
    appProps: { config: { 'github-token': 'ghp_x' } },
    define: (app) => httpService(app, 'web', { env: { GITHUB_TOKEN: EnvValue.fromConfig('github-token') } }),
    errors: [
      `service 'web': 'env.GITHUB_TOKEN' must be a secret reference (EnvValue.fromSecret(name, key)) as its name looks like a ` +
        `secret, got config key "github-token" (written in plain text)`,
    ],
  },
  {
    title: 'a secret name that is not a DNS-1123 subdomain',
    define: (app) => httpService(app, 'web', { env: { DB_PASSWORD: EnvValue.fromSecret('DB_Credentials', 'password') } }),
    errors: [`service 'web': 'env.DB_PASSWORD' secret name must be a DNS-1123 subdomain, got "DB_Credentials"`],
  },
  {
    title: 'a secret key with a slash',
    define: (app) => httpService(app, 'web', { env: { DB_PASSWORD: EnvValue.fromSecret('db', 'pass/word') } }),
    errors: [`service 'web': 'env.DB_PASSWORD' secret key must match [-._a-zA-Z0-9]+, got "pass/word"`],
  },
  {
    title: 'a secret file from an invalid secret name',
    define: (app) => httpService(app, 'web', { secretFiles: [{ secretName: 'tls!', key: 'tls.crt', mountPath: '/etc/tls/tls.crt' }] }),
    errors: [`service 'web': 'secretFiles[0]' secret name must be a DNS-1123 subdomain, got "tls!"`],
  },
  {
    title: 'an unknown config key',
    appProps: { config: { LOG_LEVEL: 'info' } },
    define: (app) => httpService(app, 'web', { env: { CURRENCY: EnvValue.fromConfig('CURRENCY') } }),
    errors: [`service 'web': 'env.CURRENCY' refers to config key "CURRENCY" that the application's 'config' does not define`],
  },
  {
    title: 'an invalid application config key',
    appProps: { config: { 'log level': 'info' } },
    define: (app) => httpService(app, 'web'),
    errors: [`application 'app': 'config' key must match [-._a-zA-Z0-9]+, got "log level"`],
  },
  {
    title: 'an env var name starting with a digit',
    define: (app) => httpService(app, 'web', { env: { '1ST_RUN': EnvValue.fromValue('yes') } }),
    errors: [`service 'web': 'env' variable name must match [-._a-zA-Z][-._a-zA-Z0-9]*, got "1ST_RUN"`],
  },
  {
    title: 'an env var name with a space or an equals sign',
    define: (app) => httpService(app, 'web', { env: { 'LOG LEVEL': EnvValue.fromValue('info'), 'A=B': EnvValue.fromValue('c') } }),
    errors: [
      `service 'web': 'env' variable name must match [-._a-zA-Z][-._a-zA-Z0-9]*, got "LOG LEVEL"`,
      `service 'web': 'env' variable name must match [-._a-zA-Z][-._a-zA-Z0-9]*, got "A=B"`,
    ],
  },
  {
    title: 'an env var clashing with the injected <DEP>_HOST',
    define: (app) =>
      httpService(app, 'web', { dependsOn: [httpService(app, 'user-db')], env: { USER_DB_HOST: EnvValue.fromValue('localhost') } }),
    errors: [`service 'web': 'env.USER_DB_HOST' clashes with the variable injected for dependency 'user-db'`],
  },
  // --- resources -------------------------------------------------------------------------------------------------
  {
    title: 'a memory request above the memory limit',
    define: (app) => httpService(app, 'web', { resources: { memory: { request: Memory.mebibytes(512), limit: Memory.mebibytes(256) } } }),
    errors: [`service 'web': 'resources.memory' request must be <= limit, got request 512 > limit 256`],
  },
  {
    title: 'a cpu request of zero',
    define: (app) => httpService(app, 'web', { resources: { cpu: { request: Cpu.millis(0) } } }),
    errors: [`service 'web': 'resources.cpu.request' must be > 0, got 0`],
  },
  {
    title: 'a negative application memory limit',
    appProps: { resources: { memory: { limit: Memory.mebibytes(-1) } } },
    define: (app) => httpService(app, 'web'),
    errors: [`application 'app': 'resources.memory.limit' must be > 0, got -1`],
  },
  {
    title: 'a fraction of a millicore',
    define: (app) => httpService(app, 'web', { resources: { cpu: { limit: Cpu.millis(250.5) } } }),
    errors: [`service 'web': 'resources.cpu.limit' must be a whole number of millicores, got 250.5`],
  },
  {
    title: 'a service memory request above the limit inherited from the application',
    appProps: { resources: { memory: { limit: Memory.mebibytes(256) } } },
    define: (app) => httpService(app, 'web', { resources: { memory: { request: Memory.gibibytes(1) } } }),
    errors: [`service 'web': 'resources.memory.request' must be <= the limit inherited from the application (256 MiB), got 1024`],
  },
  {
    title: 'a service cpu request above the default limit',
    define: (app) => httpService(app, 'web', { resources: { cpu: { request: Cpu.cores(1) } } }),
    errors: [`service 'web': 'resources.cpu.request' must be <= the limit inherited from the defaults (500 millicores), got 1000`],
  },
  {
    title: 'a sidecar memory request above the limit inherited from its service',
    define: (app) =>
      httpService(app, 'web', {
        resources: { memory: { limit: Memory.mebibytes(128) } },
        sidecars: [{ name: 'proxy', image: IMAGE, resources: { memory: { request: Memory.mebibytes(200) } } }],
      }),
    errors: [
      `service 'web': 'sidecars[proxy].resources.memory.request' must be <= the limit inherited from the service (128 MiB), got 200`,
    ],
  },
  // --- security --------------------------------------------------------------------------------------------------
  {
    title: 'user 0 with the default runAsNonRoot',
    define: (app) => httpService(app, 'web', { security: { user: 0 } }),
    errors: [
      `service 'web': 'security.user' must not be 0 (root) while 'runAsNonRoot' is true (set runAsNonRoot: false to run as root), got 0`,
    ],
  },
  {
    title: 'runAsNonRoot turned back on for a service of an application that runs as root',
    appProps: { security: { user: 0, runAsNonRoot: false, breaksPodSecurity: PodSecurityLevel.RESTRICTED } },
    define: (app) => httpService(app, 'web', { security: { runAsNonRoot: true } }),
    errors: [
      `service 'web': 'security.user' must not be 0 (root) while 'runAsNonRoot' is true (set runAsNonRoot: false to run as root), got 0`,
    ],
  },
  {
    title: 'application user 0 with the default runAsNonRoot',
    appProps: { security: { user: 0 } },
    define: (app) => httpService(app, 'web'),
    errors: [
      `application 'app': 'security.user' must not be 0 (root) while 'runAsNonRoot' is true (set runAsNonRoot: false to run as ` +
        `root), got 0`,
    ],
  },
  {
    title: 'a negative group id',
    define: (app) => httpService(app, 'web', { security: { group: -1 } }),
    errors: [`service 'web': 'security.group' must be an integer >= 0, got -1`],
  },
  {
    title: 'a lowercase capability',
    define: (app) => httpService(app, 'web', { security: { capabilitiesAdd: ['net_bind_service'] } }),
    errors: [`service 'web': 'security.capabilitiesAdd' must hold names like NET_BIND_SERVICE, got "net_bind_service"`],
  },
  {
    title: 'a capability with the CAP_ prefix',
    define: (app) => httpService(app, 'web', { security: { capabilitiesAdd: ['CAP_NET_ADMIN'] } }),
    errors: [`service 'web': 'security.capabilitiesAdd' must hold names like NET_BIND_SERVICE, got "CAP_NET_ADMIN"`],
  },
  {
    title: 'publish addresses that are not IP addresses, and one on a port that is not published',
    appProps: { publishAddress: 'localhost' },
    define: (app) =>
      httpService(app, 'web', {
        ports: [
          { port: 8080, publish: 8080, publishAddress: '0.0.0.0/0' },
          { port: 9090, publishAddress: '0.0.0.0' },
        ],
      }),
    errors: [
      `service 'web': 'ports[0].publishAddress' must be an IPv4 or IPv6 address such as '127.0.0.1' or '0.0.0.0', got "0.0.0.0/0"`,
      `service 'web': 'ports[1].publishAddress' needs 'publish' (a host port), got "0.0.0.0"`,
      `application 'app': 'publishAddress' must be an IPv4 or IPv6 address such as '127.0.0.1' or '0.0.0.0', got "localhost"`,
    ],
  },
  {
    title: 'a capability beyond NET_BIND_SERVICE without the opt-out',
    define: (app) => httpService(app, 'web', { security: { capabilitiesAdd: ['CHOWN'] } }),
    errors: [
      `service 'web': 'security' breaks the restricted Pod Security profile (capabilitiesAdd CHOWN); add breaksPodSecurity: ` +
        `'restricted' to opt out explicitly`,
    ],
  },
  {
    title: 'an opt-out naming a profile stricter than the one the settings break',
    define: (app) =>
      httpService(app, 'web', { security: { capabilitiesAdd: ['SYS_ADMIN'], breaksPodSecurity: PodSecurityLevel.RESTRICTED } }),
    errors: [
      `service 'web': 'security.breaksPodSecurity' must name the strictest profile the settings break, 'baseline' (capabilitiesAdd ` +
        `SYS_ADMIN), got "restricted"`,
    ],
  },
  {
    title: 'root on an application without the opt-out',
    appProps: { security: { user: 0, runAsNonRoot: false } },
    define: (app) => httpService(app, 'web'),
    errors: [
      `application 'app': 'security' breaks the restricted Pod Security profile (runAsNonRoot false, user 0); add ` +
        `breaksPodSecurity: 'restricted' to opt out explicitly`,
    ],
  },
  {
    title: 'an Unconfined seccomp profile without the opt-out',
    define: (app) => httpService(app, 'web', { security: { seccompProfile: { type: SeccompProfileType.UNCONFINED } } }),
    errors: [
      `service 'web': 'security' breaks the baseline Pod Security profile (seccompProfile Unconfined); add breaksPodSecurity: ` +
        `'baseline' to opt out explicitly`,
    ],
  },
  {
    title: 'a Localhost seccomp profile without a path, an absolute one, and a path on RuntimeDefault',
    define: (app) => {
      httpService(app, 'a', { security: { seccompProfile: { type: SeccompProfileType.LOCALHOST } } });
      httpService(app, 'b', { security: { seccompProfile: { type: SeccompProfileType.LOCALHOST, localhostProfile: '/etc/p.json' } } });
      httpService(app, 'c', { security: { seccompProfile: { type: SeccompProfileType.RUNTIME_DEFAULT, localhostProfile: 'p.json' } } });
    },
    errors: [
      `service 'a': 'security.seccompProfile.localhostProfile' must be a relative path below the kubelet's seccomp directory, got ` +
        `undefined`,
      `service 'b': 'security.seccompProfile.localhostProfile' must be a relative path below the kubelet's seccomp directory, got ` +
        `"/etc/p.json"`,
      `service 'c': 'security.seccompProfile.localhostProfile' is only allowed with type Localhost, got "p.json"`,
    ],
  },
  {
    title: 'an unknown seccomp type, an AppArmor profile of another form and an unknown podSecurity',
    appProps: { podSecurity: 'strict' as PodSecurityLevel },
    define: (app) =>
      httpService(app, 'web', {
        security: { seccompProfile: { type: 'Default' as SeccompProfileType }, appArmorProfile: 'docker-default' },
      }),
    errors: [
      `service 'web': 'security.seccompProfile.type' must be one of RuntimeDefault, Localhost, Unconfined, got "Default"`,
      `service 'web': 'security.appArmorProfile' must be 'runtime/default', 'unconfined' or 'localhost/<profile>', got "docker-default"`,
      `application 'app': 'podSecurity' must be one of privileged, baseline, restricted, got "strict"`,
    ],
  },
  // --- labels, metrics, sidecars, misc ---------------------------------------------------------------------------
  {
    title: 'a label key starting with a dash',
    define: (app) => httpService(app, 'web', { labels: { '-team': 'shop' } }),
    errors: [`service 'web': 'labels' key must be a Kubernetes label key, got "-team"`],
  },
  {
    title: 'a label value longer than 63 characters',
    define: (app) => httpService(app, 'web', { labels: { team: 'x'.repeat(64) } }),
    errors: [`service 'web': 'labels.team' must be a Kubernetes label value (<= 63 characters), got "${'x'.repeat(64)}"`],
  },
  {
    title: 'an application label with a space in the value',
    appProps: { labels: { owner: 'team shop' } },
    define: (app) => httpService(app, 'web'),
    errors: [`application 'app': 'labels.owner' must be a Kubernetes label value (<= 63 characters), got "team shop"`],
  },
  {
    title: 'a service label overriding the part-of label selectors rely on',
    define: (app) => httpService(app, 'web', { labels: { 'app.kubernetes.io/part-of': 'other' } }),
    errors: [`service 'web': 'labels' must not set "app.kubernetes.io/part-of" (the model sets it and selectors rely on it), got "other"`],
  },
  {
    title: 'a metrics port the service does not declare',
    define: (app) => httpService(app, 'web', { metrics: { port: 9090 } }),
    errors: [`service 'web': 'metrics.port' must be one of the service's ports [8080], got 9090`],
  },
  {
    title: 'a metrics path without a leading slash',
    define: (app) => httpService(app, 'web', { metrics: { port: 8080, path: 'metrics' } }),
    errors: [`service 'web': 'metrics.path' must start with '/', got "metrics"`],
  },
  {
    title: 'a sidecar port clashing with the service port',
    define: (app) => httpService(app, 'web', { sidecars: [{ name: 'proxy', image: IMAGE, ports: [{ port: 8080 }] }] }),
    errors: [`service 'web': 'sidecars[proxy].ports' port 8080 clashes with the service's port (they share one network namespace)`],
  },
  {
    title: 'two sidecars on the same port',
    define: (app) =>
      httpService(app, 'web', {
        sidecars: [
          { name: 'proxy', image: IMAGE, ports: [{ port: 15001 }] },
          { name: 'exporter', image: IMAGE, ports: [{ port: 15001 }] },
        ],
      }),
    errors: [
      `service 'web': 'sidecars[exporter].ports' port 15001 clashes with the port of sidecar 'proxy' (they share one network namespace)`,
    ],
  },
  {
    title: 'an empty command',
    define: (app) => httpService(app, 'web', { command: [] }),
    errors: [`service 'web': 'command' must not be empty, got []`],
  },
  // --- stopping ------------------------------------------------------------------------------------------------
  {
    title: 'a stop signal without the SIG prefix',
    define: (app) => httpService(app, 'web', { stopSignal: 'INT' }),
    errors: [`service 'web': 'stopSignal' must be a signal name like SIGINT (^SIG[A-Z0-9]+$), got "INT"`],
  },
  {
    title: 'a lowercase stop signal',
    define: (app) => httpService(app, 'web', { stopSignal: 'sigint' }),
    errors: [`service 'web': 'stopSignal' must be a signal name like SIGINT (^SIG[A-Z0-9]+$), got "sigint"`],
  },
  {
    title: 'a stop signal with an offset (SIGRTMIN+3)',
    define: (app) => httpService(app, 'web', { stopSignal: 'SIGRTMIN+3' }),
    errors: [`service 'web': 'stopSignal' must be a signal name like SIGINT (^SIG[A-Z0-9]+$), got "SIGRTMIN+3"`],
  },
  {
    title: 'a negative stop grace period',
    define: (app) => httpService(app, 'web', { stopGracePeriodSeconds: -1 }),
    errors: [`service 'web': 'stopGracePeriodSeconds' must be an integer >= 0, got -1`],
  },
  {
    title: 'a fractional stop grace period',
    define: (app) => worker(app, 'jobs', { stopGracePeriodSeconds: 2.5 }),
    errors: [`service 'jobs': 'stopGracePeriodSeconds' must be an integer >= 0, got 2.5`],
  },
  {
    title: 'a wait image with the latest tag',
    appProps: { waitImage: 'busybox:latest' },
    define: (app) => httpService(app, 'web'),
    errors: [`application 'app': 'waitImage' must not use the ':latest' tag, got "busybox:latest"`],
  },
  // --- unknown options and wrong types (what `npm run synth` does not type-check) -------------------------------
  {
    title: 'a misspelt service option (replica for replicas)',
    define: (app) => httpService(app, 'web', { replica: 3 } as never),
    errors: [
      new RegExp(
        /^service 'web': unknown option 'replica' \(known: image, command, args, env, ports, resources, security, livenessProbe, /.source +
          /.*, secretFiles, name, labels, .*replicas, .*metrics\)$/.source,
      ),
    ],
  },
  {
    title: 'an option a probe does not have',
    define: (app) => httpService(app, 'web', { readinessProbe: Probe.http('/ready', { httpHeaders: { a: 'b' } } as never) }),
    errors: [
      `service 'web': unknown option 'httpHeaders' in 'readinessProbe' (known: initialDelaySeconds, periodSeconds, timeoutSeconds, ` +
        `failureThreshold, port, headers)`,
    ],
  },
  {
    title: 'Probe.none() outside healthcheck, a bad header name and a header value with a newline',
    define: (app) =>
      httpService(app, 'web', {
        livenessProbe: Probe.none(),
        readinessProbe: Probe.http('/ready', { headers: { 'X Bad': 'a', Cookie: 'a\nb' } }),
      }),
    errors: [
      `service 'web': 'readinessProbe.headers' name must be an HTTP header name, got "X Bad"`,
      `service 'web': 'readinessProbe.headers.Cookie' must be a string without control characters, got "a\\nb"`,
      `service 'web': 'livenessProbe' must be a check; Probe.none() is for 'healthcheck' only`,
    ],
  },
  {
    title: 'a port option on a command probe',
    define: (app) => httpService(app, 'web', { livenessProbe: Probe.command(['true'], { port: 8080 } as never) }),
    errors: [
      `service 'web': unknown option 'port' in 'livenessProbe' (known: initialDelaySeconds, periodSeconds, timeoutSeconds, ` +
        `failureThreshold)`,
    ],
  },
  {
    title: 'unknown options of ports, volumes, autoscaling, metrics, resources and security',
    define: (app) =>
      httpService(app, 'web', {
        ports: [{ port: 8080, name: 'http', hostPort: 80 } as never],
        volumes: [{ name: 'data', mountPath: '/data', sizeGi: 1 } as never],
        autoscaling: { minReplicas: 1, maxReplicas: 2, cpu: 50 } as never,
        metrics: { port: 8080, scheme: 'http' } as never,
        resources: { cpu: { limits: Cpu.millis(100) } } as never,
        security: { privileged: true } as never,
      }),
    errors: [
      `service 'web': unknown option 'hostPort' in 'ports[0]' (known: port, name, protocol, appProtocol, publish, servicePort, ` +
        `publishAddress)`,
      `service 'web': unknown option 'limits' in 'resources.cpu' (known: request, limit)`,
      new RegExp(
        /^service 'web': unknown option 'privileged' in 'security' \(known: user, group, runAsNonRoot, readOnlyRootFilesystem, /.source +
          /writablePaths, allowPrivilegeEscalation, capabilitiesAdd\b.*\)$/.source,
      ),
      `service 'web': unknown option 'cpu' in 'autoscaling' (known: minReplicas, maxReplicas, targetCpuPercent)`,
      `service 'web': unknown option 'sizeGi' in 'volumes[0]' (known: name, mountPath, size, scratch, readOnly)`,
      `service 'web': unknown option 'scheme' in 'metrics' (known: port, path)`,
    ],
  },
  {
    title: 'unknown options of an image and a sidecar',
    define: (app) =>
      httpService(app, 'web', {
        image: Image.fromRegistry('nginx:1.27-alpine', { pinned: false } as never),
        sidecars: [{ name: 'proxy', image: IMAGE, privileged: true } as never],
      }),
    errors: [
      `service 'web': unknown option 'pinned' in 'image' (known: allowUnpinned)`,
      new RegExp(
        /^service 'web': unknown option 'privileged' in 'sidecars\[proxy\]' \(known: image, command, args, env, ports, resources, /.source +
          /security, livenessProbe, readinessProbe, startupProbe, healthcheck, configFiles, secretFiles, name\)$/.source,
      ),
    ],
  },
  {
    title: 'unknown application, logging and gateway options',
    appProps: { namespaces: 'x', logging: { drivr: 'local' } } as never,
    define: (app) =>
      new Gateway(app, 'gateway', { routes: [{ path: '/', service: httpService(app, 'web'), prefix: true } as never], tls: true } as never),
    errors: [
      /^gateway 'gateway': unknown option 'tls' \(known: routes, host, image, publish, ingressClassName, controllerNamespace\)$/,
      `gateway 'gateway': unknown option 'prefix' in 'routes[0]' (known: path, service, port)`,
      /^application 'app': unknown option 'namespaces' \(known: namespace, labels, .*\)$/,
      `application 'app': unknown option 'drivr' in 'logging' (known: driver, options)`,
    ],
  },
  {
    title: 'a number where an env value string belongs (EnvValue.fromValue(42))',
    define: (app) => httpService(app, 'web', { env: { WORKERS: EnvValue.fromValue(42 as never) } }),
    errors: [`service 'web': 'env.WORKERS' value must be a string, got 42`],
  },
  {
    title: 'a string where an Image belongs, an object where a Probe belongs',
    define: (app) => httpService(app, 'web', { image: 'nginx:1.27-alpine' as never, readinessProbe: { path: '/ready' } as never }),
    errors: [
      `service 'web': 'image' must be an Image (Image.fromRegistry or Image.fromDockerfile), got "nginx:1.27-alpine"`,
      `service 'web': 'readinessProbe' must be a Probe (Probe.http, Probe.tcp, Probe.grpc, Probe.command or Probe.none), got ` +
        `{"path":"/ready"}`,
    ],
  },
  {
    title: 'a string where a number belongs (replicas: "3")',
    define: (app) => httpService(app, 'web', { replicas: '3' as never }),
    errors: [`service 'web': 'replicas' must be an integer, got "3"`],
  },
  // --- hostile input: bounds, secrets, paths ---------------------------------------------------------------------
  {
    title: 'replicas beyond the bound (1e9 would plan a billion containers)',
    define: (app) => httpService(app, 'web', { replicas: 1e9 }),
    errors: [`service 'web': 'replicas' must be <= 1000, got 1000000000`],
  },
  {
    title: 'autoscaling maxReplicas beyond the bound',
    define: (app) => httpService(app, 'web', { autoscaling: { minReplicas: 1, maxReplicas: 1001 } }),
    errors: [`service 'web': 'autoscaling.maxReplicas' must be <= 1000, got 1001`],
  },
  {
    title: 'NaN and Infinity are shown as written, not as null',
    define: (app) => httpService(app, 'web', { replicas: NaN, stopGracePeriodSeconds: Infinity }),
    errors: [
      `service 'web': 'stopGracePeriodSeconds' must be an integer >= 0, got Infinity`,
      `service 'web': 'replicas' must be an integer, got NaN`,
    ],
  },
  {
    title: "secret keys '.' and '..' (as file names they would mount the whole secret folder)",
    define: (app) =>
      httpService(app, 'web', {
        env: { A_TOKEN: EnvValue.fromSecret('api', '..') },
        secretFiles: [{ secretName: 'tls', key: '.', mountPath: '/run/secrets/tls' }],
      }),
    errors: [
      `service 'web': 'env.A_TOKEN' secret key must not be '.' or '..', got ".."`,
      `service 'web': 'secretFiles[0]' secret key must not be '.' or '..', got "."`,
    ],
  },
  {
    title: 'two secrets that would share one compose variable (a-b/c and a/b-c both read A_B_C)',
    define: (app) => {
      httpService(app, 'one', { env: { X_TOKEN: EnvValue.fromSecret('a-b', 'c') } });
      httpService(app, 'two', { env: { Y_TOKEN: EnvValue.fromSecret('a', 'b-c') } });
    },
    errors: [
      `service 'two': 'env.Y_TOKEN': secret "a/b-c" and secret "a-b/c" (service 'one': 'env.X_TOKEN') would share compose variable ` +
        `"A_B_C"; rename one`,
    ],
  },
  {
    title: 'two secrets that would share one Pulumi config key (a.b/c and a/b.c both read a.b.c)',
    define: (app) =>
      httpService(app, 'web', { env: { X_TOKEN: EnvValue.fromSecret('a.b', 'c'), Y_TOKEN: EnvValue.fromSecret('a', 'b.c') } }),
    errors: [
      `service 'web': 'env.Y_TOKEN': secret "a/b.c" and secret "a.b/c" (service 'web': 'env.X_TOKEN') would share compose variable ` +
        `"A_B_C"; rename one`,
      `service 'web': 'env.Y_TOKEN': secret "a/b.c" and secret "a.b/c" (service 'web': 'env.X_TOKEN') would share Pulumi config key ` +
        `"a.b.c"; rename one`,
    ],
  },
  {
    title: 'secret keys that differ only in case collapse to one compose variable',
    define: (app) =>
      httpService(app, 'web', {
        env: { A_TOKEN: EnvValue.fromSecret('db', 'DB_PASSWORD'), B_TOKEN: EnvValue.fromSecret('db', 'db_password') },
      }),
    errors: [
      `service 'web': 'env.B_TOKEN': secret "db/db_password" and secret "db/DB_PASSWORD" (service 'web': 'env.A_TOKEN') would share ` +
        `compose variable "DB_DB_PASSWORD"; rename one`,
    ],
  },
  {
    title: "mount paths with '..' segments and a config file at /",
    define: (app) =>
      httpService(app, 'web', {
        volumes: [{ name: 'data', mountPath: '/data/../etc' }],
        configFiles: [{ mountPath: '/', content: 'x' }],
      }),
    errors: [
      `service 'web': 'volumes[0].mountPath' must not contain '..' segments, got "/data/../etc"`,
      `service 'web': 'configFiles[0].mountPath' must name a file, not the root directory, got "/"`,
    ],
  },
  {
    title: 'an HTTP probe path with a space and a quote',
    define: (app) => httpService(app, 'web', { readinessProbe: Probe.http('/health check"') }),
    errors: [
      `service 'web': 'readinessProbe' path must not contain spaces, quotes, backslashes or control characters, got "/health check\\""`,
    ],
  },
  {
    title: 'an empty logging driver',
    appProps: { logging: { driver: '' } },
    define: (app) => httpService(app, 'web'),
    errors: [`application 'app': 'logging.driver' must be a Docker logging driver name like json-file or local, got ""`],
  },
];

describe('validation', () => {
  test('covers at least 45 distinct invalid definitions', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(45);
    expect(new Set(CASES.map((c) => c.title)).size).toBe(CASES.length);
  });

  test.each(CASES)('fails: $title', (c) => {
    const app = new Application(c.appName ?? 'app', c.appProps ?? {});
    c.define(app);
    const errors = validationErrors(app);
    expect(errors).toEqual(c.errors.map((e) => (typeof e === 'string' ? e : expect.stringMatching(e))));
  });

  test('fails with every broken rule in one ValidationError', () => {
    const app = newApp();
    const db = httpService(app, 'db', { ports: [{ port: 0 }] });
    httpService(app, 'web', {
      image: Image.fromRegistry('web'),
      replicas: -2,
      dependsOn: [db],
      env: { API_TOKEN: EnvValue.fromValue('t0k3n') },
    });
    let thrown: unknown;
    try {
      app.resolve();
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(ValidationError);
    const err = thrown as ValidationError;
    expect(err.errors).toEqual([
      `service 'db': 'ports[0].port' must be an integer in 1..65535, got 0`,
      `service 'web': 'image' must pin a tag (e.g. redis:7.2), got "web"`,
      `service 'web': 'env.API_TOKEN' must be a secret reference (EnvValue.fromSecret(name, key)) as its name looks like a secret, ` +
        `got a plaintext value (not a credential? EnvValue.fromValue(value, { notSecret: true }))`,
      `service 'web': 'replicas' must be >= 0, got -2`,
    ]);
    expect(err.message).toBe(err.errors.join('\n'));
    expect(err.name).toBe('ValidationError');
  });

  test('fails without showing the plaintext secret in the message', () => {
    const app = newApp();
    httpService(app, 'web', { env: { DB_PASSWORD: EnvValue.fromValue('hunter2') } });
    expect(() => app.resolve()).toThrow(/DB_PASSWORD/);
    expect(() => app.resolve()).not.toThrow(/hunter2/);
  });

  test('fails at once, before resolving anything, above 10,000 services', () => {
    const app = newApp();
    for (let i = 0; i <= 10000; i++) worker(app, `s${i}`);
    expect(validationErrors(app)).toEqual([`application 'app': at most 10000 services, got 10001`]);
  });

  test('fails before any backend runs: resolve() throws and returns nothing', () => {
    const app = newApp();
    httpService(app, 'web', { replicas: -1 });
    expect(() => app.resolve()).toThrow(ValidationError);
  });
});

describe('definition-time errors', () => {
  test.each([
    {
      title: 'a duplicate sidecar name (addSidecar)',
      define: (app: Application) => {
        const web = httpService(app, 'web', { sidecars: [{ name: 'proxy', image: IMAGE }] });
        web.addSidecar({ name: 'proxy', image: IMAGE });
      },
      message: `service 'web': 'sidecars' has 'proxy' twice`,
    },
    {
      title: 'a duplicate sidecar name in props',
      define: (app: Application) =>
        httpService(app, 'web', {
          sidecars: [
            { name: 'proxy', image: IMAGE },
            { name: 'proxy', image: IMAGE },
          ],
        }),
      message: `service 'web': 'sidecars' has 'proxy' twice`,
    },
    {
      title: 'a duplicate dependency (addDependency)',
      define: (app: Application) => {
        const db = httpService(app, 'db');
        httpService(app, 'web', { dependsOn: [db] }).addDependency(db, { condition: DependencyCondition.STARTED });
      },
      message: `service 'web': 'dependsOn' lists 'db' twice`,
    },
    {
      title: 'a duplicate dependency in props',
      define: (app: Application) => {
        const db = httpService(app, 'db');
        httpService(app, 'web', { dependsOn: [db, db] });
      },
      message: `service 'web': 'dependsOn' lists 'db' twice`,
    },
    {
      title: 'a duplicate gateway route path (addRoute)',
      define: (app: Application) => {
        const web = httpService(app, 'web');
        new Gateway(app, 'gateway', { routes: [{ path: '/api', service: web }] }).addRoute('/api', httpService(app, 'api'));
      },
      message: `gateway 'gateway': 'routes' has path '/api' twice`,
    },
    {
      title: 'an unknown addDependency option',
      define: (app: Application) => httpService(app, 'web').addDependency(httpService(app, 'db'), { waitFor: false } as never),
      message: `service 'web': unknown option 'waitFor' in 'addDependency' (known: condition, wait)`,
    },
    {
      title: "the construct id 'constructor' (taken by Object.prototype in the constructs library)",
      define: (app: Application) => httpService(app, 'constructor'),
      message:
        `service 'constructor': the construct id "constructor" is reserved by JavaScript objects; use another id and set ` +
        `name: "constructor"`,
    },
    {
      title: 'props that are not an object (plain JavaScript)',
      define: (app: Application) => new Microservice(app, 'web', undefined as never),
      message: `service 'web': props must be an object, got undefined`,
    },
  ])('fails: $title', ({ define, message }) => {
    const app = newApp();
    expect(() => define(app)).toThrow(new Error(message));
  });
});

describe('valid definitions the rules must accept', () => {
  test.each([
    {
      title: '*_FILE, *_USER, *_PATH and *_NAME variables next to secret-looking words',
      define: (app: Application) =>
        httpService(app, 'web', {
          env: {
            DB_PASSWORD_FILE: EnvValue.fromValue('/run/secrets/db-password'),
            POSTGRES_USER: EnvValue.fromValue('shop'),
            SECRET_PATH: EnvValue.fromValue('/etc/secrets'),
            TOKEN_NAME: EnvValue.fromValue('session'),
            DB_PASSWORD: EnvValue.fromSecret('db', 'password'),
          },
        }),
    },
    {
      title: 'one host port for TCP and for UDP by one service (DNS on 53)',
      define: (app: Application) =>
        httpService(app, 'dns', {
          ports: [
            { port: 53, publish: 53 },
            { port: 53, protocol: Protocol.UDP, publish: 53 },
          ],
        }),
    },
    {
      title: 'a stop signal and a zero grace period',
      define: (app: Application) => httpService(app, 'web', { stopSignal: 'SIGUSR1', stopGracePeriodSeconds: 0 }),
    },
    { title: 'a real-time stop signal', define: (app: Application) => httpService(app, 'web', { stopSignal: 'SIGRTMIN' }) },
    {
      title: 'an unpinned image with allowUnpinned',
      define: (app: Application) => httpService(app, 'web', { image: Image.fromRegistry('redis', { allowUnpinned: true }) }),
    },
    {
      title: 'a latest image with allowUnpinned',
      define: (app: Application) => httpService(app, 'web', { image: Image.fromRegistry('redis:latest', { allowUnpinned: true }) }),
    },
    {
      title: 'a digest-pinned image without a tag',
      define: (app: Application) => httpService(app, 'web', { image: Image.fromRegistry(`redis@sha256:${'a'.repeat(64)}`) }),
    },
    {
      title: 'a registry with a port and a tag',
      define: (app: Application) => httpService(app, 'web', { image: Image.fromRegistry('registry.local:5000/team/web:1.2.3') }),
    },
    {
      title: 'a build from a Dockerfile with the default tag',
      define: (app: Application) => httpService(app, 'web', { image: Image.fromDockerfile(BUILD_CONTEXT) }),
    },
    {
      title: 'the same port number over TCP and UDP',
      define: (app: Application) =>
        httpService(app, 'dns', {
          ports: [
            { port: 53, name: 'dns-tcp' },
            { port: 53, name: 'dns-udp', protocol: Protocol.UDP },
          ],
        }),
    },
    {
      title: 'user 0 on a service of an application that turned runAsNonRoot off',
      appProps: { security: { runAsNonRoot: false, breaksPodSecurity: PodSecurityLevel.RESTRICTED } },
      define: (app: Application) => httpService(app, 'web', { security: { user: 0 } }),
    },
    {
      title: 'a service limit below an inherited request (the request follows the limit down)',
      appProps: { resources: { memory: { request: Memory.mebibytes(256) } } },
      define: (app: Application) => httpService(app, 'web', { resources: { memory: { limit: Memory.mebibytes(128) } } }),
    },
    {
      title: 'a healthy dependency with a readiness probe',
      define: (app: Application) =>
        httpService(app, 'web').addDependency(httpService(app, 'api', { readinessProbe: Probe.http('/ready') }), {
          condition: DependencyCondition.HEALTHY,
        }),
    },
    {
      title: 'a NodePort publish inside 30000..32767',
      define: (app: Application) =>
        httpService(app, 'web', { serviceType: ServiceType.NODE_PORT, ports: [{ port: 8080, name: 'http', publish: 30080 }] }),
    },
    {
      title: 'a gateway without routes next to a service publishing 8080',
      define: (app: Application) => {
        httpService(app, 'web', { ports: [{ port: 8080, name: 'http', publish: 8080 }] });
        new Gateway(app, 'gateway');
      },
    },
  ])('accepts $title', ({ define, appProps }: { define: (app: Application) => void; appProps?: ApplicationProps }) => {
    const app = newApp(appProps ?? {});
    define(app);
    expect(() => app.resolve()).not.toThrow();
  });
});
