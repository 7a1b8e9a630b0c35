import {
  Application,
  ApplicationProps,
  Cpu,
  EnvValue,
  Image,
  Memory,
  Microservice,
  MicroserviceProps,
  Probe,
  SecurityProps,
  ServiceType,
} from '../lib/model';

/*
 * Weaveworks' Sock Shop (github.com/microservices-demo/microservices-demo, deploy/kubernetes/complete-demo.yaml)
 * written with the public API only: images, ports, Service ports, env, resources, capabilities and writable paths
 * as its authors wrote them. test/k8s/sock-shop.test.ts compares the rendering with the original service by
 * service and lists every intended difference with its reason.
 */

const JAVA_OPTS = '-Xms64m -Xmx128m -XX:+UseG1GC -Djava.security.egd=file:/dev/urandom -Dspring.zipkin.enabled=false';

/**
 * The app services: non-root 10001, read-only root, all capabilities dropped but binding port 80; an in-memory
 * /tmp as every container here has (the original mounts one for the Java services only).
 */
const appSecurity: SecurityProps = { user: 10001, capabilitiesAdd: ['NET_BIND_SERVICE'] };
/**
 * The data stores: the original starts them as root with CHOWN/SETGID/SETUID(/DAC_OVERRIDE) so that their
 * entrypoints can chown and drop to the image's own user; here they start as that user (999 in the mongo, mysql,
 * redis and rabbitmq images), which the restricted Pod Security profile admits and needs no capability.
 */
const storeSecurity = (writablePaths: string[]): SecurityProps => ({ user: 999, group: 999, writablePaths: ['/tmp', ...writablePaths] });

const resources = (cpu: [number, number], memory: [number, number]): MicroserviceProps['resources'] => ({
  cpu: { request: Cpu.millis(cpu[0]), limit: Cpu.millis(cpu[1]) },
  memory: { request: Memory.mebibytes(memory[0]), limit: Memory.mebibytes(memory[1]) },
});

/** The original's health checks: `GET <path>` on port 80, ready after 180 s, live after 300 s, every 3 s. */
const healthProbes = (
  path: string,
  port: number,
  ready: number,
  live: number,
): Pick<MicroserviceProps, 'readinessProbe' | 'livenessProbe'> => ({
  readinessProbe: Probe.http(path, { port, initialDelaySeconds: ready, periodSeconds: 3 }),
  livenessProbe: Probe.http(path, { port, initialDelaySeconds: live, periodSeconds: 3 }),
});

/**
 * Not in the original, which gives these containers no probe: Kubernetes routes no traffic to a pod before its port
 * listens. Docker targets keep the original's behaviour (no health check: these images have no `nc`), so
 * dependents there wait for the container to start, as before.
 */
const tcpReadiness = (port: number): Pick<MicroserviceProps, 'readinessProbe' | 'healthcheck'> => ({
  readinessProbe: Probe.tcp({ port, periodSeconds: 5 }),
  healthcheck: Probe.none(),
});

/**
 * A MongoDB as the original runs it (writable /tmp), as the image's mongodb user; `mongo` pinned to the 3.4 of the
 * authors' compose file.
 */
function mongo(app: Application, name: string, image = Image.fromRegistry('mongo:3.4')): Microservice {
  return new Microservice(app, name, {
    image,
    nodeSelector: LINUX,
    ports: [{ port: 27017, name: 'mongo' }],
    ...tcpReadiness(27017),
    // The image declares /data/db a volume; the original's read-only root leaves it writable that way.
    security: storeSecurity(['/data/db']),
  });
}

/** Every pod of the original runs on Linux nodes. */
const LINUX = { 'beta.kubernetes.io/os': 'linux' };

/** Sock Shop in namespace `sock-shop`; the front-end on NodePort 30001. */
export function sockShop(props: ApplicationProps = {}): Application {
  const app = new Application('sock-shop', { namespace: 'sock-shop', ...props });

  const cartsDb = mongo(app, 'carts-db');
  const carts = new Microservice(app, 'carts', {
    image: Image.fromRegistry('weaveworksdemos/carts:0.4.8'),
    nodeSelector: LINUX,
    env: { JAVA_OPTS: EnvValue.fromValue(JAVA_OPTS) },
    resources: resources([100, 300], [200, 500]),
    ports: [{ port: 80 }],
    ...tcpReadiness(80),
    security: appSecurity,
    dependsOn: [cartsDb],
  });

  const catalogueDb = new Microservice(app, 'catalogue-db', {
    image: Image.fromRegistry('weaveworksdemos/catalogue-db:0.3.0'),
    nodeSelector: LINUX,
    env: {
      // The original writes 'fake_password' in plain text; a credential is a secret reference here.
      MYSQL_ROOT_PASSWORD: EnvValue.fromSecret('catalogue-db', 'root-password'),
      MYSQL_DATABASE: EnvValue.fromValue('socksdb'),
    },
    ports: [{ port: 3306, name: 'mysql' }],
    ...tcpReadiness(3306),
    // No securityContext in the original (root, writable root filesystem): here the mysql user with writable
    // data, socket and temporary directories.
    security: storeSecurity(['/var/lib/mysql', '/var/run/mysqld']),
  });
  const catalogue = new Microservice(app, 'catalogue', {
    image: Image.fromRegistry('weaveworksdemos/catalogue:0.3.5'),
    nodeSelector: LINUX,
    command: ['/app'],
    args: ['-port=80'],
    resources: resources([100, 200], [100, 200]),
    ports: [{ port: 80 }],
    security: appSecurity,
    ...healthProbes('/health', 80, 180, 300),
    dependsOn: [catalogueDb],
  });

  const userDb = mongo(app, 'user-db', Image.fromRegistry('weaveworksdemos/user-db:0.3.0'));
  const user = new Microservice(app, 'user', {
    image: Image.fromRegistry('weaveworksdemos/user:0.4.7'),
    nodeSelector: LINUX,
    // The app reads its MongoDB address from `mongo`.
    env: { mongo: EnvValue.fromEndpoint(userDb) },
    resources: resources([100, 300], [100, 200]),
    ports: [{ port: 80 }],
    security: appSecurity,
    ...healthProbes('/health', 80, 180, 300),
  });

  const payment = new Microservice(app, 'payment', {
    image: Image.fromRegistry('weaveworksdemos/payment:0.4.3'),
    nodeSelector: LINUX,
    resources: resources([99, 200], [100, 200]),
    ports: [{ port: 80 }],
    security: appSecurity,
    ...healthProbes('/health', 80, 180, 300),
  });

  const rabbitmq = new Microservice(app, 'rabbitmq', {
    image: Image.fromRegistry('rabbitmq:3.6.8-management'),
    nodeSelector: LINUX,
    ports: [
      { port: 15672, name: 'management' },
      { port: 5672, name: 'rabbitmq' },
    ],
    ...tcpReadiness(5672),
    // The image declares /var/lib/rabbitmq a volume; its entrypoint writes the generated config to /etc/rabbitmq.
    security: storeSecurity(['/var/lib/rabbitmq', '/etc/rabbitmq']),
    sidecars: [
      {
        name: 'rabbitmq-exporter',
        image: Image.fromRegistry('kbudde/rabbitmq-exporter:v0.29.0'),
        ports: [{ port: 9090, name: 'exporter' }],
        ...tcpReadiness(9090),
        security: { user: 10001, group: 10001 },
      },
    ],
  });
  const shipping = new Microservice(app, 'shipping', {
    image: Image.fromRegistry('weaveworksdemos/shipping:0.4.8'),
    nodeSelector: LINUX,
    env: { ZIPKIN: EnvValue.fromValue('zipkin.jaeger.svc.cluster.local'), JAVA_OPTS: EnvValue.fromValue(JAVA_OPTS) },
    resources: resources([100, 300], [300, 500]),
    ports: [{ port: 80 }],
    ...tcpReadiness(80),
    security: appSecurity,
    dependsOn: [rabbitmq],
  });
  new Microservice(app, 'queue-master', {
    image: Image.fromRegistry('weaveworksdemos/queue-master:0.3.1'),
    nodeSelector: LINUX,
    env: { JAVA_OPTS: EnvValue.fromValue(JAVA_OPTS) },
    resources: resources([100, 300], [300, 500]),
    ports: [{ port: 80 }],
    ...tcpReadiness(80),
    security: appSecurity,
    dependsOn: [rabbitmq],
  });

  const ordersDb = mongo(app, 'orders-db');
  const orders = new Microservice(app, 'orders', {
    image: Image.fromRegistry('weaveworksdemos/orders:0.4.7'),
    nodeSelector: LINUX,
    env: { JAVA_OPTS: EnvValue.fromValue(JAVA_OPTS) },
    resources: resources([100, 500], [300, 500]),
    ports: [{ port: 80 }],
    ...tcpReadiness(80),
    security: appSecurity,
    dependsOn: [ordersDb, carts, user, payment, shipping],
  });

  const sessionDb = new Microservice(app, 'session-db', {
    image: Image.fromRegistry('redis:alpine'),
    nodeSelector: LINUX,
    ports: [{ port: 6379, name: 'redis' }],
    ...tcpReadiness(6379),
    security: storeSecurity(['/data']),
  });
  const frontEnd = new Microservice(app, 'front-end', {
    image: Image.fromRegistry('weaveworksdemos/front-end:0.3.12'),
    nodeSelector: LINUX,
    env: { SESSION_REDIS: EnvValue.fromValue('true') },
    resources: resources([100, 300], [300, 1000]),
    // The Service listens on 80 (NodePort 30001) and forwards to the app's 8079.
    ports: [{ port: 8079, name: 'http', servicePort: 80, publish: 30001 }],
    serviceType: ServiceType.NODE_PORT,
    security: { user: 10001 },
    ...healthProbes('/', 8079, 30, 300),
    dependsOn: [sessionDb, catalogue, carts, user, orders],
  });
  frontEnd.acknowledge('k8s-ingressFrom', 'the shop front is public: the original exposes NodePort 30001 to everyone');
  app.acknowledge('docker-nodeSelector', 'the original places pods on Linux nodes; Docker runs everything on its one engine');
  app.acknowledge('docker-livenessProbe', 'in Docker the liveness probe is the health status; restart: always covers crashes');
  app.acknowledge(
    'docker-dependsOn',
    "the original's compose file has no health checks either: in Docker a service starts once its dependencies' containers have",
  );
  return app;
}
