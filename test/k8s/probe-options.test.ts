/* Probe options cdk8s-plus-27 cannot express, patched in: HTTP headers; Probe.none() is Docker's matter only. */
import { Probe } from '../../lib/model';
import { find, httpService, newApp, synth } from './helpers';

describe('probe options', () => {
  test('HTTP probe headers become httpHeaders, in the order given', () => {
    const app = newApp();
    httpService(app, 'front', {
      readinessProbe: Probe.http('/_healthz', { headers: { Cookie: 'shop_session-id=x-readiness-probe' }, periodSeconds: 5 }),
      livenessProbe: Probe.http('/_healthz'),
    });
    const c = find(synth(app).objects, 'Deployment', 'front').spec.template.spec.containers[0];
    expect(c.readinessProbe).toEqual({
      httpGet: {
        path: '/_healthz',
        port: 8080,
        scheme: 'HTTP',
        httpHeaders: [{ name: 'Cookie', value: 'shop_session-id=x-readiness-probe' }],
      },
      periodSeconds: 5,
      timeoutSeconds: 3,
      failureThreshold: 3,
    });
    // Without headers, cdk8s-plus renders the same shape.
    expect(c.livenessProbe).toEqual({
      httpGet: { path: '/_healthz', port: 8080, scheme: 'HTTP' },
      periodSeconds: 10,
      timeoutSeconds: 3,
      failureThreshold: 3,
    });
  });

  test('healthcheck: Probe.none() keeps the Kubernetes probes and reports nothing', () => {
    const app = newApp();
    httpService(app, 'rpc', { ports: [{ port: 50051, name: 'grpc' }], readinessProbe: Probe.grpc(), healthcheck: Probe.none() });
    const { objects, chart } = synth(app);
    expect(find(objects, 'Deployment', 'rpc').spec.template.spec.containers[0].readinessProbe).toMatchObject({ grpc: { port: 50051 } });
    expect(chart.diagnostics).toEqual([]);
  });
});
