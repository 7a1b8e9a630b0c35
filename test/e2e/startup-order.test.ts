/*
 * 4. A dependent starts only after its dependency is healthy, and never while it stays unhealthy.
 */
import { deploy, Deployment, GO_FILE, startOrderApp } from './apps';
import {
  describeWithDocker,
  E2E_TIMEOUT,
  ensureImages,
  execIn,
  RunResult,
  sleep,
  SETUP_TIMEOUT,
  uniqueProjectName,
  waitFor,
} from './engine';

describeWithDocker('start order on a real Docker engine', () => {
  beforeAll(() => ensureImages(), SETUP_TIMEOUT);

  test(
    '4a. a dependent starts only once its dependency is healthy (a started-only dependent does not wait)',
    async () => {
      let d: Deployment | undefined;
      let up: Promise<RunResult> | undefined;
      try {
        d = await deploy(startOrderApp(uniqueProjectName('mce2e-order-'), false), 'mce2eorder');
        const file = d.written.rendering.file.services;
        expect(file.app.depends_on).toEqual({ db: { condition: 'service_healthy' } });
        expect(file.eager.depends_on).toEqual({ db: { condition: 'service_started' } });

        // `up` blocks on db's health; db stays unhealthy until we let it go.
        up = d.project.up({ timeoutMs: 180_000, allowFailure: true });
        const project = d.project;
        const eager = await waitFor(
          'eager to start and record what it saw',
          async () => {
            const c = (await project.containers()).find((x) => x.service === 'eager' && x.running);
            return c && (await execIn(c.name, 'cat /tmp/seen')).stdout.trim() ? c : undefined;
          },
          120_000,
        );
        expect((await execIn(eager.name, 'cat /tmp/seen')).stdout.trim()).toBe('early'); // db was not ready yet
        const db = await project.container('db');
        expect(db.health).not.toBe('healthy');
        // Some health checks have failed by now, and the dependent is still not running.
        await sleep(3000);
        const waiting = (await project.containers()).filter((c) => c.service === 'app');
        expect(waiting.filter((c) => c.running)).toEqual([]);

        expect((await execIn(db.name, `touch ${GO_FILE}`)).code).toBe(0);
        const result = await up;
        expect(result.code).toBe(0);
        const app = await project.container('app');
        expect(app.running).toBe(true);
        expect((await project.container('db')).health).toBe('healthy');
        // `app` found db answering the moment it started.
        expect((await execIn(app.name, 'cat /tmp/seen')).stdout.trim()).toBe('ready');
      } finally {
        await up?.catch(() => undefined);
        await d?.destroy();
      }
    },
    E2E_TIMEOUT,
  );

  test(
    '4b. a dependent never starts while its dependency stays unhealthy',
    async () => {
      let d: Deployment | undefined;
      try {
        d = await deploy(startOrderApp(uniqueProjectName('mce2e-unhealthy-'), true), 'mce2eunhealthy');
        const up = await d.project.up({ timeoutMs: 180_000, allowFailure: true });
        expect(up.code).not.toBe(0);
        expect(up.stdout + up.stderr).toMatch(/unhealthy/i);

        const db = await d.project.container('db');
        expect(db.health).toBe('unhealthy');
        const check = async () => {
          const app = (await d!.project.containers()).filter((c) => c.service === 'app');
          // Either never created, or created and never started.
          for (const c of app) {
            expect(c.running).toBe(false);
            expect(c.raw.State.StartedAt).toMatch(/^0001-01-01/);
          }
        };
        await check();
        // Still not started a while later: nothing retries behind our back.
        await sleep(5000);
        await check();
      } finally {
        await d?.destroy();
      }
    },
    E2E_TIMEOUT,
  );
});
