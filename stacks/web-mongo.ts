import * as path from 'path';
import { Application, ApplicationProps, Image, Memory, Microservice, Probe } from '../lib/model';

/** The seeds' `web` (port 8080) + `db` (mongo with the named volume `dbdata` at /data/db). */
export function webMongo(props: ApplicationProps = {}): Application {
  const app = new Application('web-mongo', props);
  const db = new Microservice(app, 'db', {
    image: Image.fromRegistry('mongo:7.0.14'),
    ports: [{ port: 27017, name: 'mongodb', appProtocol: 'mongodb' }],
    volumes: [{ name: 'dbdata', mountPath: '/data/db', size: '5Gi' }],
    readinessProbe: Probe.command(['mongosh', '--quiet', '--eval', 'db.adminCommand("ping").ok'], { periodSeconds: 5, timeoutSeconds: 5 }),
    // The image's mongodb user owns /data/db.
    security: { user: 999, group: 999 },
    resources: { memory: { request: Memory.mebibytes(256), limit: Memory.mebibytes(1024) } },
  });
  new Microservice(app, 'web', {
    image: Image.fromDockerfile(path.join(__dirname, 'web-mongo', 'web'), { tag: 'web-mongo/web:1.0.0' }),
    ports: [{ port: 8080, name: 'http', publish: 8080 }],
    dependsOn: [db],
    livenessProbe: Probe.http('/healthz'),
  });
  return app;
}
