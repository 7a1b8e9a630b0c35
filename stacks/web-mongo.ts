import * as path from 'path';
import { Application, ApplicationProps, Image, Microservice, Probe } from '../lib/model';
import { MongoDatabase } from './mongo-database';

/** The seeds' `web` (port 8080) + `db` (mongo with the named volume `dbdata` at /data/db). */
export function webMongo(props: ApplicationProps = {}): Application {
  const app = new Application('web-mongo', props);
  const db = new MongoDatabase(app, 'db', { volume: 'dbdata', size: '5Gi' }).service;
  new Microservice(app, 'web', {
    image: Image.fromDockerfile(path.join(__dirname, 'web-mongo', 'web'), { tag: 'web-mongo/web:1.0.0' }),
    ports: [{ port: 8080, name: 'http', publish: 8080 }],
    dependsOn: [db],
    livenessProbe: Probe.http('/healthz'),
  });
  return app;
}
