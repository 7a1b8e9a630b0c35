import * as path from 'path';
import { Application, ApplicationProps, Gateway, Image, Microservice, Probe } from '../lib/model';
import { RedisCache } from './redis-cache';

/** Where a second copy of the stack runs beside the first (the engine tests); the defaults are the seed's. */
export interface FlaskRedisOptions {
  /** Application name; also the first part of web's image tag (`<name>/web:1.0.0`). @default 'flask-redis' */
  readonly name?: string;
  /** Host port web's port 5000 is published on. @default 5000 */
  readonly webPublish?: number;
  /** Host port of the gateway. @default 8080 */
  readonly gatewayPublish?: number;
}

/**
 * The seeds' docker-compose app: `web` built from ./flask-redis/web (port 5000, published) counting hits in
 * `redis`; also reachable through the gateway. Its Prometheus metrics are on their own port (8000, /metrics),
 * which neither the host nor the gateway reaches.
 */
export function flaskRedis(props: ApplicationProps = {}, options: FlaskRedisOptions = {}): Application {
  const name = options.name ?? 'flask-redis';
  const app = new Application(name, props);
  const redis = new RedisCache(app, 'redis');
  const web = new Microservice(app, 'web', {
    image: Image.fromDockerfile(path.join(__dirname, 'flask-redis', 'web'), { tag: `${name}/web:1.0.0` }),
    ports: [
      { port: 5000, name: 'http', publish: options.webPublish ?? 5000 },
      { port: 8000, name: 'metrics' },
    ],
    metrics: { port: 8000, path: '/metrics' },
    dependsOn: [redis.service],
    // Python as PID 1 ignores SIGTERM (the Dockerfile's STOPSIGNAL says so too); Kubernetes reports it.
    stopSignal: 'SIGINT',
    readinessProbe: Probe.http('/healthz', { periodSeconds: 5 }),
    // The python base has no wget: Docker checks health with python itself.
    healthcheck: Probe.command(
      ['python3', '-c', "import urllib.request; urllib.request.urlopen('http://127.0.0.1:5000/healthz', timeout=2)"],
      { periodSeconds: 2, timeoutSeconds: 3, failureThreshold: 15 },
    ),
  });
  new Gateway(app, 'gateway', { routes: [{ path: '/', service: web }], publish: options.gatewayPublish ?? 8080 });
  web.acknowledge('k8s-ports', "the seed publishes port 5000 with docker run -p; in Kubernetes the gateway's Ingress reaches it");
  web.acknowledge('k8s-image', "built from the seed's Dockerfile: load it into kind/minikube, or push it, before kubectl apply");
  web.acknowledge(
    'k8s-metrics',
    'the stack brings no Prometheus to Kubernetes: set monitoringNamespace to the namespace of yours to let it reach port 8000',
  );
  web.acknowledge('k8s-stopSignal', 'the app exits on SIGINT; Kubernetes kills it after the grace period, which only slows a rollout');
  return app;
}
