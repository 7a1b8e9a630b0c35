/*
 * Applications the engine tests run, and the step from an Application to a running compose project.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { writeCompose, WrittenCompose } from '../../lib/compose';
import { Application, DependencyCondition, EnvValue, Gateway, Image, Microservice, Probe, RestartPolicy } from '../../lib/model';
import { ComposeProject, IMAGE_OVERRIDES, run, uniqueProjectName } from './engine';

/** A rendered application and the compose project that runs it. */
export interface Deployment {
  readonly dir: string;
  readonly written: WrittenCompose;
  readonly project: ComposeProject;
  /** Removes the project (containers, networks, volumes, built images) and the rendered files. */
  destroy(): Promise<void>;
}

/**
 * Writes `app` with the compose backend into a fresh directory, checks it with `docker-compose config -q`, and
 * returns the (not yet started) project. The caller must `destroy()` it, also when a step fails.
 */
export async function deploy(app: Application, projectPrefix: string): Promise<Deployment> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-e2e-'));
  let written: WrittenCompose;
  try {
    written = writeCompose(app, dir, app.name);
  } catch (e) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  const project = new ComposeProject(uniqueProjectName(projectPrefix), written.composeFile);
  project.rememberBuiltImages(
    Object.values(written.rendering.file.services)
      .filter((s) => s.build)
      .map((s) => s.image),
  );
  const deployment: Deployment = {
    dir,
    written,
    project,
    async destroy() {
      await project.destroy();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    await project.compose(['config', '-q'], { timeoutMs: 60_000 });
  } catch (e) {
    await deployment.destroy();
    throw e;
  }
  return deployment;
}

/** Fails when a container of one of `names` exists (another run of the same application). */
export async function assertNoContainers(names: string[]): Promise<void> {
  const r = await run('docker', ['ps', '-a', '--format', '{{.Names}}']);
  const clash = r.stdout.split('\n').filter((n) => names.includes(n));
  if (clash.length) {
    throw new Error(
      `containers ${clash.join(', ')} already exist: another run of this application is in the way (a killed run's leftovers: node ` +
        `scripts/run-ts.js test/e2e/clean-cache.ts)`,
    );
  }
}

// ---------------------------------------------------------------------------------------------------------------
// busybox programs (PID 1 exits on SIGTERM, so stops are fast)

/** Keeps running until SIGTERM. */
const IDLE = 'trap "exit 0" TERM; sleep 86400 & wait';

/**
 * Serves `<text> <hostname>` over HTTP on `port`, at `/` and at every `/<p>/` of `paths`, from a tmpfs
 * document root (the root filesystem is read-only).
 */
export function webServer(text: string, port: number, paths: string[] = []): string[] {
  const dirs = ['/tmp/www', ...paths.map((p) => `/tmp/www/${p}`)];
  return [
    'sh',
    '-c',
    [
      `for d in ${dirs.join(' ')}; do mkdir -p $d && echo "${text} $(hostname)" > $d/index.html; done`,
      `trap 'kill $pid; exit 0' TERM`,
      `httpd -f -p ${port} -h /tmp/www & pid=$!`,
      'wait',
    ].join('\n'),
  ];
}

/** `sh -c` running `script` first and then idling. */
export function thenIdle(script: string): string[] {
  return ['sh', '-c', `${script}\n${IDLE}`];
}

const BUSYBOX = () => Image.fromRegistry('busybox:1.36.1'); // replaced by IMAGE_OVERRIDES with the local image
export const WEB_PORT = 8000;
const httpHealth = (p = '/', failureThreshold = 30) =>
  Probe.command(['sh', '-c', `timeout 2 wget -q -O /dev/null http://127.0.0.1:${WEB_PORT}${p}`], {
    periodSeconds: 1,
    timeoutSeconds: 3,
    failureThreshold,
  });

/**
 * The application of the behaviour tests:
 *   store       web server; `api` depends on it
 *   echo x3     web servers answering their hostname; `api` depends on it
 *   api         web server depending on store and echo; sidecar `probe` (idle) in its network namespace
 *   loner       idle; depends on nothing
 *   a, b        web servers routed by the gateway: /a -> a, /b -> b
 *   gateway     nginx from the local Debian image, published on `gatewayPort`
 */
export function behaviourApp(name: string, gatewayPort: number): Application {
  const app = new Application(name, { imageOverrides: IMAGE_OVERRIDES });
  const store = new Microservice(app, 'store', {
    image: BUSYBOX(),
    ports: [{ port: WEB_PORT, name: 'http' }],
    command: webServer('store', WEB_PORT),
    healthcheck: httpHealth(),
  });
  const echo = new Microservice(app, 'echo', {
    image: BUSYBOX(),
    replicas: 3,
    ports: [{ port: WEB_PORT, name: 'http' }],
    command: webServer('echo', WEB_PORT),
    healthcheck: httpHealth(),
  });
  new Microservice(app, 'api', {
    image: BUSYBOX(),
    ports: [{ port: WEB_PORT, name: 'http' }],
    command: webServer('api', WEB_PORT),
    healthcheck: httpHealth(),
    dependsOn: [store, echo],
    sidecars: [{ name: 'probe', image: BUSYBOX(), command: thenIdle('true') }],
  });
  new Microservice(app, 'loner', {
    image: BUSYBOX(),
    command: thenIdle('true'),
    restartPolicy: RestartPolicy.ALWAYS,
    // A name no shell can read (Elasticsearch's): it must still reach the process.
    env: { 'discovery.type': EnvValue.fromValue('single-node') },
  });
  const a = new Microservice(app, 'a', {
    image: BUSYBOX(),
    ports: [{ port: WEB_PORT, name: 'http' }],
    command: webServer('a', WEB_PORT, ['a']),
    healthcheck: httpHealth(),
  });
  const b = new Microservice(app, 'b', {
    image: BUSYBOX(),
    ports: [{ port: WEB_PORT, name: 'http' }],
    command: webServer('b', WEB_PORT, ['b']),
    healthcheck: httpHealth(),
  });
  new Gateway(app, 'gateway', {
    routes: [
      { path: '/a', service: a },
      { path: '/b', service: b },
    ],
    publish: gatewayPort,
  });
  return app;
}

/** The file the start-order test creates in `db` to let it become healthy. */
export const GO_FILE = '/tmp/go';

/**
 * The application of the start-order test: `db` answers /ready only once the test creates GO_FILE in it (its
 * health check asks for /ready); `app` waits for db to be healthy (the default with a health check), `eager`
 * only for it to start. Both record at start whether db already answered. With `neverHealthy`, db's check
 * always fails and `eager` is left out.
 */
export function startOrderApp(name: string, neverHealthy: boolean): Application {
  const app = new Application(name, { imageOverrides: IMAGE_OVERRIDES });
  const db = new Microservice(app, 'db', {
    image: BUSYBOX(),
    ports: [{ port: WEB_PORT, name: 'http' }],
    command: [
      'sh',
      '-c',
      [
        `trap 'exit 0' TERM`,
        `while [ ! -f ${GO_FILE} ]; do sleep 0.2; done`,
        'mkdir -p /tmp/www && echo ready > /tmp/www/ready',
        `httpd -f -p ${WEB_PORT} -h /tmp/www & wait`,
      ].join('\n'),
    ],
    healthcheck: neverHealthy
      ? Probe.command(['false'], { periodSeconds: 1, timeoutSeconds: 2, failureThreshold: 2 })
      : httpHealth('/ready', 180), // stays 'starting', not 'unhealthy', however long the test takes to let it go
  });
  const recordDb = thenIdle('timeout 3 wget -q -O /tmp/seen "http://$DB_HOST:$DB_PORT/ready" || echo early > /tmp/seen');
  const dependent = new Microservice(app, 'app', { image: BUSYBOX(), command: recordDb });
  dependent.addDependency(db);
  if (!neverHealthy) {
    const eager = new Microservice(app, 'eager', { image: BUSYBOX(), command: recordDb });
    eager.addDependency(db, { condition: DependencyCondition.STARTED });
  }
  return app;
}
