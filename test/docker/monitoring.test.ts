/*
 * The Monitoring through the Pulumi component, against mocks: the Prometheus container, its networks, volumes and
 * the generated configuration delivered the way config files reach read-only containers (the seed).
 */
import * as pulumi from '@pulumi/pulumi';
import { parse } from 'yaml';
import { Application, Image, Microservice, Monitoring } from '../../lib/model';
import { installMocks, renderApplication, T } from './harness';

beforeAll(async () => {
  await installMocks();
  jest.spyOn(pulumi.log, 'warn').mockImplementation(async () => undefined);
});

const image = Image.fromRegistry('ghcr.io/acme/web:1.0.0');

function monitored(name: string, publish?: number): Application {
  const a = new Application(name);
  const db = new Microservice(a, 'db', { image, ports: [{ port: 5432 }] });
  new Microservice(a, 'api', {
    image,
    replicas: 2,
    dependsOn: [db],
    ports: [
      { port: 8080, name: 'http' },
      { port: 9102, name: 'metrics' },
    ],
    metrics: { port: 9102 },
  });
  new Monitoring(a, 'monitoring', { image: Image.fromRegistry('mc-e2e/prometheus:2'), ...(publish ? { publish } : {}) });
  return a;
}

test('Prometheus runs the image entrypoint with its flags as command, as nobody, read-only, on the scraped networks only', async () => {
  const r = await renderApplication(monitored('pm1'));
  const c = r.containers.get('pm1-monitoring-1')!.inputs;
  expect(c.image).toBe('sha256:mc-e2e/prometheus:2');
  expect(c.entrypoints).toBeUndefined();
  expect(c.command).toEqual([
    '--config.file=/etc/prometheus/prometheus.yml',
    '--storage.tsdb.path=/prometheus',
    '--web.listen-address=:9090',
  ]);
  expect(c).toMatchObject({ user: '65534:65534', readOnly: true, capabilities: { drops: ['ALL'] } });
  expect(c.networksAdvanced.map((n: any) => n.name).sort()).toEqual(['pm1-api', 'pm1-monitoring']);
  expect(c.ports ?? []).toEqual([]); // unpublished: no port binding
  expect(c.healthcheck).toBeUndefined();
});

test('the TSDB is a Docker volume; the configuration reaches the read-only container through the seed', async () => {
  const r = await renderApplication(monitored('pm2'));
  expect(r.ofType(T.volume).map((v) => v.inputs.name)).toContain('pm2-monitoring-data');
  const c = r.containers.get('pm2-monitoring-1')!.inputs;
  expect(c.volumes).toEqual(expect.arrayContaining([{ volumeName: 'pm2-monitoring-data', containerPath: '/prometheus', readOnly: false }]));
  const seed = r.seeds.get('pm2-monitoring-1-files')!;
  const uploads = pulumi.runtime.isRpcSecret(seed.inputs.uploads)
    ? pulumi.runtime.unwrapRpcSecret(seed.inputs.uploads)
    : seed.inputs.uploads;
  const config = uploads.find((u: any) => u.file.endsWith('prometheus.yml'));
  expect(parse(config.content).scrape_configs).toEqual([
    { job_name: 'api', metrics_path: '/metrics', dns_sd_configs: [{ names: ['api'], type: 'A', port: 9102, refresh_interval: '15s' }] },
  ]);
});

test('publish binds the UI on 127.0.0.1 and adds the edge network', async () => {
  const r = await renderApplication(monitored('pm3', 19090));
  const c = r.containers.get('pm3-monitoring-1')!.inputs;
  expect(c.ports).toEqual([{ internal: 9090, external: 19090, ip: '127.0.0.1', protocol: 'tcp' }]);
  expect(c.networksAdvanced.map((n: any) => n.name).sort()).toEqual(['pm3--edge', 'pm3-api', 'pm3-monitoring']);
});
