/*
 * The seeds' Flask + Redis hit counter from dist/flask-redis.k8s.yaml in real pods on the local node: the init
 * container waits for redis, readiness passes, the counter counts up through the Service, and it survives
 * deleting the web pod (a new pod, the same count) and the redis pod (the data is on the PersistentVolumeClaim).
 *
 * Images come from no registry: they are built on the node's own dockerd under the references the YAML names
 * (`flask-redis/web:1.0.0` from stacks/flask-redis/web, `redis:7.2-alpine` a tag of the e2e suite's local redis
 * image), and the YAML's `imagePullPolicy: IfNotPresent` uses them as they are. The YAML goes in unchanged.
 */
import * as fs from 'fs';
import * as http from 'http';
import * as os from 'os';
import * as path from 'path';
import { REDIS_IMAGE } from '../e2e/engine';
import {
  createVolumeFor,
  describeWithCluster,
  emptyCluster,
  ensureNodeImages,
  for120,
  K8sObject,
  kubectl,
  nodeDocker,
  POD_TIMEOUT,
  readObjects,
  readyPods,
  ROOT,
  schedulePods,
  synthStacks,
  waitFor,
  waitForReadyPods,
  yamlStream,
} from './cluster';

const SELECTOR = (name: string) => `app.kubernetes.io/part-of=flask-redis,app.kubernetes.io/name=${name}`;

/** GET http://host:port/path, bounded. */
function get(host: string, port: number, urlPath = '/', timeoutMs = 5000): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host, port, path: urlPath, timeout: timeoutMs }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error(`GET http://${host}:${port}${urlPath}: timed out`)));
    req.on('error', reject);
  });
}

/**
 * Builds the images on the node's dockerd under the names the YAML uses: the e2e suite's local images (FROM a
 * debootstrap base: python with flask and redis, redis), then the stack's own Dockerfile.
 */
async function loadImages(): Promise<void> {
  await ensureNodeImages();
  await nodeDocker(['tag', REDIS_IMAGE, 'redis:7.2-alpine']);
  await nodeDocker(['build', '-q', '-t', 'flask-redis/web:1.0.0', path.join(ROOT, 'stacks', 'flask-redis', 'web')]);
  await nodeDocker(['image', 'inspect', 'busybox:1.36.1']); // the wait image, made by scripts/kube-local.sh
}

describeWithCluster('the seed app runs on Kubernetes: flask-redis from dist/flask-redis.k8s.yaml', () => {
  let dist = '';
  let rendered: K8sObject[] = [];
  let volumeDir = '';
  let serviceIp = '';
  let count = 0;

  /** One visit through the web Service; returns the count the app reports. */
  async function visit(): Promise<number> {
    const r = await waitFor(
      'the counter through the web Service',
      async () => {
        const res = await get(serviceIp, 5000);
        return res.status === 200 ? res : undefined;
      },
      60_000,
      1000,
    );
    const m = /I have been seen (\d+) times/.exec(r.body);
    if (!m) throw new Error(`unexpected answer: ${r.body}`);
    return Number(m[1]);
  }

  beforeAll(async () => {
    dist = synthStacks({}, ['flask-redis']);
    rendered = readObjects(path.join(dist, 'flask-redis.k8s.yaml'));
    await emptyCluster();
    await schedulePods(true);
    await loadImages();
    // no provisioner: a local volume for the redis-data claim
    volumeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-k8s-real-redis-data-'));
    const claim = rendered.find((o) => o.kind === 'PersistentVolumeClaim')!;
    await createVolumeFor(claim.metadata.name, 'default', claim.spec.resources.requests.storage, volumeDir);
  }, 1_200_000);

  afterAll(async () => {
    await emptyCluster();
    if (volumeDir) fs.rmSync(volumeDir, { recursive: true, force: true });
    if (dist) fs.rmSync(dist, { recursive: true, force: true });
  }, 300_000);

  test('the YAML needs no conversion for the 1.20 server and is applied unchanged', async () => {
    const { objects, conversions } = for120(rendered);
    expect(conversions).toEqual([]);
    const r = await kubectl(['apply', '-f', '-'], { input: yamlStream(objects) });
    expect(r.stdout).toContain('deployment.apps/web created');
  }, 60_000);

  test(
    'the init container waits for redis, then both pods pass readiness',
    async () => {
      const [redis] = await waitForReadyPods(SELECTOR('redis'), 1, 'default', POD_TIMEOUT);
      const [web] = await waitForReadyPods(SELECTOR('web'), 1, 'default', POD_TIMEOUT);
      expect(redis).toBeDefined();
      const pod = JSON.parse((await kubectl(['get', 'pod', web, '-o', 'json'])).stdout);
      const wait = pod.status.initContainerStatuses.find((c: any) => c.name === 'wait-for-redis');
      expect(wait.state.terminated).toEqual(expect.objectContaining({ exitCode: 0, reason: 'Completed' }));
      // the claim is bound to the test's volume
      const pvc = JSON.parse((await kubectl(['get', 'pvc', 'redis-data', '-o', 'json'])).stdout);
      expect(pvc.status.phase).toBe('Bound');
    },
    POD_TIMEOUT * 2,
  );

  test('the counter counts up through the Service', async () => {
    serviceIp = (await kubectl(['get', 'service', 'web', '-o', 'jsonpath={.spec.clusterIP}'])).stdout.trim();
    expect(serviceIp).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    const first = await visit();
    const second = await visit();
    expect(second).toBe(first + 1);
    count = second;
  }, 120_000);

  test(
    'deleting the web pod: a new pod takes over and the count goes on',
    async () => {
      const [old] = await readyPods(SELECTOR('web'));
      await kubectl(['delete', 'pod', old, '--wait=true'], { timeoutMs: 120_000 });
      const [now] = await waitForReadyPods(SELECTOR('web'), 1, 'default', POD_TIMEOUT);
      expect(now).not.toBe(old);
      expect(await visit()).toBe(count + 1);
      count += 1;
    },
    POD_TIMEOUT * 2,
  );

  test(
    'deleting the redis pod: a new pod on the same claim keeps the count',
    async () => {
      const [old] = await readyPods(SELECTOR('redis'));
      await kubectl(['delete', 'pod', old, '--wait=true'], { timeoutMs: 120_000 });
      const [now] = await waitForReadyPods(SELECTOR('redis'), 1, 'default', POD_TIMEOUT);
      expect(now).not.toBe(old);
      expect(await visit()).toBe(count + 1);
      // the append-only file is on the volume, owned by the pod's fsGroup
      expect(fs.readdirSync(volumeDir).join(' ')).toMatch(/appendonly/);
    },
    POD_TIMEOUT * 2,
  );
});
