/*
 * The seeds' scaling example on a real cluster: my-service renders 3 replicas; `MY_SERVICE_REPLICAS=5 npm run
 * synth` renders 5, and applying that brings 5 Ready pods. The image `my-service:1.0.0` is built on the node's
 * own dockerd from stacks/my-service/app (FROM the e2e suite's local python image): no registry.
 */
import * as fs from 'fs';
import * as path from 'path';
import {
  describeWithCluster,
  emptyCluster,
  ensureNodeImages,
  for120,
  kubectl,
  nodeDocker,
  POD_TIMEOUT,
  readObjects,
  ROOT,
  schedulePods,
  synthStacks,
  waitForReadyPods,
  yamlStream,
} from './cluster';

const SELECTOR = 'app.kubernetes.io/part-of=my-service,app.kubernetes.io/name=my-service';

describeWithCluster('my-service scales 3 -> 5 on a real cluster', () => {
  let three = '';
  let five = '';
  const manifest = (dir: string) => yamlStream(for120(readObjects(path.join(dir, 'my-service.k8s.yaml'))).objects);

  beforeAll(async () => {
    three = synthStacks({}, ['my-service']);
    five = synthStacks({ MY_SERVICE_REPLICAS: '5' }, ['my-service']);
    await emptyCluster();
    await schedulePods(true);
    await ensureNodeImages();
    await nodeDocker(['build', '-q', '-t', 'my-service:1.0.0', path.join(ROOT, 'stacks', 'my-service', 'app')]);
  }, 1_200_000);

  afterAll(async () => {
    await emptyCluster();
    for (const d of [three, five]) if (d) fs.rmSync(d, { recursive: true, force: true });
  }, 300_000);

  test(
    'the default synth runs 3 Ready replicas',
    async () => {
      expect(readObjects(path.join(three, 'my-service.k8s.yaml')).find((o) => o.kind === 'Deployment')!.spec.replicas).toBe(3);
      await kubectl(['apply', '-f', '-'], { input: manifest(three) });
      expect(await waitForReadyPods(SELECTOR, 3, 'default', POD_TIMEOUT)).toHaveLength(3);
    },
    POD_TIMEOUT + 60_000,
  );

  test(
    'MY_SERVICE_REPLICAS=5 synth, apply: only the Deployment changes, and 5 replicas are Ready',
    async () => {
      const r = await kubectl(['apply', '-f', '-'], { input: manifest(five) });
      const changed = r.stdout.split('\n').filter((l) => l.endsWith(' configured'));
      expect(changed).toEqual(['deployment.apps/my-service configured']);
      expect(await waitForReadyPods(SELECTOR, 5, 'default', POD_TIMEOUT)).toHaveLength(5);
    },
    POD_TIMEOUT + 60_000,
  );
});
