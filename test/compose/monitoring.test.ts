import { parse } from 'yaml';
import { Image, Monitoring } from '../../lib/model';
import { dockerComposeConfig, httpService, itWithCompose, networksOf, newApp, render, svc } from './helpers';

/** A replicated service with metrics, one without, and a Monitoring publishing its UI. */
function monitored() {
  const app = newApp({}, 'mon');
  const db = httpService(app, 'db', { ports: [{ port: 5432 }] });
  httpService(app, 'api', {
    replicas: 2,
    dependsOn: [db],
    ports: [
      { port: 8080, name: 'http' },
      { port: 9102, name: 'metrics' },
    ],
    metrics: { port: 9102 },
  });
  new Monitoring(app, 'monitoring', { image: Image.fromRegistry('mc-e2e/prometheus:2'), publish: 19090 });
  return app;
}

describe('Monitoring in compose', () => {
  const r = render(monitored());

  test('Prometheus: the image entrypoint with the flags as command, its UI published on 127.0.0.1, hardened', () => {
    const s = svc(r, 'monitoring');
    expect(s.image).toBe('mc-e2e/prometheus:2');
    expect(s).not.toHaveProperty('entrypoint');
    expect(s.command).toEqual([
      '--config.file=/etc/prometheus/prometheus.yml',
      '--storage.tsdb.path=/prometheus',
      '--web.listen-address=:9090',
    ]);
    expect(s.ports).toEqual(['127.0.0.1:19090:9090/tcp']);
    expect(s).toMatchObject({ user: '65534:65534', read_only: true, cap_drop: ['ALL'], security_opt: ['no-new-privileges:true'] });
    expect(s).not.toHaveProperty('healthcheck');
  });

  test("joins the scraped services' networks and the edge network (it publishes), not the others", () => {
    expect(networksOf(svc(r, 'monitoring'))).toEqual(['monitoring', 'api', '_edge']);
    expect(networksOf(svc(r, 'api-1'))).toEqual(['api', 'db']);
  });

  test('the TSDB is a named volume; the generated configuration a read-only file naming the network alias', () => {
    expect(r.file.volumes).toMatchObject({ 'monitoring-data': { name: 'mon-monitoring-data' } });
    expect(svc(r, 'monitoring').volumes).toEqual([
      'monitoring-data:/prometheus',
      './mon/monitoring/prometheus.yml:/etc/prometheus/prometheus.yml:ro',
    ]);
    const file = r.files.find((f) => f.path === 'mon/monitoring/prometheus.yml')!;
    expect(parse(file.content).scrape_configs).toEqual([
      { job_name: 'api', metrics_path: '/metrics', dns_sd_configs: [{ names: ['api'], type: 'A', port: 9102, refresh_interval: '15s' }] },
    ]);
  });

  itWithCompose(
    'docker-compose config -q accepts it without warnings',
    async () => {
      expect((await dockerComposeConfig(monitored())).stderr).toBe('');
    },
    60000,
  );
});
