import { Construct } from 'constructs';
import {
  Application,
  ApplicationProps,
  Cpu,
  Egress,
  EnvValue,
  Gateway,
  Image,
  Memory,
  Microservice,
  MicroserviceProps,
  Monitoring,
  Probe,
} from '../lib/model';
import { MongoDatabase } from './mongo-database';
import { PostgresDatabase } from './postgres-database';
import { RedisCache } from './redis-cache';

/** Properties of a {@link ShopService}. */
export interface ShopServiceProps extends Partial<MicroserviceProps> {
  /** Image version of `ghcr.io/acme-shop/<id>`. */
  readonly version: string;
}

/**
 * One of the shop's HTTP services: pinned image, port 8080 with health endpoints, Prometheus metrics on 9090.
 * The team's conventions live here once instead of in every service.
 */
export class ShopService extends Microservice {
  constructor(scope: Construct, id: string, { version, ...props }: ShopServiceProps) {
    super(scope, id, {
      image: Image.fromRegistry(`ghcr.io/acme-shop/${id}:${version}`),
      ports: [
        { port: 8080, name: 'http' },
        { port: 9090, name: 'metrics' },
      ],
      readinessProbe: Probe.http('/ready', { port: 8080, periodSeconds: 5 }),
      livenessProbe: Probe.http('/healthz', { port: 8080, initialDelaySeconds: 10 }),
      metrics: { port: 9090, path: '/metrics' },
      ...props,
      env: { LOG_LEVEL: EnvValue.fromConfig('LOG_LEVEL'), ...(props.env ?? {}) },
    });
  }
}

/** The seeds' microservice architecture in one application: a gateway, five services, three stores. */
export function shop(props: ApplicationProps = {}): Application {
  const app = new Application('shop', {
    namespace: 'shop',
    config: { LOG_LEVEL: 'info', CURRENCY: 'EUR' },
    resources: {
      cpu: { request: Cpu.millis(100), limit: Cpu.millis(500) },
      memory: { request: Memory.mebibytes(128), limit: Memory.mebibytes(256) },
    },
    ...props,
  });
  const usersDb = new PostgresDatabase(app, 'users-db', { database: 'users', passwordSecret: 'users-db' });
  const ordersDb = new PostgresDatabase(app, 'orders-db', { database: 'orders', passwordSecret: 'orders-db' });
  const cache = new RedisCache(app, 'cache');
  const catalogDb = new MongoDatabase(app, 'catalog-db', { volume: 'catalog-data', size: '10Gi' }).service;

  const users = new ShopService(app, 'users', {
    version: '1.4.2',
    replicas: 2,
    dependsOn: [usersDb.service, cache.service],
    env: { JWT_SIGNING_KEY: EnvValue.fromSecret('users-jwt', 'signing-key') },
  });
  const catalog = new ShopService(app, 'catalog', {
    version: '2.1.0',
    dependsOn: [catalogDb, cache.service],
    autoscaling: { minReplicas: 2, maxReplicas: 6, targetCpuPercent: 70 },
    configFiles: [{ mountPath: '/etc/catalog/catalog.yaml', content: 'pageSize: 50\nimagesBaseUrl: /images\n' }],
    env: { CURRENCY: EnvValue.fromConfig('CURRENCY') },
  });
  const payments = new ShopService(app, 'payments', {
    version: '0.9.3',
    dependsOn: [ordersDb.service],
    env: { PSP_API_KEY: EnvValue.fromSecret('payments-psp', 'api-key') },
    secretFiles: [{ secretName: 'payments-psp', key: 'webhook-cert', mountPath: '/etc/payments/webhook.pem' }],
    // The payment service provider, outside the cluster: the only service that may leave it.
    egress: [Egress.host('api.psp.example', { ports: [443] })],
  });
  const orders = new ShopService(app, 'orders', {
    version: '3.0.1',
    replicas: 2,
    dependsOn: [ordersDb.service, users, catalog, payments],
    // The seeds' sidecar proxy: an Envoy next to orders, sharing its network namespace.
    sidecars: [
      {
        name: 'proxy',
        image: Image.fromRegistry('envoyproxy/envoy:v1.31.2'),
        ports: [{ port: 15001, name: 'proxy' }],
      },
    ],
  });
  new ShopService(app, 'notifications', {
    version: '1.0.7',
    dependsOn: [cache.service, orders],
    env: { SMTP_PASSWORD: EnvValue.fromSecret('notifications-smtp', 'password') },
  });

  new Gateway(app, 'gateway', {
    host: 'shop.example.com',
    routes: [
      { path: '/api/users', service: users },
      { path: '/api/catalog', service: catalog },
      { path: '/api/orders', service: orders },
      { path: '/api/payments', service: payments },
    ],
  });
  // The shop's own Prometheus scrapes every replica of every service's metrics port (and nothing else).
  new Monitoring(app, 'monitoring');
  app.acknowledge('docker-livenessProbe', 'in Docker the liveness probe is the health status; restart: always covers crashes');
  payments.acknowledge(
    'k8s-egress',
    'the PSP publishes no fixed address range, so its host stays a port-443 rule; an egress gateway would narrow it',
  );
  catalog.acknowledge('docker-autoscaling', 'compose runs the minimum of 2 replicas, enough locally');
  return app;
}
