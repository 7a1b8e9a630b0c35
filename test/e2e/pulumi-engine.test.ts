/*
 * The Pulumi backend judged on a real engine: the inputs the program registers for `flask-redis` and `shop`
 * (captured under mocks) are sent as the Docker API calls the provider makes for them (table in
 * pulumi-judge.ts), and the running result is checked.
 */
import { Recorded } from '../docker/harness';
import { installMocks, renderStack, secretValue, setConfig } from '../docker/harness';
import * as pulumi from '@pulumi/pulumi';
import { STACKS } from '../../stacks';
import { securityViolations } from './checks';
import {
  BUSYBOX_IMAGE,
  describeWithDocker,
  docker,
  E2E_TIMEOUT,
  ensureImages,
  execIn,
  httpGet,
  IMAGE_OVERRIDES,
  PROMETHEUS_IMAGE,
  SETUP_TIMEOUT,
  waitFor,
} from './engine';
import { JudgedDeployment } from './pulumi-judge';

const HITS = /I have been seen (\d+) times/;
const IDLE = ['sh', '-c', 'trap "exit 0" TERM; sleep 86400 & wait'];
const uniquePrefix = (base: string) => `${base}${process.pid.toString(36)}${Date.now().toString(36).slice(-4)}`;

/** The records of `stack` rendered by the program under mocks, with the e2e image overrides. */
async function capture(stack: string): Promise<Recorded[]> {
  await installMocks();
  jest.spyOn(pulumi.log, 'warn').mockImplementation(async () => undefined);
  setConfig('imageOverrides', JSON.stringify(IMAGE_OVERRIDES));
  const { r } = await renderStack(stack);
  return r.records;
}

/** Published host bindings of a running container: `<port>/<proto>` -> `HostIp:HostPort` list; null bindings left out. */
function published(inspect: any): Record<string, string[]> {
  return Object.fromEntries(
    Object.entries((inspect.NetworkSettings.Ports ?? {}) as Record<string, Array<{ HostIp: string; HostPort: string }> | null>)
      .filter(([, b]) => b && b.length > 0)
      .map(([k, b]) => [k, b!.map((x) => `${x.HostIp}:${x.HostPort}`)]),
  );
}

describeWithDocker("Pulumi backend on a real engine: flask-redis through the provider's API calls", () => {
  let d: JudgedDeployment | undefined;
  let count = 0;

  async function hit(port: number): Promise<number> {
    return waitFor(
      `the hit counter on 127.0.0.1:${port}`,
      async () => {
        const res = await httpGet(port, '/');
        const m = HITS.exec(res.body);
        if (res.status !== 200 || !m) throw new Error(`HTTP ${res.status}: ${res.body.slice(0, 200)}`);
        return Number(m[1]);
      },
      60_000,
    );
  }

  beforeAll(async () => {
    await ensureImages();
    d = new JudgedDeployment(await capture('flask-redis'), { app: 'flask-redis', prefix: uniquePrefix('mcjudgefr') });
    await d.up();
  }, SETUP_TIMEOUT);

  afterAll(async () => {
    await d?.destroy();
  }, E2E_TIMEOUT);

  test(
    "nothing is published that the model did not publish: redis's port stays on its network",
    async () => {
      const expected: Record<string, Record<string, string[]>> = {
        'flask-redis-redis-1': {},
        'flask-redis-web-1': { '5000/tcp': [`127.0.0.1:${d!.hostPorts.get(5000)}`] },
        'flask-redis-gateway': { '8080/tcp': [`127.0.0.1:${d!.hostPorts.get(8080)}`] },
      };
      for (const [name, ports] of Object.entries(expected)) {
        const c = await d!.inspect(name);
        expect([name, c.State.Running, published(c)]).toEqual([name, true, ports]);
      }
      // The image exposes 6379; only a `ports` entry would have published it (on a random port >= 32768).
      expect(Object.keys((await d!.inspect('flask-redis-redis-1')).Config.ExposedPorts ?? {})).toContain('6379/tcp');
    },
    E2E_TIMEOUT,
  );

  test(
    'the hit counter answers on its published port and through the gateway, found by network alias',
    async () => {
      const first = await hit(d!.hostPorts.get(5000)!);
      const viaGateway = await hit(d!.hostPorts.get(8080)!);
      expect(viaGateway).toBe(first + 1);
      count = viaGateway;
    },
    E2E_TIMEOUT,
  );

  test(
    'the engine holds the limits as sent: memory, memorySwap twice it, cpus, and the stop timeout',
    async () => {
      for (const name of ['flask-redis-redis-1', 'flask-redis-web-1', 'flask-redis-gateway']) {
        const i = d!.inputsOf(name);
        const c = await d!.inspect(name);
        expect([name, c.HostConfig.Memory, c.HostConfig.MemorySwap, c.HostConfig.NanoCpus, c.Config.StopTimeout ?? undefined]).toEqual([
          name,
          i.memory * 1024 * 1024,
          2 * i.memory * 1024 * 1024,
          Number(i.cpus) * 1e9,
          i.stopTimeout,
        ]);
      }
    },
    E2E_TIMEOUT,
  );

  test(
    'the containers run hardened, as the model says',
    async () => {
      const problems: string[] = [];
      for (const name of ['flask-redis-redis-1', 'flask-redis-web-1', 'flask-redis-gateway']) {
        const c = await d!.inspect(name);
        problems.push(...(await securityViolations({ name: c.Name.replace(/^\//, ''), service: name, raw: c } as any)));
      }
      expect(problems).toEqual([]);
    },
    E2E_TIMEOUT,
  );

  test(
    'replacing redis stops it gracefully within its grace period, and the count survives on its data volume',
    async () => {
      const before = count > 0 ? count : await hit(d!.hostPorts.get(5000)!);
      const oldId = d!.containerIds.get('flask-redis-redis-1');
      const { stop } = await d!.replace('flask-redis-redis-1');
      // destroyGraceSeconds 10: SIGTERM, redis saves and exits 0. Without it the provider stops with t=0: exit 137.
      expect(d!.inputsOf('flask-redis-redis-1').destroyGraceSeconds).toBe(10);
      expect(stop.exitCode).toBe(0);
      expect(stop.seconds).toBeLessThan(10);
      expect(d!.containerIds.get('flask-redis-redis-1')).not.toBe(oldId);
      const after = await hit(d!.hostPorts.get(5000)!);
      expect(after).toBe(before + 1);
    },
    E2E_TIMEOUT,
  );
});

describeWithDocker("Pulumi backend on a real engine: the shop's containers, networks and files", () => {
  let d: JudgedDeployment | undefined;
  let records: Recorded[] = [];

  beforeAll(async () => {
    await ensureImages();
    records = await capture('shop');
    // The shop's own images exist nowhere: busybox idles in their place; redis and the gateway's nginx are real.
    const substitutes = Object.fromEntries(
      records
        .filter((r) => r.type.endsWith(':RemoteImage') && !Object.values(IMAGE_OVERRIDES).includes(r.inputs.name))
        .map((r) => [r.inputs.name, { image: BUSYBOX_IMAGE, entrypoint: IDLE }]),
    );
    d = new JudgedDeployment(records, { app: 'shop', prefix: uniquePrefix('mcjudgeshop'), substitutes });
    await d.up();
  }, SETUP_TIMEOUT);

  afterAll(async () => {
    await d?.destroy();
  }, E2E_TIMEOUT);

  test(
    'only the gateway is published: no database, cache or service port reaches the host',
    async () => {
      const running = records.filter((r) => r.type.endsWith(':Container') && r.inputs.start !== false).map((r) => r.inputs.name as string);
      expect(running.length).toBeGreaterThan(10);
      const bindings: Record<string, Record<string, string[]>> = {};
      for (const name of running) {
        const c = await d!.inspect(name);
        expect([name, c.State.Running]).toEqual([name, true]);
        const p = published(c);
        if (Object.keys(p).length) bindings[name] = p;
      }
      expect(bindings).toEqual({ 'shop-gateway': { '8080/tcp': [`127.0.0.1:${d!.hostPorts.get(8080)}`] } });
    },
    E2E_TIMEOUT,
  );

  test(
    'files reach read-only containers through the never-started seed: config and secret files readable',
    async () => {
      const seed = await d!.inspect('shop-catalog-1-files');
      expect([seed.State.Status, seed.HostConfig.LogConfig.Type]).toEqual(['created', 'json-file']);
      const catalog = await d!.inspect('shop-catalog-1');
      expect(catalog.HostConfig.ReadonlyRootfs).toBe(true);
      const r = await execIn(catalog.Name.replace(/^\//, ''), 'cat /etc/catalog/catalog.yaml');
      expect(r.stdout).toBe('pageSize: 50\nimagesBaseUrl: /images\n');
      const payments = (await d!.inspect('shop-payments-1')).Name.replace(/^\//, '');
      expect((await execIn(payments, 'cat /etc/payments/webhook.pem')).stdout).toBe(secretValue('payments-psp.webhook-cert'));
    },
    E2E_TIMEOUT,
  );

  test(
    "a dependent reaches its dependency by alias on the dependency's network, a stranger does not",
    async () => {
      const users = (await d!.inspect('shop-users-1')).Name.replace(/^\//, '');
      // users depends on users-db and cache; the gateway does not depend on users-db.
      expect((await execIn(users, 'nslookup users-db 127.0.0.11 >/dev/null 2>&1 && echo found || echo missing')).stdout.trim()).toBe(
        'found',
      );
      const gatewayNetworks = Object.keys((await d!.inspect('shop-gateway')).NetworkSettings.Networks);
      expect(gatewayNetworks.some((n) => n.endsWith('-users-db'))).toBe(false);
    },
    E2E_TIMEOUT,
  );

  test(
    "the shop's Prometheus (Debian's, for prom/prometheus) loads its generated configuration and finds every replica by alias",
    async () => {
      const model = STACKS.shop({ imageOverrides: IMAGE_OVERRIDES }).resolve();
      const expected = Object.fromEntries(
        model.monitoring!.targets.map((t) => [t.service, model.services.find((s) => s.name === t.service)!.replicas]),
      );
      expect(Object.keys(expected).length).toBeGreaterThan(1);
      const prometheus = await d!.inspect(`shop-${model.monitoring!.service}-1`);
      expect([prometheus.Config.Image, prometheus.State.Running]).toEqual([PROMETHEUS_IMAGE, true]);
      // Prometheus's image has no HTTP client: a busybox in its network namespace asks its API.
      const ask = async () => {
        const r = await docker(
          [
            'run',
            '--rm',
            '--network',
            `container:${prometheus.Id}`,
            '--user',
            '65534:65534',
            '--cap-drop',
            'ALL',
            BUSYBOX_IMAGE,
            'timeout',
            '5',
            'wget',
            '-q',
            '-O',
            '-',
            `http://127.0.0.1:${model.monitoring!.port}/api/v1/targets?state=active`,
          ],
          { allowFailure: true, timeoutMs: 60_000 },
        );
        if (r.code !== 0) throw new Error(`wget: exit ${r.code} ${r.stderr}`);
        return JSON.parse(r.stdout).data.activeTargets as Array<{ labels: Record<string, string>; lastError: string; health: string }>;
      };
      // The first DNS lookups may come before the scraped containers exist; they repeat every scrape interval.
      const targets = await waitFor(
        'one target per replica of every scraped service',
        async () => {
          const t = await ask();
          const counts: Record<string, number> = {};
          for (const x of t) counts[x.labels.job] = (counts[x.labels.job] ?? 0) + 1;
          if (JSON.stringify(counts, Object.keys(expected).sort()) !== JSON.stringify(expected, Object.keys(expected).sort()))
            throw new Error(`targets per job ${JSON.stringify(counts)}, expected ${JSON.stringify(expected)}`);
          if (t.some((x) => x.health === 'unknown')) throw new Error('not every target scraped yet');
          return t;
        },
        90_000,
        2000,
      );
      // Idle busybox stands in for the shop's services: each target is reached and refuses (nothing listens), which
      // a network Prometheus is not on would not answer at all.
      for (const t of targets)
        expect([t.labels.job, t.health, t.lastError]).toEqual([t.labels.job, 'down', expect.stringMatching(/connection refused/)]);
    },
    E2E_TIMEOUT,
  );
});
