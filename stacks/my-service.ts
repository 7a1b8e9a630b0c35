import * as path from 'path';
import { Application, ApplicationProps, Gateway, Image, Microservice, Probe } from '../lib/model';

/** Properties of the my-service stack. */
export interface MyServiceProps extends ApplicationProps {
  /**
   * Replicas; `MY_SERVICE_REPLICAS=5 npm run synth` is the seeds' `kubectl scale --replicas=5`.
   * @default 3
   */
  readonly replicas?: number;
}

/** The seeds' Kubernetes Deployment `my-service`: 3 replicas of the Flask hello service on port 5000. */
export function myService(props: MyServiceProps = {}): Application {
  const { replicas, ...appProps } = props;
  const app = new Application('my-service', appProps);
  const service = new Microservice(app, 'my-service', {
    image: Image.fromDockerfile(path.join(__dirname, 'my-service', 'app'), { tag: 'my-service:1.0.0' }),
    ports: [{ port: 5000, name: 'http' }],
    replicas: replicas ?? Number(process.env.MY_SERVICE_REPLICAS ?? 3),
    // Python as PID 1 ignores SIGTERM (the Dockerfile's STOPSIGNAL says so too); Kubernetes reports it.
    stopSignal: 'SIGINT',
    readinessProbe: Probe.http('/healthz', { periodSeconds: 5 }),
    healthcheck: Probe.command([
      'python3',
      '-c',
      "import urllib.request; urllib.request.urlopen('http://127.0.0.1:5000/healthz', timeout=2)",
    ]),
  });
  // Replicas share one name, so they are reached through the gateway rather than one host port.
  new Gateway(app, 'gateway', { routes: [{ path: '/', service }], publish: 8081 });
  service.acknowledge('k8s-image', "built from the seed's Dockerfile: load it into kind/minikube, or push it, before kubectl apply");
  service.acknowledge('k8s-stopSignal', 'the app exits on SIGINT; Kubernetes kills it after the grace period, which only slows a rollout');
  return app;
}
