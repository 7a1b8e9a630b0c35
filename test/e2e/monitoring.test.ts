/*
 * Issue 12 on the real engine (compose): the seeds' flask-redis web serves Prometheus metrics (prometheus_client,
 * Debian's python3-prometheus-client in the base image) on its own port, and a Monitoring (Prometheus from Debian's
 * `prometheus` package, mc-e2e/prometheus:2) added to a copy of the stack finds it by DNS and scrapes it: its API
 * reports the target up and the app's own counter. Prometheus runs as 65534 on a read-only root with its TSDB on a
 * named volume (a new container there keeps the samples), and from its network namespace web's metrics port answers
 * while redis (no metrics) cannot be reached, not even by address. The same application through the Pulumi program
 * (its registered inputs sent to the engine by pulumi-judge.ts): the configuration reaches the read-only container
 * through the seed, and web's target is up.
 */
import * as pulumi from '@pulumi/pulumi';
import { Image, Monitoring, Probe } from '../../lib/model';
import { flaskRedis } from '../../stacks/flask-redis';
import { installMocks, renderApplication } from '../docker/harness';
import { deploy, Deployment } from './apps';
import { securityViolations } from './checks';
import { JudgedDeployment } from './pulumi-judge';
import {
  BUSYBOX_IMAGE,
  ContainerInfo,
  describeWithDocker,
  docker,
  E2E_TIMEOUT,
  ensureImages,
  execIn,
  freePort,
  httpGet,
  IMAGE_OVERRIDES,
  PROMETHEUS_IMAGE,
  RunResult,
  SETUP_TIMEOUT,
  uniqueProjectName,
  waitFor,
} from './engine';

const HITS = /I have been seen (\d+) times/;
const METRICS_PORT = 8000;
const REDIS_PORT = 6379;
/** Short, so the first scrape comes within seconds of the start (the default is 15 s). */
const SCRAPE_SECONDS = 2;

interface PromTarget {
  labels: Record<string, string>;
  scrapeUrl: string;
  health: string;
  lastError: string;
}

/** GET on Prometheus's API published on 127.0.0.1:<port>; the parsed `data`, or a throw. */
async function api<T>(port: number, urlPath: string): Promise<T> {
  const r = await httpGet(port, urlPath);
  if (r.status !== 200) throw new Error(`GET ${urlPath}: HTTP ${r.status}: ${r.body.slice(0, 300)}`);
  const body = JSON.parse(r.body) as { status: string; data: T };
  if (body.status !== 'success') throw new Error(`GET ${urlPath}: ${r.body.slice(0, 300)}`);
  return body.data;
}

/** The value of the only sample of an instant query, or undefined while there is none. */
async function scalar(port: number, query: string): Promise<number | undefined> {
  const data = await api<{ result: Array<{ metric: Record<string, string>; value: [number, string] }> }>(
    port,
    `/api/v1/query?query=${encodeURIComponent(query)}`,
  );
  if (data.result.length > 1) throw new Error(`${query}: ${data.result.length} series: ${JSON.stringify(data.result)}`);
  return data.result.length === 1 ? Number(data.result[0].value[1]) : undefined;
}

/** Polls /api/v1/targets (bounded) until job `job` has targets, all up; returns every active target. */
function targetsUp(port: number, job: string, timeoutMs = 90_000): Promise<PromTarget[]> {
  return waitFor(
    `${job}'s target to be up in /api/v1/targets`,
    async () => {
      const data = await api<{ activeTargets: PromTarget[] }>(port, '/api/v1/targets?state=active');
      const ofJob = data.activeTargets.filter((t) => t.labels.job === job);
      if (ofJob.length === 0) throw new Error(`no target of job ${job} yet: ${JSON.stringify(data.activeTargets)}`);
      if (ofJob.some((t) => t.health !== 'up')) throw new Error(`not up: ${JSON.stringify(ofJob)}`);
      return data.activeTargets;
    },
    timeoutMs,
    1000,
  );
}

describeWithDocker('monitoring on the real engine: Prometheus scrapes the flask-redis web (compose)', () => {
  let d: Deployment | undefined;
  const helpers: string[] = [];
  const appName = uniqueProjectName('mce2e-mon-');
  let promPort = 0;
  let webPort = 0;
  let startedAt = 0;

  /** Runs `script` in a busybox helper in `container`'s network namespace (no shell tools needed in it), bounded. */
  async function fromNetnsOf(container: ContainerInfo, script: string): Promise<RunResult> {
    const name = `${appName}-probe-${helpers.length + 1}`;
    helpers.push(name);
    try {
      return await docker(
        [
          'run',
          '--rm',
          '--name',
          name,
          '--network',
          `container:${container.name}`,
          '--user',
          '65534:65534',
          '--cap-drop',
          'ALL',
          '--read-only',
          BUSYBOX_IMAGE,
          'sh',
          '-c',
          script,
        ],
        { allowFailure: true, timeoutMs: 60_000 },
      );
    } finally {
      await docker(['rm', '-f', name], { allowFailure: true });
    }
  }

  beforeAll(async () => {
    await ensureImages();
    [promPort, webPort] = [await freePort(), await freePort()];
    const gatewayPort = await freePort();
    const app = flaskRedis({ imageOverrides: IMAGE_OVERRIDES }, { name: appName, webPublish: webPort, gatewayPublish: gatewayPort });
    new Monitoring(app, 'monitoring', {
      image: Image.fromRegistry(PROMETHEUS_IMAGE),
      publish: promPort,
      scrapeIntervalSeconds: SCRAPE_SECONDS,
      // The image has busybox's wget, as prom/prometheus does.
      healthcheck: Probe.http('/-/ready', { periodSeconds: 2 }),
    });
    d = await deploy(app, 'mce2emon');
    const upAt = Date.now();
    await d.project.start(600_000);
    startedAt = upAt;
  }, SETUP_TIMEOUT);

  afterAll(async () => {
    for (const h of helpers) await docker(['rm', '-f', h], { allowFailure: true });
    await d?.destroy();
  }, E2E_TIMEOUT);

  test(
    "Prometheus's API reports web's target up (found by DNS on web's alias, job = service) and up{job=\"web\"} == 1",
    async () => {
      const started = Date.now();
      process.stderr.write(
        `e2e monitoring: docker-compose up --build to a healthy project: ${((started - startedAt) / 1000).toFixed(1)} s\n`,
      );
      const targets = await targetsUp(promPort, 'web');
      process.stderr.write(`e2e monitoring: web's target up ${((Date.now() - started) / 1000).toFixed(1)} s later (polled from then on)\n`);
      // Only web has metrics: redis, the gateway and Prometheus itself are no targets.
      expect(targets.map((t) => t.labels.job)).toEqual(['web']);
      // One target for the one replica, on one of web's addresses (Docker's DNS answers the alias on each network
      // Prometheus shares with web: web's own and the edge).
      const webIps = Object.values((await d!.project.container('web')).networks).map((n) => n.IPAddress);
      expect(webIps.map((ip) => `http://${ip}:${METRICS_PORT}/metrics`)).toContain(targets[0].scrapeUrl);
      expect(await waitFor('up{job="web"}', () => scalar(promPort, 'up{job="web"}'), 30_000)).toBe(1);
    },
    E2E_TIMEOUT,
  );

  test(
    "the app's own counter reaches Prometheus: flask_redis_hits_total follows the hits on the published port",
    async () => {
      const before = (await scalar(promPort, 'flask_redis_hits_total{job="web"}')) ?? 0;
      for (let i = 0; i < 3; i++) {
        const r = await httpGet(webPort, '/');
        expect([r.status, HITS.test(r.body)]).toEqual([200, true]);
      }
      const after = await waitFor(
        'flask_redis_hits_total{job="web"} to count the three hits',
        async () => {
          const v = await scalar(promPort, 'flask_redis_hits_total{job="web"}');
          if (v === undefined || v < before + 3) throw new Error(`flask_redis_hits_total = ${v}, before ${before}`);
          return v;
        },
        60_000,
        1000,
      );
      expect(after).toBe(before + 3);
    },
    E2E_TIMEOUT,
  );

  test(
    "from Prometheus's network namespace web's metrics port answers; redis (no metrics) cannot be reached, even by address",
    async () => {
      const prometheus = await d!.project.container('monitoring');
      const web = await d!.project.container('web');
      const redis = await d!.project.container('redis');
      const redisIp = redis.networks[`${appName}-redis`]?.IPAddress;
      expect(redisIp).toMatch(/^\d+\.\d+\.\d+\.\d+$/);

      const metrics = await fromNetnsOf(prometheus, `timeout 5 wget -q -O - http://web:${METRICS_PORT}/metrics`);
      expect([metrics.code, /^flask_redis_hits_total /m.test(metrics.stdout)]).toEqual([0, true]);

      // Redis answers PING from web's namespace (web depends on it): the probe itself works.
      const ping = `printf 'PING\\r\\n' | timeout 5 nc`;
      const fromWeb = await fromNetnsOf(web, `${ping} ${redisIp} ${REDIS_PORT}`);
      expect(fromWeb.stdout).toContain('+PONG');
      // Not from Prometheus's: not by name (Docker's DNS answers web there, not redis), and not by address.
      const lookup = (name: string) => `nslookup ${name} 127.0.0.11 >/dev/null 2>&1 && echo resolved || echo unresolved`;
      const byName = await fromNetnsOf(prometheus, `${lookup('web')}; ${lookup('redis')}`);
      expect(byName.stdout.trim().split('\n')).toEqual(['resolved', 'unresolved']);
      const byAddress = await fromNetnsOf(prometheus, `${ping} ${redisIp} ${REDIS_PORT} 2>&1; echo "exit=$?"`);
      process.stderr.write(`e2e monitoring: redis ${redisIp}:${REDIS_PORT} from Prometheus's namespace: ${byAddress.stdout.trim()}\n`);
      expect(byAddress.stdout).not.toContain('+PONG');
      expect(byAddress.stdout).toMatch(/exit=[1-9]/);

      // Prometheus sits on its own network, web's (the service it scrapes) and the edge (its published port); not redis's.
      expect(Object.keys(prometheus.networks).sort()).toEqual([`${appName}--edge`, `${appName}-monitoring`, `${appName}-web`].sort());
    },
    E2E_TIMEOUT,
  );

  test(
    'Prometheus runs hardened: uid 65534, no capabilities, read-only root; its TSDB is written to a named volume',
    async () => {
      const prometheus = await d!.project.container('monitoring');
      expect(await securityViolations(prometheus)).toEqual([]);
      expect((await execIn(prometheus.name, 'id -u')).stdout.trim()).toBe('65534');
      const tsdb = prometheus.raw.Mounts.find((m: { Destination: string }) => m.Destination === '/prometheus');
      expect([tsdb?.Type, tsdb?.RW]).toEqual(['volume', true]);
      const config = prometheus.raw.Mounts.find((m: { Destination: string }) => m.Destination === '/etc/prometheus/prometheus.yml');
      expect([config?.Type, config?.RW]).toEqual(['bind', false]);
      // The TSDB is really written there (the write-ahead log), by 65534.
      const wal = await execIn(prometheus.name, 'stat -c "%u %F" /prometheus/wal');
      expect(wal.stdout.trim()).toBe('65534 directory');
      // The flags are the image's entrypoint's arguments, and Prometheus took them.
      const flags = await api<Record<string, string>>(promPort, '/api/v1/status/flags');
      expect([flags['config.file'], flags['storage.tsdb.path'], flags['web.listen-address']]).toEqual([
        '/etc/prometheus/prometheus.yml',
        '/prometheus',
        ':9090',
      ]);
      // The published API listens on 127.0.0.1 only.
      expect((await docker(['port', prometheus.name, '9090/tcp'])).stdout.trim().split('\n')).toEqual([`127.0.0.1:${promPort}`]);
      // The `healthcheck` option: Docker asks /-/ready with the image's wget, and Prometheus is healthy.
      expect(prometheus.raw.Config.Healthcheck.Test).toEqual(['CMD', 'wget', '-q', '-O', '/dev/null', 'http://127.0.0.1:9090/-/ready']);
      const health = await waitFor(
        'Prometheus healthy',
        async () => {
          const status = (await d!.project.container('monitoring')).raw.State.Health?.Status;
          if (status !== 'healthy') throw new Error(`health ${status}`);
          return status;
        },
        60_000,
      );
      expect(health).toBe('healthy');
    },
    E2E_TIMEOUT,
  );

  test(
    'Prometheus stops gracefully on SIGTERM, and a new container on the same volume still has the scraped samples',
    async () => {
      const old = await d!.project.container('monitoring');
      const samples = 'count_over_time(up{job="web"}[1h])';
      const before = await waitFor(samples, () => scalar(promPort, samples), 30_000);
      expect(before).toBeGreaterThan(0);
      const stopStarted = Date.now();
      await d!.project.compose(['rm', '--stop', '--force', 'monitoring'], { timeoutMs: 120_000 });
      const stopSeconds = (Date.now() - stopStarted) / 1000;
      process.stderr.write(`e2e monitoring: Prometheus stopped and removed in ${stopSeconds.toFixed(1)} s\n`);
      expect(stopSeconds).toBeLessThan(10); // the stop grace period: SIGKILL would have come only after it
      await d!.project.up({ build: false });
      const fresh = await d!.project.container('monitoring');
      expect(fresh.id).not.toBe(old.id);
      // The head block comes back from the write-ahead log on the volume: no sample is lost, new ones follow.
      const after = await waitFor(
        `${samples} after the restart`,
        async () => {
          const v = await scalar(promPort, samples);
          if (v === undefined || v <= before) throw new Error(`${samples} = ${v}, before the restart ${before}`);
          return v;
        },
        60_000,
        1000,
      );
      expect(after).toBeGreaterThan(before);
    },
    E2E_TIMEOUT,
  );
});

describeWithDocker('monitoring on the real engine: the same through the Pulumi program (judged)', () => {
  let d: JudgedDeployment | undefined;
  const appName = uniqueProjectName('mce2e-monp-');
  const PUBLISH = 9090; // the judge publishes every registered host port on a free one (hostPorts)

  beforeAll(async () => {
    await ensureImages();
    await installMocks();
    jest.spyOn(pulumi.log, 'warn').mockImplementation(async () => undefined);
    const app = flaskRedis({ imageOverrides: IMAGE_OVERRIDES }, { name: appName });
    new Monitoring(app, 'monitoring', {
      image: Image.fromRegistry(PROMETHEUS_IMAGE),
      publish: PUBLISH,
      scrapeIntervalSeconds: SCRAPE_SECONDS,
    });
    const { records } = await renderApplication(app);
    d = new JudgedDeployment(records, { app: appName, prefix: uniqueProjectName('mce2emonj') });
    await d.up();
  }, SETUP_TIMEOUT);

  afterAll(async () => {
    await d?.destroy();
  }, E2E_TIMEOUT);

  test(
    'web\'s target is up and up{job="web"} == 1; the configuration came through the seed, the TSDB is on the volume',
    async () => {
      const port = d!.hostPorts.get(PUBLISH)!;
      const started = Date.now();
      const targets = await targetsUp(port, 'web');
      process.stderr.write(
        `e2e monitoring (Pulumi): web's target up ${((Date.now() - started) / 1000).toFixed(1)} s after the judge's up\n`,
      );
      expect(targets.map((t) => t.labels.job)).toEqual(['web']);
      expect(await waitFor('up{job="web"}', () => scalar(port, 'up{job="web"}'), 30_000)).toBe(1);
      const name = `${appName}-monitoring-1`;
      const c = await d!.inspect(name);
      expect([c.Config.User, c.HostConfig.ReadonlyRootfs]).toEqual(['65534:65534', true]);
      const mounts = Object.fromEntries(
        (c.Mounts as Array<{ Destination: string; Type: string; RW: boolean }>).map((m) => [m.Destination, [m.Type, m.RW]]),
      );
      expect(mounts).toEqual({ '/prometheus': ['volume', true], '/etc/prometheus': ['volume', false] });
      const container = c.Name.replace(/^\//, '');
      expect((await execIn(container, 'stat -c "%u %F" /prometheus/wal')).stdout.trim()).toBe('65534 directory');
      expect((await execIn(container, 'grep -c job_name /etc/prometheus/prometheus.yml')).stdout.trim()).toBe('1');
    },
    E2E_TIMEOUT,
  );
});
