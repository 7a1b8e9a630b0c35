/*
 * Sidecars are containers too: probes, config files and secret files resolve for a sidecar as for the main
 * container, with its own fields in messages.
 */
import { Image, Probe } from '../../lib/model';
import { httpService, newApp, validationErrors } from './helpers';

const ENVOY = Image.fromRegistry('envoyproxy/envoy:v1.31.2');

test('a sidecar resolves its own probes, health check and files', () => {
  const app = newApp();
  httpService(app, 'orders', {
    configFiles: [{ mountPath: '/etc/orders.conf', content: 'a' }],
    sidecars: [
      {
        name: 'proxy',
        image: ENVOY,
        ports: [{ port: 9901, name: 'admin' }],
        readinessProbe: Probe.http('/ready', { port: 9901 }),
        configFiles: [{ mountPath: '/etc/envoy/envoy.yaml', content: 'admin: {}' }],
        secretFiles: [{ secretName: 'proxy-tls', key: 'tls.key', mountPath: '/etc/envoy/tls.key' }],
      },
    ],
  });
  const orders = app.resolve().services[0];
  const proxy = orders.sidecars[0];
  expect(proxy.readinessProbe).toMatchObject({ kind: 'http', port: 9901, path: '/ready' });
  expect([proxy.healthcheck?.path, proxy.healthcheckField]).toEqual(['/ready', 'readinessProbe']);
  // File ids are unique in the service: the pod's ConfigMap holds both containers' files.
  expect(orders.configFiles.map((f) => f.id)).toEqual(['orders-1']);
  expect(proxy.configFiles).toEqual([
    { id: 'orders-proxy-1', fileName: 'envoy.yaml', mountPath: '/etc/envoy/envoy.yaml', content: 'admin: {}' },
  ]);
  expect(proxy.secretFiles).toMatchObject([{ secret: { name: 'proxy-tls', key: 'tls.key' }, mountPath: '/etc/envoy/tls.key' }]);
  // The main container does not get the sidecar's probe.
  expect(orders.readinessProbe).toBeUndefined();
});

test('a sidecar without probes has none (no default from the main container)', () => {
  const app = newApp();
  httpService(app, 'web', { readinessProbe: Probe.http('/ready'), sidecars: [{ name: 'agent', image: ENVOY }] });
  const agent = app.resolve().services[0].sidecars[0];
  expect([agent.readinessProbe, agent.livenessProbe, agent.healthcheck]).toEqual([undefined, undefined, undefined]);
});

test("fails when a sidecar's probe, files or options are wrong, naming the sidecar's field", () => {
  const app = newApp();
  httpService(app, 'web', {
    sidecars: [
      {
        name: 'proxy',
        image: ENVOY,
        ports: [{ port: 9901 }],
        readinessProbe: Probe.http('/ready', { port: 8080 }),
        livenessProbe: Probe.none(),
        configFiles: [
          { mountPath: 'relative.yaml', content: 'x' },
          { mountPath: '/tmp', content: 'y' },
        ],
        secretFiles: [{ secretName: 'tls', key: 'key', mountPath: '/etc/key', extra: 1 } as any],
      },
      { name: 'agent', image: ENVOY, startupProbe: Probe.tcp() },
    ],
  });
  expect(validationErrors(app)).toEqual([
    "service 'web': 'sidecars[proxy].readinessProbe' probes port 8080 that 'sidecars[proxy].ports' does not declare (declared: [9901])",
    "service 'web': 'sidecars[proxy].livenessProbe' must be a check; Probe.none() is for 'healthcheck' only",
    "service 'web': unknown option 'extra' in 'sidecars[proxy].secretFiles[0]' (known: secretName, key, mountPath)",
    "service 'web': 'sidecars[proxy].configFiles[0].mountPath' must be an absolute path, got \"relative.yaml\"",
    "service 'web': 'sidecars[proxy].security.writablePaths[0]' mount path \"/tmp\" " +
      "clashes with 'sidecars[proxy].configFiles[1].mountPath'",
    "service 'web': 'sidecars[agent].startupProbe' is a tcp probe but the sidecar declares no ports",
  ]);
});
