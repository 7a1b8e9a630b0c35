import { Diagnostic, DiagnosticLevel, formatDiagnostic, Image, Probe, Protocol, ServiceType } from '../../lib/model';
import { kubernetesDiagnostics } from '../../lib/k8s/diagnostics';
import { STACKS } from '../../stacks';
import { httpService, newApp, synth } from './helpers';

const fields = (ds: Diagnostic[]) => ds.map((d) => `${d.service}.${d.field}`);

describe('diagnostics', () => {
  test('a clean application has none', () => {
    const app = newApp();
    httpService(app, 'web', { readinessProbe: Probe.http('/ready') });
    expect(synth(app).chart.diagnostics).toEqual([]);
  });

  test('publish on a ClusterIP service warns that it is local-only and names kubectl port-forward', () => {
    const app = newApp();
    httpService(app, 'web', { ports: [{ port: 5000, publish: 8080 }] });
    const [d, ...rest] = synth(app).chart.diagnostics;
    expect(rest).toEqual([]);
    expect(d).toEqual(expect.objectContaining({ level: DiagnosticLevel.WARNING, target: 'kubernetes', service: 'web', field: 'ports' }));
    expect(d.message).toContain('local-only');
    expect(d.message).toContain('kubectl port-forward service/web 8080:5000');
    expect(formatDiagnostic(d)).toMatch(/^warning \[kubernetes\] service 'web': 'ports' publishes host port 8080/);
  });

  test('publish is expressed exactly by a NodePort Service, so no diagnostic', () => {
    const app = newApp();
    httpService(app, 'web', { serviceType: ServiceType.NODE_PORT, ports: [{ port: 5000, publish: 30500 }], ingressFrom: [] });
    expect(synth(app).chart.diagnostics).toEqual([]);
  });

  test('a LoadBalancer cannot listen on a published port other than the container port', () => {
    const app = newApp();
    httpService(app, 'a', { serviceType: ServiceType.LOAD_BALANCER, ports: [{ port: 5000, publish: 80 }], ingressFrom: [] });
    httpService(app, 'b', { serviceType: ServiceType.LOAD_BALANCER, ports: [{ port: 5001, publish: 5001 }], ingressFrom: [] });
    const ds = synth(app).chart.diagnostics;
    expect(fields(ds)).toEqual(['a.ports']);
    expect(ds[0].message).toContain('listens on port 5000');
  });

  test('a LoadBalancer with TCP and UDP ports needs mixed-protocol load balancers (Kubernetes 1.24+)', () => {
    const app = newApp();
    const ports = [{ port: 53 }, { port: 53, protocol: Protocol.UDP }];
    httpService(app, 'dns', { serviceType: ServiceType.LOAD_BALANCER, ports, ingressFrom: [] });
    httpService(app, 'tcp-only', { serviceType: ServiceType.LOAD_BALANCER, ports: [{ port: 80 }, { port: 443 }], ingressFrom: [] });
    httpService(app, 'node', { serviceType: ServiceType.NODE_PORT, ports, ingressFrom: [] });
    const ds = synth(app).chart.diagnostics;
    expect(fields(ds)).toEqual(['dns.serviceType']);
    expect(ds[0].message).toMatch(/^LoadBalancer with TCP and UDP ports needs mixed-protocol load balancers .*1\.24/);
  });

  test('a published sidecar port is local-only too', () => {
    const app = newApp();
    httpService(app, 'web', {
      sidecars: [{ name: 'proxy', image: Image.fromRegistry('envoyproxy/envoy:v1.31.2'), ports: [{ port: 9901, publish: 9901 }] }],
    });
    expect(fields(synth(app).chart.diagnostics)).toEqual(['web.sidecars[proxy].ports']);
  });

  test('a non-default Docker logging driver applies to Docker only', () => {
    const app = newApp({ logging: { driver: 'fluentd', options: { 'fluentd-address': 'localhost:24224' } } }, 'shop');
    httpService(app, 'web');
    const ds = synth(app).chart.diagnostics;
    expect(fields(ds)).toEqual(['shop.logging']);
    expect(ds[0].message).toContain('"fluentd"');
  });

  test('an image built from a Dockerfile must be pushed where the cluster can pull it', () => {
    const app = newApp({}, 'flask');
    httpService(app, 'web', { image: Image.fromDockerfile(`${__dirname}/../../stacks/flask-redis/web`) });
    const ds = synth(app).chart.diagnostics;
    expect(fields(ds)).toEqual(['web.image']);
    expect(ds[0].message).toContain('"flask/web:dev"');
  });

  test('metrics behind the default-deny policy are reported, not silently opened', () => {
    const app = newApp();
    httpService(app, 'web', { ports: [{ port: 8080 }, { port: 9090 }], metrics: { port: 9090 } });
    const ds = synth(app).chart.diagnostics;
    expect(fields(ds)).toEqual(['web.metrics']);
    expect(ds[0].message).toContain('port 9090');
  });

  test('a stop signal cannot be expressed: a warning naming service and field, with the way out', () => {
    const app = newApp();
    httpService(app, 'web', { stopSignal: 'SIGINT', stopGracePeriodSeconds: 5 });
    httpService(app, 'api', { stopGracePeriodSeconds: 5 });
    const ds = synth(app).chart.diagnostics;
    expect(ds).toEqual([
      {
        level: DiagnosticLevel.WARNING,
        target: 'kubernetes',
        service: 'web',
        field: 'stopSignal',
        message:
          'SIGINT cannot be expressed in Kubernetes 1.27, which stops containers with SIGTERM: ' +
          'make the process exit on SIGTERM, or send SIGINT from a preStop hook',
      },
    ]);
    expect(formatDiagnostic(ds[0])).toMatch(/^warning \[kubernetes\] service 'web': 'stopSignal' SIGINT cannot be expressed/);
  });

  test('the flask stacks acknowledge the SIGINT warning of both Flask services, with the reason', () => {
    for (const [stack, service] of [
      ['flask-redis', 'web'],
      ['my-service', 'my-service'],
    ]) {
      const { chart } = synth(STACKS[stack]());
      expect(chart.diagnostics.filter((d) => d.field === 'stopSignal')).toEqual([]);
      expect(chart.model.acknowledgements).toContainEqual(expect.objectContaining({ id: 'k8s-stopSignal', service }));
      // Without the acknowledgement, the warning is there.
      const bare = synth(STACKS[stack]());
      expect(kubernetesDiagnostics({ ...bare.chart.model, acknowledgements: [] }).map((d) => `${d.service}.${d.field}`)).toContain(
        `${service}.stopSignal`,
      );
    }
  });

  test('a Docker-only healthcheck leaves Kubernetes without a probe', () => {
    const app = newApp();
    httpService(app, 'web', { healthcheck: Probe.command(['true']) });
    httpService(app, 'probed', { healthcheck: Probe.command(['true']), livenessProbe: Probe.tcp() });
    expect(fields(synth(app).chart.diagnostics)).toEqual(['web.healthcheck']);
  });
});
