import { ComposeRendering, toComposeYaml } from '../../lib/compose';
import { STACKS } from '../../stacks';
import { networksOf, render, REPO, svc } from './helpers';

const rendered = Object.fromEntries(Object.entries(STACKS).map(([name, build]) => [name, render(build())])) as Record<
  string,
  ComposeRendering
>;

/** Compose keys of the instances of `service` (`web` or `web-1`..`web-n`), without sidecars. */
function instancesOf(r: ComposeRendering, service: string): string[] {
  return Object.keys(r.file.services).filter((k) => k === service || new RegExp(`^${service}-\\d+$`).test(k));
}

describe('flask-redis', () => {
  const r = rendered['flask-redis'];

  test("web is built from the seed's Dockerfile and publishes 5000", () => {
    expect(svc(r, 'web').build).toEqual({ context: './stacks/flask-redis/web', dockerfile: 'Dockerfile' });
    expect(svc(r, 'web').image).toBe('flask-redis/web:1.0.0');
    expect(svc(r, 'web').ports).toEqual(['127.0.0.1:5000:5000/tcp']);
  });

  test('web starts once redis is healthy and finds it by name', () => {
    expect(svc(r, 'web').depends_on).toEqual({ redis: { condition: 'service_healthy' } });
    expect(svc(r, 'redis').healthcheck!.test).toEqual(['CMD', 'redis-cli', 'ping']);
    expect(svc(r, 'web').environment).toMatchObject({ REDIS_HOST: 'redis', REDIS_PORT: '6379' });
  });

  test('networks: web joins web and redis, redis only its own, the gateway only web', () => {
    // web publishes 5000 and the gateway 8080: both also join the edge network; redis has no way out
    expect(networksOf(svc(r, 'web'))).toEqual(['web', 'redis', '_edge']);
    expect(networksOf(svc(r, 'redis'))).toEqual(['redis']);
    expect(networksOf(svc(r, 'gateway'))).toEqual(['web', '_edge']);
  });

  test('redis keeps its data in a named volume; the gateway is published on 8080', () => {
    expect(r.file.volumes).toEqual({ 'redis-data': { name: 'flask-redis-redis-data' } });
    expect(svc(r, 'redis').volumes).toEqual(['redis-data:/data']);
    expect(svc(r, 'gateway').ports).toEqual(['127.0.0.1:8080:8080/tcp']);
  });
});

describe('web-mongo', () => {
  const r = rendered['web-mongo'];

  test("db keeps the seed's dbdata volume at /data/db and web publishes 8080", () => {
    expect(svc(r, 'db').volumes).toEqual(['dbdata:/data/db']);
    expect(r.file.volumes).toEqual({ dbdata: { name: 'web-mongo-dbdata' } });
    expect(svc(r, 'web').ports).toEqual(['127.0.0.1:8080:8080/tcp']);
    expect(svc(r, 'web').depends_on).toEqual({ db: { condition: 'service_healthy' } });
  });
});

describe('my-service', () => {
  const r = rendered['my-service'];

  test('3 replicas behind one name, reached through the gateway', () => {
    expect(instancesOf(r, 'my-service')).toEqual(['my-service-1', 'my-service-2', 'my-service-3']);
    for (const key of instancesOf(r, 'my-service')) {
      expect(svc(r, key).networks).toEqual({ 'my-service': { aliases: ['my-service'] } });
      expect(svc(r, key)).not.toHaveProperty('ports');
    }
    expect(svc(r, 'gateway').ports).toEqual(['127.0.0.1:8081:8080/tcp']);
  });
});

describe('shop', () => {
  const r = rendered.shop;
  const app = STACKS.shop().resolve();

  const scraped = app.monitoring!.targets.map((t) => t.service);

  test('every instance joins exactly its own network and those of its dependencies (Prometheus: of the services it scrapes)', () => {
    expect(scraped).toEqual(['users', 'catalog', 'payments', 'orders', 'notifications']);
    for (const s of app.services) {
      for (const key of instancesOf(r, s.name)) {
        // Services with external egress or published ports also join the edge network.
        const edge = s.egress.length > 0 || s.ports.some((p) => p.publish !== undefined) ? ['_edge'] : [];
        const monitored = s.name === app.monitoring!.service ? scraped : [];
        expect(networksOf(svc(r, key)).sort()).toEqual([s.name, ...s.dependencies.map((d) => d.service), ...monitored, ...edge].sort());
      }
    }
  });

  test('the members of each network are exactly the service, its dependents, (if routed) the gateway and (if scraped) Prometheus', () => {
    for (const s of app.services) {
      const members = Object.entries(r.file.services)
        .filter(([, c]) => networksOf(c).includes(s.name))
        .map(([k]) => k);
      const expected = [s.name, ...s.dependents].flatMap((n) => instancesOf(r, n));
      if (s.routed) expected.push('gateway');
      if (scraped.includes(s.name)) expected.push('monitoring');
      expect(members.sort()).toEqual(expected.sort());
    }
  });

  test('depends_on mirrors the dependency graph instance by instance', () => {
    for (const s of app.services) {
      for (const key of instancesOf(r, s.name)) {
        expect(Object.keys(svc(r, key).depends_on ?? {}).sort()).toEqual(s.dependencies.flatMap((d) => instancesOf(r, d.service)).sort());
      }
    }
  });

  test("the orders proxy sidecar lives in each orders replica's network namespace", () => {
    expect(svc(r, 'orders-1-proxy').network_mode).toBe('service:orders-1');
    expect(svc(r, 'orders-2-proxy').network_mode).toBe('service:orders-2');
    expect(svc(r, 'orders-1').expose).toContain('15001/tcp');
  });

  test('autoscaled catalog runs its minReplicas and says so', () => {
    expect(instancesOf(r, 'catalog')).toEqual(['catalog-1', 'catalog-2']);
    // Reported, and acknowledged by the stack with its reason, so the rendering lists no warning.
    expect(r.diagnostics).toEqual([]);
    expect(STACKS.shop().resolve().acknowledgements).toContainEqual(
      expect.objectContaining({ id: 'docker-autoscaling', service: 'catalog' }),
    );
  });

  test('secrets are variables and a provided file; the catalog config file is an asset', () => {
    expect(svc(r, 'users-db').environment!.POSTGRES_PASSWORD).toBe('${USERS_DB_PASSWORD}');
    expect(svc(r, 'payments').secrets).toEqual([{ source: 'payments-psp_webhook-cert', target: '/etc/payments/webhook.pem' }]);
    expect(r.files.map((f) => f.path)).toEqual(['shop/catalog/catalog.yaml', 'shop/monitoring/prometheus.yml', 'shop/gateway/nginx.conf']);
  });

  test("the database runs as its image's user with its writable run dir", () => {
    expect(svc(r, 'users-db').user).toBe('70:70');
    expect(svc(r, 'users-db').tmpfs).toEqual(['/tmp', '/var/run/postgresql']);
  });
});

describe('every stack', () => {
  test.each(Object.keys(STACKS))('%s: secure defaults hold in every container', (name) => {
    for (const [key, s] of Object.entries(rendered[name].file.services)) {
      expect([key, s.read_only, s.cap_drop, s.security_opt]).toEqual([key, true, ['ALL'], ['no-new-privileges:true']]);
      expect(s.user).not.toMatch(/^0:/);
      expect(s.tmpfs).toContain('/tmp');
    }
  });

  test.each(Object.keys(STACKS))('%s: the YAML snapshot', (name) => {
    expect(toComposeYaml(STACKS[name](), { projectDir: REPO })).toMatchSnapshot();
  });
});
