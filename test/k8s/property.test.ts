/*
 * Property: every valid application, however its services, ports, dependencies (a DAG), replicas, volumes,
 * probes and autoscaling combine, synthesizes objects that pass schema and API-server validation, and keeps the
 * backend's invariants.
 */
import * as fc from 'fast-check';
import {
  Application,
  EnvValue,
  Gateway,
  Image,
  Microservice,
  MicroserviceProps,
  Probe,
  Protocol,
  ResolvedService,
  RestartPolicy,
  ServiceType,
} from '../../lib/model';
import { IMAGE, synth } from './helpers';
import { K8sObject } from './validate-k8s';

const name = fc.stringMatching(/^[a-z]([a-z0-9-]{0,8}[a-z0-9])?$/);

/** One service's random choices; indexes into other services are resolved when the app is built. */
const serviceSpec = fc.record({
  ports: fc.uniqueArray(fc.integer({ min: 1, max: 65535 }), { maxLength: 3 }),
  udp: fc.boolean(),
  publish: fc.boolean(),
  serviceType: fc.constantFrom(ServiceType.CLUSTER_IP, ServiceType.NODE_PORT, ServiceType.LOAD_BALANCER),
  scaling: fc.oneof(
    fc.record({ replicas: fc.integer({ min: 0, max: 4 }) }),
    fc.record({ min: fc.integer({ min: 1, max: 3 }), extra: fc.integer({ min: 0, max: 3 }), cpu: fc.integer({ min: 1, max: 100 }) }),
  ),
  restartPolicy: fc.constantFrom(RestartPolicy.ALWAYS, RestartPolicy.ALWAYS, RestartPolicy.ON_FAILURE, RestartPolicy.NEVER),
  volumes: fc.array(
    fc.record({ scratch: fc.boolean(), size: fc.constantFrom(undefined, '500Mi', '2Gi', '10G', '1.5Gi'), readOnly: fc.boolean() }),
    { maxLength: 2 },
  ),
  probes: fc.array(fc.constantFrom('http', 'tcp', 'grpc', 'command', 'none'), { minLength: 3, maxLength: 3 }),
  deps: fc.array(fc.nat(), { maxLength: 3 }),
  configFiles: fc.nat({ max: 2 }),
  secretFiles: fc.nat({ max: 2 }),
  env: fc.array(fc.constantFrom('value', 'secret', 'config'), { maxLength: 3 }),
  sidecar: fc.boolean(),
  metrics: fc.boolean(),
  readOnlyRoot: fc.boolean(),
  user: fc.constantFrom(undefined, 1000, 65534),
  routed: fc.boolean(),
  stopSignal: fc.option(fc.constantFrom('SIGINT', 'SIGQUIT'), { nil: undefined }),
  stopGracePeriodSeconds: fc.option(fc.integer({ min: 0, max: 600 }), { nil: undefined }),
});

const appSpec = fc.record({
  app: name,
  namespace: fc.option(name, { nil: undefined }),
  services: fc.uniqueArray(fc.tuple(name, serviceSpec), { minLength: 1, maxLength: 6, selector: ([n]) => n }),
  host: fc.option(fc.constantFrom('shop.example.com', 'api.local'), { nil: undefined }),
});

type AppSpec = typeof appSpec extends fc.Arbitrary<infer T> ? T : never;

function probe(kind: string, ports: number[], i: number): Probe | undefined {
  const port = ports.length > 0 ? ports[i % ports.length] : undefined;
  if (kind === 'command') return Probe.command(['true'], { periodSeconds: 1 + i });
  if (port === undefined || kind === 'none') return undefined;
  if (kind === 'http') return Probe.http('/healthz', { port, initialDelaySeconds: i });
  if (kind === 'tcp') return Probe.tcp({ port });
  return Probe.grpc({ port, failureThreshold: 1 + i });
}

function buildApp(spec: AppSpec): Application {
  const app = new Application(spec.app, { namespace: spec.namespace, config: { LOG_LEVEL: 'info' } });
  const built: Microservice[] = [];
  let published = 0;
  spec.services.forEach(([svcName, s], i) => {
    const ported = built.filter((b) => (b.props.ports ?? []).length > 0);
    const deps = [...new Set(s.deps.filter(() => ported.length > 0).map((d) => ported[d % ported.length]))];
    const autoscaled = 'min' in s.scaling && s.restartPolicy === RestartPolicy.ALWAYS;
    const sidecarPort = [15001, 15002, 15003].find((p) => !s.ports.includes(p))!;
    const props: MicroserviceProps = {
      image: IMAGE,
      name: svcName,
      ports: s.ports.map((port, j) => ({
        port,
        protocol: s.udp && j === 1 ? Protocol.UDP : Protocol.TCP,
        // NodePort's range; unique across the application.
        publish: s.publish ? 30000 + published++ : undefined,
      })),
      serviceType: s.ports.length > 0 ? s.serviceType : undefined,
      replicas: autoscaled ? undefined : 'replicas' in s.scaling ? s.scaling.replicas : 1,
      autoscaling:
        autoscaled && 'min' in s.scaling
          ? { minReplicas: s.scaling.min, maxReplicas: s.scaling.min + s.scaling.extra, targetCpuPercent: s.scaling.cpu }
          : undefined,
      restartPolicy: s.restartPolicy,
      dependsOn: deps,
      volumes: s.volumes.map((v, j) => ({
        name: `v${i}-${j}`,
        mountPath: `/data/${j}`,
        scratch: v.scratch,
        size: v.scratch ? undefined : v.size,
        readOnly: v.readOnly,
      })),
      livenessProbe: probe(s.probes[0], s.ports, 0),
      readinessProbe: probe(s.probes[1], s.ports, 1),
      startupProbe: probe(s.probes[2], s.ports, 2),
      configFiles: Array.from({ length: s.configFiles }, (_, j) => ({ mountPath: `/etc/app/${j}.conf`, content: `n=${j}\n` })),
      secretFiles: Array.from({ length: s.secretFiles }, (_, j) => ({
        secretName: j ? 'tls.example.com' : 'db',
        key: j ? 'tls.crt' : 'password',
        mountPath: `/run/secrets/${j}`,
      })),
      env: Object.fromEntries(
        s.env.map((kind, j) => [
          `VAR_${j}`,
          kind === 'secret'
            ? EnvValue.fromSecret('db', 'password')
            : kind === 'config'
              ? EnvValue.fromConfig('LOG_LEVEL')
              : EnvValue.fromValue(`v${j}`),
        ]),
      ),
      sidecars: s.sidecar
        ? [{ name: 'proxy', image: Image.fromRegistry('envoyproxy/envoy:v1.31.2'), ports: [{ port: sidecarPort, name: 'proxy' }] }]
        : [],
      metrics: s.metrics && s.ports.length > 0 ? { port: s.ports[s.ports.length - 1] } : undefined,
      security: { readOnlyRootFilesystem: s.readOnlyRoot, user: s.user },
      stopSignal: s.stopSignal,
      stopGracePeriodSeconds: s.stopGracePeriodSeconds,
    };
    built.push(new Microservice(app, `s${i}`, props));
  });
  const routed = built.filter((b, i) => (b.props.ports ?? []).length > 0 && spec.services[i][1].routed);
  if (routed.length > 0) new Gateway(app, 'gateway', { host: spec.host, routes: routed.map((b, i) => ({ path: `/r${i}`, service: b })) });
  return app;
}

/** Tasks without ports are Jobs; services that may run more than one replica and keep data get a volume per replica. */
function expectedKind(svc: ResolvedService): string {
  if (svc.restartPolicy !== RestartPolicy.ALWAYS && svc.ports.length === 0) return 'Job';
  const persistent = svc.volumes.some((v) => !v.scratch);
  return persistent && (svc.autoscaling?.maxReplicas ?? svc.replicas) > 1 ? 'StatefulSet' : 'Deployment';
}

const byKind = (objects: K8sObject[], kind: string) => new Map(objects.filter((o) => o.kind === kind).map((o) => [o.metadata.name, o]));

describe('random valid applications', () => {
  test('always synthesize schema-valid objects that keep the backend invariants', () => {
    fc.assert(
      fc.property(appSpec, (spec) => {
        const app = buildApp(spec);
        const model = app.resolve();
        const { objects, chart } = synth(app); // validates every object
        expect(JSON.stringify(objects)).not.toContain('cdk8s.io/metadata.addr');
        const services = byKind(objects, 'Service');
        const workloads = new Map([...byKind(objects, 'Deployment'), ...byKind(objects, 'StatefulSet'), ...byKind(objects, 'Job')]);
        expect(workloads.size).toBe(model.services.length);
        for (const svc of model.services) {
          const w = workloads.get(svc.name)!;
          expect(w.spec.template.metadata.labels).toEqual(expect.objectContaining(svc.selectorLabels));
          expect(w.metadata.namespace).toBe(spec.namespace);
          expect(w.kind).toBe(expectedKind(svc));
          if (svc.ports.length > 0) expect(services.get(svc.name)?.spec.selector).toEqual(svc.selectorLabels);
          else expect(services.has(svc.name)).toBe(false);
          if (w.kind !== 'Job') expect(w.spec.replicas).toBe(svc.autoscaling ? undefined : svc.replicas);
          const init = (w.spec.template.spec.initContainers ?? []).map((c: any) => c.name);
          expect(init).toEqual(svc.dependencies.map((d) => `wait-for-${d.service}`));
          const main = w.spec.template.spec.containers[0];
          expect(main.name).toBe(svc.name);
          expect(main.env?.map((e: any) => e.name) ?? []).toEqual(svc.env.map((e) => e.name));
          for (const field of ['livenessProbe', 'readinessProbe', 'startupProbe'] as const) expect(!!main[field]).toBe(!!svc[field]);
          expect(w.spec.template.spec.terminationGracePeriodSeconds).toBe(svc.stopGracePeriodSeconds ?? 30);
        }
        const signalled = model.services.filter((s) => s.stopSignal).map((s) => s.name);
        expect(chart.diagnostics.filter((d) => d.field === 'stopSignal').map((d) => d.service)).toEqual(signalled);
        expect(byKind(objects, 'HorizontalPodAutoscaler').size).toBe(model.services.filter((s) => s.autoscaling).length);
        expect(byKind(objects, 'Ingress').size).toBe(model.gateway ? 1 : 0);
      }),
      { numRuns: 100 },
    );
  });
});

test('the generator reaches every kind and probe the backend renders', () => {
  const seen = new Set<string>();
  for (const spec of fc.sample(appSpec, { numRuns: 100, seed: 42 })) {
    const { objects } = synth(buildApp(spec));
    for (const o of objects) seen.add(o.kind);
    const text = JSON.stringify(objects);
    for (const marker of [
      '"grpc"',
      '"httpGet"',
      '"tcpSocket"',
      '"exec"',
      'volumeClaimTemplates',
      'NodePort',
      'LoadBalancer',
      '"UDP"',
      'secretKeyRef',
      'configMapKeyRef',
    ]) {
      if (text.includes(marker)) seen.add(marker);
    }
  }
  expect([...seen].sort()).toEqual(
    [
      '"UDP"',
      '"exec"',
      '"grpc"',
      '"httpGet"',
      '"tcpSocket"',
      'ConfigMap',
      'Deployment',
      'HorizontalPodAutoscaler',
      'Ingress',
      'Job',
      'LoadBalancer',
      'Namespace',
      'NetworkPolicy',
      'NodePort',
      'PersistentVolumeClaim',
      'Service',
      'ServiceAccount',
      'StatefulSet',
      'configMapKeyRef',
      'secretKeyRef',
      'volumeClaimTemplates',
    ].sort(),
  );
});
