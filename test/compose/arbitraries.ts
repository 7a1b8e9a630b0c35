/*
 * Random valid applications for property tests: services with ports, a dependency DAG, replicas or autoscaling,
 * volumes, probes, environment (plain, config, secret), config and secret files, sidecars, stop settings and a gateway.
 */
import * as fc from 'fast-check';
import {
  Application,
  Cpu,
  DependencyCondition,
  EnvValue,
  Gateway,
  Image,
  Memory,
  Microservice,
  PodSecurityLevel,
  Probe,
  Protocol,
  RestartPolicy,
} from '../../lib/model';
import { IMAGE } from '../model/helpers';

interface ServiceSpec {
  readonly ports: Array<{ readonly port: number; readonly udp: boolean }>;
  readonly publish: boolean;
  readonly replicas: number;
  readonly autoscale: boolean;
  readonly deps: Array<{ readonly on: number; readonly started: boolean }>;
  readonly volumes: Array<{ readonly scratch: boolean; readonly readOnly: boolean }>;
  readonly probe: 'none' | 'http' | 'tcp' | 'command';
  readonly timing: {
    readonly initialDelaySeconds: number;
    readonly periodSeconds: number;
    readonly timeoutSeconds: number;
    readonly failureThreshold: number;
  };
  readonly env: Array<{ readonly value: string; readonly kind: 'value' | 'config' | 'secret' }>;
  readonly configFile?: string;
  readonly secretFile: boolean;
  readonly sidecar: boolean;
  readonly restart: RestartPolicy;
  readonly readOnlyRoot: boolean;
  readonly capAdd: string[];
  readonly user: number;
  readonly cpuMillis: number;
  readonly memoryMiB: number;
  readonly routed: boolean;
  readonly stopSignal?: string;
  readonly stopGracePeriodSeconds?: number;
}

export interface AppSpec {
  readonly services: ServiceSpec[];
  readonly gateway: boolean;
  readonly logging: 'json-file' | 'local';
}

/** Strings that YAML 1.1 or compose interpolation would misread if written carelessly. */
const tricky = fc.oneof(
  fc.string(),
  fc.constantFrom('no', 'on', 'y', '1:30', '0755', '${X}', '$$', '$HOME', 'a: b', '- x', '#x', '', ' lead', 'multi\nline'),
);

const service: fc.Arbitrary<ServiceSpec> = fc.record({
  // Service ports stay below the sidecar's (65000) so they never clash in the shared namespace.
  ports: fc.uniqueArray(fc.record({ port: fc.integer({ min: 1, max: 60000 }), udp: fc.boolean() }), {
    maxLength: 3,
    selector: (p) => p.port,
  }),
  publish: fc.boolean(),
  replicas: fc.integer({ min: 0, max: 3 }),
  autoscale: fc.boolean(),
  deps: fc.array(fc.record({ on: fc.nat(), started: fc.boolean() }), { maxLength: 3 }),
  volumes: fc.array(fc.record({ scratch: fc.boolean(), readOnly: fc.boolean() }), { maxLength: 2 }),
  probe: fc.constantFrom('none' as const, 'http' as const, 'tcp' as const, 'command' as const),
  timing: fc.record({
    initialDelaySeconds: fc.integer({ min: 0, max: 30 }),
    periodSeconds: fc.integer({ min: 1, max: 60 }),
    timeoutSeconds: fc.integer({ min: 1, max: 10 }),
    failureThreshold: fc.integer({ min: 1, max: 10 }),
  }),
  env: fc.array(fc.record({ value: tricky, kind: fc.constantFrom('value' as const, 'config' as const, 'secret' as const) }), {
    maxLength: 3,
  }),
  configFile: fc.option(tricky, { nil: undefined }),
  secretFile: fc.boolean(),
  sidecar: fc.boolean(),
  restart: fc.constantFrom(RestartPolicy.ALWAYS, RestartPolicy.ON_FAILURE, RestartPolicy.NEVER),
  readOnlyRoot: fc.boolean(),
  capAdd: fc.subarray(['NET_BIND_SERVICE', 'CHOWN']),
  user: fc.integer({ min: 1, max: 65534 }),
  cpuMillis: fc.integer({ min: 10, max: 4000 }),
  memoryMiB: fc.integer({ min: 16, max: 4096 }),
  routed: fc.boolean(),
  stopSignal: fc.option(fc.constantFrom('SIGINT', 'SIGQUIT', 'SIGUSR1'), { nil: undefined }),
  stopGracePeriodSeconds: fc.option(fc.integer({ min: 0, max: 600 }), { nil: undefined }),
});

export const appSpec: fc.Arbitrary<AppSpec> = fc.record({
  services: fc.array(service, { minLength: 1, maxLength: 5 }),
  gateway: fc.boolean(),
  logging: fc.constantFrom('json-file' as const, 'local' as const),
});

/** The application a spec describes; every choice is made valid (e.g. no published port on replicas). */
export function buildApp(spec: AppSpec): Application {
  const app = new Application('prop', { config: { SETTING: 'config value $x' }, logging: { driver: spec.logging } });
  const built: Microservice[] = [];
  const hasProbe: boolean[] = [];
  spec.services.forEach((s, i) => {
    const name = `s${i}`;
    const replicas = s.autoscale ? Math.max(1, s.replicas) : s.replicas;
    const single = replicas <= 1;
    const probe = s.ports.length === 0 && (s.probe === 'http' || s.probe === 'tcp') ? 'command' : s.probe;
    const ms = new Microservice(app, name, {
      image: IMAGE,
      ports: s.ports.map((p, j) => ({
        port: p.port,
        protocol: p.udp ? Protocol.UDP : Protocol.TCP,
        publish: s.publish && single ? 30000 + i * 10 + j : undefined,
      })),
      ...(s.autoscale ? { autoscaling: { minReplicas: replicas, maxReplicas: replicas + 2 } } : { replicas, restartPolicy: s.restart }),
      volumes: s.volumes.map((v, k) => ({ name: `${name}-v${k}`, mountPath: `/data/v${k}`, scratch: v.scratch, readOnly: v.readOnly })),
      readinessProbe:
        probe === 'http'
          ? Probe.http('/ready', s.timing)
          : probe === 'tcp'
            ? Probe.tcp(s.timing)
            : probe === 'command'
              ? Probe.command(['check', '--$flag'], s.timing)
              : undefined,
      env: Object.fromEntries(
        s.env.map((e, k) => [
          `VAR_${k}`,
          e.kind === 'secret'
            ? EnvValue.fromSecret(`sec-${i}`, `k${k}`)
            : e.kind === 'config'
              ? EnvValue.fromConfig('SETTING')
              : EnvValue.fromValue(e.value),
        ]),
      ),
      configFiles: s.configFile === undefined ? [] : [{ mountPath: `/etc/${name}/app.conf`, content: s.configFile }],
      secretFiles: s.secretFile ? [{ secretName: `sec-${i}`, key: 'file', mountPath: `/run/${name}/secret` }] : [],
      sidecars: s.sidecar
        ? [
            {
              name: 'side',
              image: Image.fromRegistry('envoyproxy/envoy:v1.31.2'),
              ports: [{ port: 65000, publish: single && s.publish ? 40000 + i : undefined }],
            },
          ]
        : [],
      security: {
        user: s.user,
        group: s.user,
        readOnlyRootFilesystem: s.readOnlyRoot,
        capabilitiesAdd: s.capAdd,
        breaksPodSecurity: s.capAdd.includes('CHOWN') ? PodSecurityLevel.RESTRICTED : undefined,
      },
      stopSignal: s.stopSignal,
      stopGracePeriodSeconds: s.stopGracePeriodSeconds,
      resources: {
        cpu: { limit: Cpu.millis(s.cpuMillis) },
        memory: { request: Memory.mebibytes(Math.min(128, s.memoryMiB)), limit: Memory.mebibytes(s.memoryMiB) },
      },
    });
    // Dependencies point backwards only (a DAG) and only at services with a port to connect to.
    const targets = [...new Set(s.deps.map((d) => (i === 0 ? -1 : d.on % i)))].filter((t) => t >= 0 && spec.services[t].ports.length > 0);
    for (const t of targets) {
      const started = s.deps.find((d) => d.on % i === t)!.started || !hasProbe[t];
      ms.addDependency(built[t], { condition: started ? DependencyCondition.STARTED : DependencyCondition.HEALTHY });
    }
    built.push(ms);
    hasProbe.push(probe !== 'none');
  });
  const routed = built.filter((_, i) => spec.services[i].routed && spec.services[i].ports.length > 0);
  if (spec.gateway && routed.length > 0) {
    new Gateway(app, 'gateway', { routes: routed.map((ms) => ({ path: `/${ms.node.id}`, service: ms })), publish: 8080 });
  }
  return app;
}
