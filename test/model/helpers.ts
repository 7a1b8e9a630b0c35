import * as path from 'path';
import { Construct } from 'constructs';
import {
  Application,
  ApplicationProps,
  Image,
  Microservice,
  MicroserviceProps,
  Monitoring,
  MonitoringProps,
  ValidationError,
} from '../../lib/model';

/** A pinned registry image every fixture service uses unless it says otherwise. */
export const IMAGE = Image.fromRegistry('nginx:1.27-alpine');

/** A build context that holds a Dockerfile (one of the shipped stacks). */
export const BUILD_CONTEXT = path.join(__dirname, '..', '..', 'stacks', 'flask-redis', 'web');

/** A valid HTTP service on port 8080; `props` override any field. */
export function httpService(scope: Construct, id: string, props: Partial<MicroserviceProps> = {}): Microservice {
  return new Microservice(scope, id, { image: IMAGE, ports: [{ port: 8080, name: 'http' }], ...props });
}

/** A valid service without ports (a worker). */
export function worker(scope: Construct, id: string, props: Partial<MicroserviceProps> = {}): Microservice {
  return new Microservice(scope, id, { image: IMAGE, ...props });
}

/** The messages of the ValidationError `app.resolve()` throws; fails the test when it does not throw one. */
export function validationErrors(app: Application): string[] {
  try {
    app.resolve();
  } catch (e) {
    if (!(e instanceof ValidationError)) throw e;
    expect(e.message).toBe(e.errors.join('\n'));
    return e.errors;
  }
  throw new Error(`application '${app.name}' resolved although it is invalid`);
}

/** A fresh application named `app`. */
export function newApp(props: ApplicationProps = {}, name = 'app'): Application {
  return new Application(name, props);
}

/** Options of {@link monitoredApp}. */
export interface MonitoredAppOptions {
  readonly name?: string;
  readonly app?: ApplicationProps;
  readonly monitoring?: MonitoringProps;
  /** Adds services after `db` and `api`, before the Monitoring. */
  readonly more?: (app: Application) => void;
}

/** `db` (no metrics), `api` (2 replicas, metrics on 9102, depends on db), what `more` adds, then a Monitoring. */
export function monitoredApp(options: MonitoredAppOptions = {}): Application {
  const app = newApp(options.app, options.name);
  const db = httpService(app, 'db', { ports: [{ port: 5432 }] });
  httpService(app, 'api', {
    replicas: 2,
    dependsOn: [db],
    ports: [
      { port: 8080, name: 'http' },
      { port: 9102, name: 'metrics' },
    ],
    metrics: { port: 9102 },
  });
  options.more?.(app);
  new Monitoring(app, 'monitoring', options.monitoring);
  return app;
}
