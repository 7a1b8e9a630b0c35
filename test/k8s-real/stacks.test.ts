/*
 * Every shipped stack's Kubernetes YAML, as `npm run synth` renders it, judged by a real API server: server
 * dry-run, a real apply into an empty cluster (the namespace created by our own YAML), and a second apply that
 * changes nothing. Pods are not scheduled meanwhile (the node is cordoned): this is the server's word on the
 * objects; test/k8s-real/flask-redis.test.ts runs pods.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Testing } from 'cdk8s';
import { ApplicationChart } from '../../lib/k8s';
import { Application, Cpu, EnvValue, Image, Memory, Microservice, Probe, Protocol, RestartPolicy, ServiceType } from '../../lib/model';
import {
  appliedObjects,
  cluster,
  describeWithCluster,
  emptyCluster,
  for120,
  K8sObject,
  kubectl,
  readObjects,
  schedulePods,
  synthStacks,
  yamlStream,
} from './cluster';

// rendered only when there is a cluster to judge it (a skipped suite costs nothing)
const dist = cluster().available ? synthStacks() : undefined;
const stacks = dist
  ? fs
      .readdirSync(dist)
      .filter((f) => f.endsWith('.k8s.yaml'))
      .map((f) => f.replace(/\.k8s\.yaml$/, ''))
      .sort()
  : [];

/** `kind/name` as kubectl prints it (`deployment.apps/web`). */
function kubectlName(o: K8sObject): string {
  const group = o.apiVersion.includes('/') ? o.apiVersion.split('/')[0] : '';
  return `${o.kind.toLowerCase()}${group ? `.${group}` : ''}/${o.metadata.name}`;
}

/** An application with the quantities and zero values the server would rewrite if the backend wrote them as is. */
function zeroProne(): Application {
  const app = new Application('zero-prone', { namespace: 'zero-prone', resources: { memory: { limit: Memory.gibibytes(1) } } });
  const image = Image.fromRegistry('busybox:1.36.1');
  const db = new Microservice(app, 'db', {
    image,
    ports: [{ port: 8080, name: 'http' }],
    replicas: 2,
    volumes: [
      { name: 'data', mountPath: '/data', size: '1.5Gi' },
      { name: 'cache', mountPath: '/cache', scratch: true },
    ],
    readinessProbe: Probe.tcp({ port: 8080 }),
    livenessProbe: Probe.command(['true'], { initialDelaySeconds: 0 }),
    resources: { cpu: { request: Cpu.millis(250), limit: Cpu.cores(2) } },
  });
  new Microservice(app, 'web', {
    image,
    dependsOn: [db],
    serviceType: ServiceType.NODE_PORT,
    ports: [{ port: 8080, name: 'http', publish: 30080 }],
    configFiles: [{ mountPath: '/etc/web/a.conf', content: 'a' }],
    // 'discovery.type': a name Kubernetes accepts and a shell cannot read (Elasticsearch's).
    env: { TOKEN: EnvValue.fromSecret('s', 'k'), 'discovery.type': EnvValue.fromValue('single-node') },
    stopGracePeriodSeconds: 0,
    readinessProbe: Probe.http('/healthz'),
    autoscaling: { minReplicas: 1, maxReplicas: 3 },
  });
  // One nodePort for TCP and UDP of one port number, as a DNS server publishes it.
  new Microservice(app, 'dns', {
    image,
    serviceType: ServiceType.NODE_PORT,
    ports: [
      { port: 5353, publish: 30053 },
      { port: 5353, protocol: Protocol.UDP, publish: 30053 },
    ],
    readinessProbe: Probe.tcp({ port: 5353 }),
  });
  new Microservice(app, 'idle', { image, replicas: 0 });
  new Microservice(app, 'migrate', { image, restartPolicy: RestartPolicy.NEVER });
  return app;
}

/**
 * Server dry-run, real apply into the empty cluster, dry-run again, second apply: every object accepted each
 * time and the second apply reports every object `unchanged`. A Namespace in the YAML does not exist for the first
 * dry run (kubectl's dry run does not create it), so there only "namespace not found" may be said.
 */
async function judge(rendered: K8sObject[], objects: K8sObject[]): Promise<void> {
  const input = yamlStream(objects);
  const expected = rendered.map(kubectlName).sort();
  const names = (stdout: string) =>
    appliedObjects(stdout)
      .map((a) => a.object)
      .sort();
  const namespaced = rendered.some((o) => o.kind === 'Namespace');
  const dry = await kubectl(['apply', '--dry-run=server', '-f', '-'], { input, allowFailure: true });
  if (namespaced) {
    expect(dry.stderr.split('\n').filter((l) => l.trim() && !/namespaces "[^"]+" not found/.test(l))).toEqual([]);
  } else {
    expect(dry.stderr).toBe('');
    expect(names(dry.stdout)).toEqual(expected);
  }
  const first = await kubectl(['apply', '-f', '-'], { input, allowFailure: true });
  expect(first.stderr).toBe('');
  expect(appliedObjects(first.stdout).filter((a) => a.verb !== 'created')).toEqual([]);
  expect(names(first.stdout)).toEqual(expected);
  const dryAgain = await kubectl(['apply', '--dry-run=server', '-f', '-'], { input, allowFailure: true });
  expect(dryAgain.stderr).toBe('');
  expect(names(dryAgain.stdout)).toEqual(expected);
  const second = await kubectl(['apply', '-f', '-'], { input });
  expect(appliedObjects(second.stdout).filter((a) => a.verb !== 'unchanged')).toEqual([]);
  expect(names(second.stdout)).toEqual(expected);
}

describeWithCluster('the real API server accepts every stack', () => {
  beforeAll(async () => {
    await schedulePods(false);
    await emptyCluster();
  }, 300_000);
  afterEach(() => emptyCluster(), 300_000);
  afterAll(async () => {
    await schedulePods(true);
    if (dist) fs.rmSync(dist, { recursive: true, force: true });
  }, 60_000);

  const cases = stacks.map((stack) => {
    const rendered = readObjects(path.join(dist!, `${stack}.k8s.yaml`));
    const { objects, conversions } = for120(rendered);
    const converted =
      conversions.length === 0
        ? ''
        : ` (converted for the 1.20 server, nothing else: ${conversions.map((c) => `${c.object} ${c.change}`).join('; ')})`;
    return [stack, rendered.length, converted, rendered, objects] as const;
  });

  if (cases.length > 0)
    test.each(cases)(
      'dist/%s.k8s.yaml: all %d objects accepted by server dry-run and real apply into an empty cluster, ' +
        'a second apply leaves all unchanged%s',
      async (_stack, _n, _converted, rendered, objects) => {
        await judge(rendered, objects);
      },
      300_000,
    );

  test('server-rewritten values (1.5Gi, 2000m, 1024Mi, initialDelaySeconds/replicas/backoffLimit 0): a re-apply is a no-op', async () => {
    const rendered = Testing.synth(new ApplicationChart(Testing.app(), 'zero-prone', { application: zeroProne() })) as K8sObject[];
    const { objects } = for120(rendered);
    await judge(rendered, objects);
  }, 300_000);

  test('the judge can say no: a Deployment whose selector does not match its pod labels, and an invalid name, are rejected', async () => {
    const deployment = (name: string, selector: Record<string, string>) => ({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, labels: { 'app.kubernetes.io/managed-by': 'microservice-constructs' } },
      spec: {
        selector: { matchLabels: selector },
        template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'busybox:1.36.1' }] } },
      },
    });
    const mismatch = await kubectl(['apply', '--dry-run=server', '-f', '-'], {
      input: JSON.stringify(deployment('web', { app: 'other' })),
      allowFailure: true,
    });
    expect(mismatch.code).not.toBe(0);
    expect(mismatch.stderr).toContain('`selector` does not match template `labels`');
    const badName = await kubectl(['apply', '-f', '-'], { input: JSON.stringify(deployment('Web_1', { app: 'web' })), allowFailure: true });
    expect(badName.code).not.toBe(0);
    expect(badName.stderr).toMatch(/metadata\.name: Invalid value: "Web_1"/);
    expect((await kubectl(['get', 'deployments', '-A', '-o', 'name'])).stdout.trim()).toBe('');
  }, 120_000);
});
