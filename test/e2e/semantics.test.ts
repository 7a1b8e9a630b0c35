/*
 * The Docker meaning of the model (DESIGN.md's table), proved on running containers of a test application
 * rendered by the compose backend: discovery of declared dependencies, isolation from undeclared ones, replicas
 * behind one name, restart policy, secure defaults, gateway routing and sidecars.
 */
import { behaviourApp, deploy, Deployment, WEB_PORT } from './apps';
import { securityViolations } from './checks';
import {
  describeWithDocker,
  E2E_TIMEOUT,
  ensureImages,
  execIn,
  freePort,
  httpGet,
  killHostPid,
  SETUP_TIMEOUT,
  uniqueProjectName,
  waitFor,
} from './engine';

/**
 * `timeout 10 wget` (busybox wget's own -T crashes) printing the body, or nothing. Generous, because a loaded CI
 * machine can be slow to answer; the checks that expect no answer only get slower, not weaker.
 */
const get = (url: string) => `timeout 10 wget -q -O - ${url}`;

describeWithDocker('Docker semantics on running containers (busybox test application)', () => {
  let d: Deployment | undefined;
  let gatewayPort = 0;
  const appName = uniqueProjectName('mce2e-sem-');

  beforeAll(async () => {
    await ensureImages();
    gatewayPort = await freePort();
    d = await deploy(behaviourApp(appName, gatewayPort), 'mce2esem');
    await d.project.start(300_000);
  }, SETUP_TIMEOUT);

  afterAll(async () => {
    await d?.destroy();
  }, E2E_TIMEOUT);

  const container = (service: string) => d!.project.container(service);

  test(
    '1. a service reaches its declared dependency by name through the injected <DEP>_HOST/<DEP>_PORT',
    async () => {
      const api = await container('api');
      const store = await container('store');
      const env = await execIn(api.name, 'echo "$STORE_HOST:$STORE_PORT"');
      expect(env.stdout.trim()).toBe(`store:${WEB_PORT}`);
      // The request is made with the variables, inside the dependent container.
      const r = await execIn(api.name, get('"http://$STORE_HOST:$STORE_PORT/"'));
      expect(r.code).toBe(0);
      expect(r.stdout.trim()).toBe(`store ${store.hostname}`);
    },
    E2E_TIMEOUT,
  );

  test(
    '2. a service that did not declare a dependency cannot reach it (by name or by address)',
    async () => {
      const loner = await container('loner');
      const store = await container('store');
      const api = await container('api');
      // The name does not resolve where the dependency is not declared...
      const lookup = await execIn(loner.name, 'timeout 5 nslookup store 127.0.0.11');
      expect(lookup.code).not.toBe(0);
      const byName = await execIn(loner.name, get('http://store:8000/'));
      expect(byName.code).not.toBe(0);
      expect(byName.stdout).toBe('');
      // ...and the address is unreachable too: the networks are isolated, not only the DNS names.
      const ips = Object.values(store.networks)
        .map((n) => n.IPAddress)
        .filter(Boolean);
      expect(ips.length).toBeGreaterThan(0);
      for (const ip of ips) {
        const byAddress = await execIn(loner.name, get(`http://${ip}:${WEB_PORT}/`));
        expect(byAddress.code).not.toBe(0);
        expect(byAddress.stdout).toBe('');
        // Control: the same address answers from the declared dependent, so the failure above is isolation.
        const fromApi = await execIn(api.name, get(`http://${ip}:${WEB_PORT}/`));
        expect(fromApi.stdout.trim()).toBe(`store ${store.hostname}`);
      }
    },
    E2E_TIMEOUT,
  );

  test(
    '3. three replicas behind one name: 30 requests from a client reach all three',
    async () => {
      const replicas = (await d!.project.containers()).filter((c) => /^echo-\d+$/.test(c.service));
      expect(replicas).toHaveLength(3);
      const api = await container('api');
      // Each of the 30 requests is retried at most twice, so one slow answer on a loaded machine is not a failure.
      const once = get('"http://$ECHO_HOST:$ECHO_PORT/"');
      const r = await execIn(api.name, `for i in $(seq 30); do for try in 1 2 3; do ${once} && break; done; done`, 250_000);
      const answers = r.stdout
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean);
      expect(answers).toHaveLength(30);
      const seen = new Set(answers.map((a) => a.replace(/^echo /, '')));
      expect([...seen].sort()).toEqual(replicas.map((c) => c.hostname).sort());
    },
    E2E_TIMEOUT,
  );

  test(
    '5. a container whose process dies is restarted by its restart policy',
    async () => {
      const before = await container('loner');
      expect(before.raw.HostConfig.RestartPolicy.Name).toBe('always');
      expect(before.running).toBe(true);
      await killHostPid(before.pid);
      const after = await waitFor(
        'loner to be restarted',
        async () => {
          const c = await container('loner');
          return c.running && c.restartCount > before.restartCount ? c : undefined;
        },
        60_000,
      );
      expect(after.restartCount).toBe(before.restartCount + 1);
      expect(after.pid).not.toBe(before.pid);
      expect(after.id).toBe(before.id); // the same container, restarted by the engine
      expect((await execIn(after.name, 'echo alive')).stdout.trim()).toBe('alive');
    },
    E2E_TIMEOUT,
  );

  test(
    '6. secure defaults hold in every container: non-root, read-only root, writable /tmp, no capabilities',
    async () => {
      const all = await d!.project.containers();
      // services, replicas, the sidecar and the gateway
      expect(all.map((c) => c.service).sort()).toEqual([
        'a',
        'api',
        'api-probe',
        'b',
        'echo-1',
        'echo-2',
        'echo-3',
        'gateway',
        'loner',
        'store',
      ]);
      const report: string[] = [];
      for (const c of all) {
        report.push(...(await securityViolations(c)));
      }
      expect(report).toEqual([]);
    },
    E2E_TIMEOUT,
  );

  test(
    '7. gateway path routing reaches the right service (nginx)',
    async () => {
      const a = await container('a');
      const b = await container('b');
      const ra = await waitFor(
        'the gateway route /a',
        async () => {
          const r = await httpGet(gatewayPort, '/a/');
          if (r.status !== 200) throw new Error(`HTTP ${r.status}`);
          return r;
        },
        30_000,
      );
      expect(ra.body.trim()).toBe(`a ${a.hostname}`);
      const rb = await httpGet(gatewayPort, '/b/');
      expect(rb.status).toBe(200);
      expect(rb.body.trim()).toBe(`b ${b.hostname}`);
      // No route, no answer from a service.
      const none = await httpGet(gatewayPort, '/c/');
      expect(none.status).toBe(404);
      expect(none.body).not.toMatch(/^(a|b) /);
      const gateway = await container('gateway');
      expect(gateway.raw.Config.Image).toMatch(/nginx/);
    },
    E2E_TIMEOUT,
  );

  test(
    "8. a sidecar shares its service's network namespace (reaches it on 127.0.0.1)",
    async () => {
      const api = await container('api');
      const probe = await container('api-probe');
      expect(probe.networkMode).toBe(`container:${api.id}`);
      // Nothing listens in the sidecar itself: the answer comes from the service's process.
      const ps = await execIn(probe.name, 'ps -o comm | grep -c httpd || true');
      expect(ps.stdout.trim()).toBe('0');
      const r = await execIn(probe.name, get(`http://127.0.0.1:${WEB_PORT}/`));
      expect(r.code).toBe(0);
      expect(r.stdout.trim()).toBe(`api ${api.hostname}`);
      // Control: another service's localhost is its own.
      const other = await execIn((await container('loner')).name, get(`http://127.0.0.1:${WEB_PORT}/`));
      expect(other.stdout).toBe('');
    },
    E2E_TIMEOUT,
  );

  test(
    '9. a variable a shell cannot name (discovery.type) reaches the process',
    async () => {
      const loner = await container('loner');
      // The environment Docker gave the container's process (a shell may drop names it cannot hold).
      const r = await execIn(loner.name, "tr '\\0' '\\n' < /proc/1/environ");
      expect(r.stdout.split('\n')).toContain('discovery.type=single-node');
    },
    E2E_TIMEOUT,
  );
});
