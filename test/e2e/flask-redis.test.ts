/*
 * The seeds' flask-redis stack itself, rendered by the compose backend and run on a real engine: the Flask hit
 * counter answers on its published port and through the gateway, counts up in Redis, and keeps its count across
 * `docker-compose down` (volumes kept) and `up`.
 */
import { flaskRedis } from '../../stacks/flask-redis';
import { assertNoContainers, deploy, Deployment } from './apps';
import { securityViolations } from './checks';
import {
  describeWithDocker,
  docker,
  E2E_TIMEOUT,
  ensureImages,
  execIn,
  httpGet,
  IMAGE_OVERRIDES,
  portFree,
  SETUP_TIMEOUT,
  waitFor,
} from './engine';

const WEB_PORT = 5000;
const GATEWAY_PORT = 8080;
const HITS = /I have been seen (\d+) times/;

/** GET on 127.0.0.1:<port>/ until the hit counter answers; returns the count. */
async function hit(port: number, timeoutMs = 60_000): Promise<number> {
  return waitFor(
    `the hit counter on 127.0.0.1:${port}`,
    async () => {
      const r = await httpGet(port, '/');
      const m = HITS.exec(r.body);
      if (r.status !== 200 || !m) throw new Error(`HTTP ${r.status}: ${r.body.slice(0, 200)}`);
      return Number(m[1]);
    },
    timeoutMs,
  );
}

describeWithDocker('flask-redis stack on a real Docker engine', () => {
  let d: Deployment | undefined;
  let lastCount = 0;

  beforeAll(async () => {
    await ensureImages();
    for (const port of [WEB_PORT, GATEWAY_PORT]) {
      if (!(await portFree(port))) throw new Error(`host port ${port} is in use: the flask-redis stack publishes it`);
    }
    await assertNoContainers(['flask-redis-redis-1', 'flask-redis-web-1', 'flask-redis-gateway']);
    d = await deploy(flaskRedis({ imageOverrides: IMAGE_OVERRIDES }), 'mce2eflask');
    await d.project.start(600_000);
  }, SETUP_TIMEOUT);

  afterAll(async () => {
    await d?.destroy();
  }, E2E_TIMEOUT);

  test(
    'the hit counter answers on its published port and counts up in Redis',
    async () => {
      const first = await hit(WEB_PORT);
      const second = await hit(WEB_PORT);
      expect(second).toBe(first + 1);
      // The count lives in Redis: the key the app increments holds the last answer.
      const redis = await d!.project.container('redis');
      const r = await execIn(redis.name, 'redis-cli get hits');
      expect(r.code).toBe(0);
      expect(Number(r.stdout.trim())).toBe(second);
      lastCount = second;
    },
    E2E_TIMEOUT,
  );

  test(
    'the gateway (nginx) routes / to the web service',
    async () => {
      const viaGateway = await hit(GATEWAY_PORT);
      expect(viaGateway).toBe(lastCount + 1);
      const direct = await hit(WEB_PORT);
      expect(direct).toBe(viaGateway + 1);
      lastCount = direct;
      // The answer went through nginx: the gateway's access log (stdout) has the request.
      const gateway = await d!.project.container('gateway');
      const logs = await docker(['logs', gateway.name]);
      expect(logs.stdout + logs.stderr).toMatch(/"GET \/ HTTP\/1\.1" 200/);
    },
    E2E_TIMEOUT,
  );

  test(
    'the stack runs hardened: redis as 999, web and gateway as 10001, read-only roots, no capabilities',
    async () => {
      const all = await d!.project.containers();
      expect(all.map((c) => c.service).sort()).toEqual(['gateway', 'redis', 'web']);
      const problems: string[] = [];
      for (const c of all) problems.push(...(await securityViolations(c)));
      expect(problems).toEqual([]);
      const uids = Object.fromEntries(await Promise.all(all.map(async (c) => [c.service, (await execIn(c.name, 'id -u')).stdout.trim()])));
      expect(uids).toEqual({ gateway: '10001', redis: '999', web: '10001' });
    },
    E2E_TIMEOUT,
  );

  test(
    'the count survives docker-compose down (volumes kept) and up',
    async () => {
      const before = lastCount > 0 ? lastCount : await hit(WEB_PORT);
      const redisBefore = await d!.project.container('redis');
      const volume = redisBefore.raw.Mounts.find((m: { Destination: string }) => m.Destination === '/data');
      expect(volume?.Type).toBe('volume');

      await d!.project.down();
      expect(await d!.project.containers()).toHaveLength(0);
      // The named volume outlives the containers.
      expect((await docker(['volume', 'inspect', volume.Name], { allowFailure: true })).code).toBe(0);

      await d!.project.up({ build: false });
      await d!.project.waitHealthy(120_000);
      const redisAfter = await d!.project.container('redis');
      expect(redisAfter.id).not.toBe(redisBefore.id); // really a new container, on the old volume
      const after = await hit(WEB_PORT);
      expect(after).toBe(before + 1);
      expect(await hit(GATEWAY_PORT)).toBe(after + 1);
    },
    E2E_TIMEOUT,
  );
});
