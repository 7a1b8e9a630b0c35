/*
 * 4. A dependent starts only after its dependency is healthy, and never while it stays unhealthy.
 */
import { deploy, Deployment, READY_AFTER_SECONDS, startOrderApp } from './apps';
import { describeWithDocker, E2E_TIMEOUT, ensureImages, execIn, sleep, SETUP_TIMEOUT, uniqueProjectName } from './engine';

const seconds = (iso: string) => Date.parse(iso) / 1000;

describeWithDocker('start order on a real Docker engine', () => {
  beforeAll(() => ensureImages(), SETUP_TIMEOUT);

  test('4a. a dependent starts only once its dependency is healthy (a started-only dependent does not wait)', async () => {
    let d: Deployment | undefined;
    try {
      d = await deploy(startOrderApp(uniqueProjectName('mce2e-order-'), false), 'mce2eorder');
      const file = d.written.rendering.file.services;
      expect(file.app.depends_on).toEqual({ db: { condition: 'service_healthy' } });
      expect(file.eager.depends_on).toEqual({ db: { condition: 'service_started' } });

      await d.project.up({ timeoutMs: 180_000 });
      const db = await d.project.container('db');
      const app = await d.project.container('app');
      const eager = await d.project.container('eager');
      expect(db.health).toBe('healthy');
      expect(app.running).toBe(true);

      // `app` found db answering the moment it started; `eager` (same program, started-only) did not.
      expect((await execIn(app.name, 'cat /tmp/seen')).stdout.trim()).toBe('ready');
      expect((await execIn(eager.name, 'cat /tmp/seen')).stdout.trim()).toBe('early');
      // And the engine's clocks agree: app started after db had been up for its whole warm-up.
      expect(seconds(app.startedAt) - seconds(db.startedAt)).toBeGreaterThanOrEqual(READY_AFTER_SECONDS - 0.5);
      expect(seconds(eager.startedAt) - seconds(db.startedAt)).toBeLessThan(READY_AFTER_SECONDS);
    } finally {
      await d?.destroy();
    }
  }, E2E_TIMEOUT);

  test('4b. a dependent never starts while its dependency stays unhealthy', async () => {
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
  }, E2E_TIMEOUT);
});
