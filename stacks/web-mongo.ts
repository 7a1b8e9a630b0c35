import * as path from 'path';
import { Application, ApplicationProps, Image, Microservice, Probe } from '../lib/model';
import { MongoDatabase } from './mongo-database';

/** The seeds' `web` (port 8080) + `db` (mongo with the named volume `dbdata` at /data/db). */
export function webMongo(props: ApplicationProps = {}): Application {
  const app = new Application('web-mongo', props);
  const db = new MongoDatabase(app, 'db', { volume: 'dbdata', size: '5Gi' }).service;
  const web = new Microservice(app, 'web', {
    image: Image.fromDockerfile(path.join(__dirname, 'web-mongo', 'web'), { tag: 'web-mongo/web:1.0.0' }),
    ports: [{ port: 8080, name: 'http', publish: 8080 }],
    dependsOn: [db],
    readinessProbe: Probe.http('/healthz'),
    livenessProbe: Probe.http('/healthz'),
  });
  web.acknowledge('k8s-ports', 'the seed publishes port 8080 with docker run -p; in Kubernetes use kubectl port-forward');
  web.acknowledge('k8s-image', "built from the seed's Dockerfile: load it into kind/minikube, or push it, before kubectl apply");
  web.acknowledge('docker-livenessProbe', 'in Docker the liveness probe is the health status; restart: always covers crashes');
  return app;
}
