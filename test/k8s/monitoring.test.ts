import { parse } from 'yaml';
import { Image, Monitoring } from '../../lib/model';
import { all, container, find, httpService, newApp, podSpec, synth, worker } from './helpers';

/** An application with a scraped service of 2 replicas (metrics on 9102), a plain one, and a Monitoring. */
function monitored(props: ConstructorParameters<typeof Monitoring>[2] = {}, appProps = {}) {
  const app = newApp(appProps);
  httpService(app, 'web', {
    replicas: 2,
    ports: [
      { port: 8080, name: 'http' },
      { port: 9102, name: 'metrics' },
    ],
    metrics: { port: 9102, path: '/prom' },
  });
  httpService(app, 'plain');
  worker(app, 'jobs', { ports: [{ port: 7000, name: 'admin' }], metrics: { port: 7000 } });
  new Monitoring(app, 'monitoring', props);
  return synth(app);
}

describe('Monitoring in Kubernetes', () => {
  test('Prometheus is a Deployment whose flags are arguments (the image entrypoint stays), with a TSDB claim and its config', () => {
    const { objects } = monitored({ image: Image.fromRegistry('mc-e2e/prometheus:2') });
    const deployment = find(objects, 'Deployment', 'monitoring');
    const main = container(deployment);
    expect(main.image).toBe('mc-e2e/prometheus:2');
    expect(main.command).toBeUndefined();
    expect(main.args).toEqual([
      '--config.file=/etc/prometheus/prometheus.yml',
      '--storage.tsdb.path=/prometheus',
      '--web.listen-address=:9090',
    ]);
    expect(main.ports).toEqual([{ containerPort: 9090, name: 'http', protocol: 'TCP' }]);
    expect(main.readinessProbe.httpGet).toMatchObject({ path: '/-/ready', port: 9090 });
    const mounts = Object.fromEntries(main.volumeMounts.map((m: any) => [m.mountPath, m]));
    expect(mounts['/prometheus'].readOnly).toBeUndefined();
    expect(mounts['/etc/prometheus/prometheus.yml']).toMatchObject({ readOnly: true, subPath: 'monitoring-1' });
    const claim = podSpec(deployment).volumes.find((v: any) => v.persistentVolumeClaim);
    expect(claim.persistentVolumeClaim.claimName).toBe('monitoring-data');
    expect(find(objects, 'PersistentVolumeClaim', 'monitoring-data').spec.resources.requests.storage).toBe('1Gi');
    expect(find(objects, 'Service', 'monitoring').spec).toMatchObject({ type: 'ClusterIP', ports: [{ port: 9090, targetPort: 9090 }] });
  });

  test('the Prometheus pod runs as 65534 with fsGroup 65534, is hardened (the stacks test runs it through the restricted profile) and mounts no token (no RBAC)', () => {
    const { objects } = monitored();
    const deployment = find(objects, 'Deployment', 'monitoring');
    expect(podSpec(deployment).securityContext).toMatchObject({ runAsUser: 65534, runAsGroup: 65534, fsGroup: 65534, runAsNonRoot: true });
    expect(container(deployment).securityContext).toMatchObject({
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
    });
    expect(podSpec(deployment).automountServiceAccountToken).toBe(false);
    expect(find(objects, 'ServiceAccount', 'monitoring').automountServiceAccountToken).toBe(false);
    expect(all(objects, 'Role').concat(all(objects, 'ClusterRole'), all(objects, 'RoleBinding'))).toEqual([]);
  });

  test('the ConfigMap holds the scrape configuration: one DNS-discovered job per service with metrics, by its headless Service', () => {
    const { objects } = monitored({ scrapeIntervalSeconds: 30 });
    const config = parse(find(objects, 'ConfigMap', 'monitoring-files').data['monitoring-1']);
    expect(config.global).toEqual({ scrape_interval: '30s', scrape_timeout: '10s', evaluation_interval: '30s' });
    expect(config.scrape_configs).toEqual([
      {
        job_name: 'web',
        metrics_path: '/prom',
        dns_sd_configs: [{ names: ['web-metrics'], type: 'A', port: 9102, refresh_interval: '30s' }],
      },
      {
        job_name: 'jobs',
        metrics_path: '/metrics',
        dns_sd_configs: [{ names: ['jobs-metrics'], type: 'A', port: 7000, refresh_interval: '30s' }],
      },
    ]);
  });

  test('each scraped service gets a headless Service with only its metrics port; the others get none', () => {
    const { objects, chart } = monitored();
    const web = find(objects, 'Service', 'web-metrics');
    expect(web.spec).toEqual({
      clusterIP: 'None',
      type: 'ClusterIP',
      ports: [{ name: 'metrics', port: 9102, protocol: 'TCP', targetPort: 9102 }],
      selector: { 'app.kubernetes.io/name': 'web', 'app.kubernetes.io/part-of': 'app' },
    });
    expect(find(objects, 'Service', 'jobs-metrics').spec.ports).toEqual([{ name: 'admin', port: 7000, protocol: 'TCP', targetPort: 7000 }]);
    expect(all(objects, 'Service').map((s) => s.metadata.name)).not.toContain('plain-metrics');
    expect(chart.metricsServices).toHaveLength(2);
  });

  test("each scraped service's metrics policy admits the Prometheus pods on exactly the metrics port", () => {
    const { objects } = monitored();
    const prometheus = { podSelector: { matchLabels: { 'app.kubernetes.io/name': 'monitoring', 'app.kubernetes.io/part-of': 'app' } } };
    expect(find(objects, 'NetworkPolicy', 'web-metrics').spec.ingress).toEqual([
      { from: [prometheus], ports: [{ port: 9102, protocol: 'TCP' }] },
    ]);
    expect(find(objects, 'NetworkPolicy', 'jobs-metrics').spec.ingress).toEqual([
      { from: [prometheus], ports: [{ port: 7000, protocol: 'TCP' }] },
    ]);
    // Nothing else admits Prometheus: no other policy names its pods.
    const admitting = all(objects, 'NetworkPolicy').filter((p) =>
      (p.spec.ingress ?? []).some((r: any) =>
        (r.from ?? []).some((f: any) => f.podSelector?.matchLabels?.['app.kubernetes.io/name'] === 'monitoring'),
      ),
    );
    expect(admitting.map((p) => p.metadata.name).sort()).toEqual(['jobs-metrics', 'web-metrics']);
    expect(all(objects, 'NetworkPolicy').map((p) => p.metadata.name)).not.toContain('plain-metrics');
  });

  test('Prometheus may reach only the scraped pods on their metrics ports and the cluster DNS; nothing reaches Prometheus', () => {
    const { objects } = monitored();
    const egress = find(objects, 'NetworkPolicy', 'monitoring-egress').spec.egress;
    expect(egress).toEqual([
      expect.objectContaining({
        ports: [expect.objectContaining({ port: 53, protocol: 'UDP' }), expect.objectContaining({ port: 53, protocol: 'TCP' })],
      }),
      {
        to: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'web', 'app.kubernetes.io/part-of': 'app' } } }],
        ports: [{ port: 9102, protocol: 'TCP' }],
      },
      {
        to: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'jobs', 'app.kubernetes.io/part-of': 'app' } } }],
        ports: [{ port: 7000, protocol: 'TCP' }],
      },
    ]);
    // No dependents: the default deny is all its ingress (kubectl port-forward still reaches it).
    expect(all(objects, 'NetworkPolicy').map((p) => p.metadata.name)).not.toContain('monitoring-ingress');
  });

  test("with a Monitoring the 'metrics' warning is gone; a monitoring namespace is admitted next to it", () => {
    const { objects, chart } = monitored({}, { monitoringNamespace: 'cluster-monitoring' });
    expect(chart.diagnostics.filter((d) => d.field === 'metrics')).toEqual([]);
    expect(find(objects, 'NetworkPolicy', 'web-metrics').spec.ingress.map((r: any) => r.from[0])).toEqual([
      { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'cluster-monitoring' } }, podSelector: {} },
      { podSelector: { matchLabels: { 'app.kubernetes.io/name': 'monitoring', 'app.kubernetes.io/part-of': 'app' } } },
    ]);
    expect(monitored().chart.diagnostics.filter((d) => d.field === 'metrics')).toEqual([]);
  });

  test("publish keeps Prometheus behind its ClusterIP Service and says so, like any port's publish", () => {
    const { objects, chart } = monitored({ publish: 19090 });
    expect(find(objects, 'Service', 'monitoring').spec.type).toBe('ClusterIP');
    expect(chart.diagnostics.filter((d) => d.service === 'monitoring').map((d) => d.field)).toEqual(['ports']);
  });

  test('in a namespace every object of the monitoring is in it', () => {
    const { objects } = monitored({}, { namespace: 'shop' });
    for (const [kind, name] of [
      ['Deployment', 'monitoring'],
      ['ConfigMap', 'monitoring-files'],
      ['Service', 'web-metrics'],
      ['NetworkPolicy', 'web-metrics'],
      ['NetworkPolicy', 'monitoring-egress'],
    ])
      expect(find(objects, kind, name).metadata.namespace).toBe('shop');
  });

  test("fails: a service named like a scraped service's headless metrics Service", () => {
    const app = newApp();
    httpService(app, 'web', { metrics: { port: 8080 } });
    httpService(app, 'web-metrics');
    new Monitoring(app, 'monitoring');
    expect(() => synth(app)).toThrow(/'web-metrics'.*clashes with the headless Service 'web-metrics' the monitoring scrapes 'web' through/);
  });
});
