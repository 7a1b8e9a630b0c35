/*
 * The baseline: what a user would write by hand with cdk8s-plus-27 for the same services — a Deployment and a
 * Service each, with the same containers (ports, env incl. dependency endpoints, probes, resources, security
 * context), dependency-wait init containers and volumes — then `app.synth()`.
 */
import { App, Chart, Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { ProbeSpec, ServiceSpec } from './spec';

export function synthRaw(specs: ServiceSpec[], outdir: string): void {
  const app = new App({ outdir });
  const chart = new Chart(app, 'bench', { namespace: 'bench' });
  const byName = new Map(specs.map((s) => [s.name, s]));
  for (const s of specs) {
    const labels = { 'app.kubernetes.io/name': s.name, 'app.kubernetes.io/part-of': 'bench' };
    const security = { ensureNonRoot: true, user: s.user, group: s.user };
    const deployment = new kplus.Deployment(chart, `${s.name}-deployment`, {
      metadata: { name: s.name, labels },
      podMetadata: { labels },
      replicas: s.replicas,
      securityContext: { ...security, fsGroup: s.user },
      automountServiceAccountToken: false,
      strategy: s.volumes.some((v) => !v.scratch) ? kplus.DeploymentStrategy.recreate() : undefined,
    });
    const containerSecurity: kplus.ContainerSecurityContextProps = {
      ...security,
      privileged: false,
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL' as kplus.Capability] },
    };
    for (const dep of s.dependsOn.map((d) => byName.get(d)!)) {
      deployment.addInitContainer({
        name: `wait-for-${dep.name}`,
        image: 'busybox:1.36.1',
        command: ['sh', '-c', `until nc -z ${dep.name} ${dep.ports[0].port}; do echo waiting for ${dep.name}; sleep 2; done`],
        resources: resources(10, 50, 16, 32),
        securityContext: containerSecurity,
      });
    }
    const container = deployment.addContainer({
      name: s.name,
      image: s.image,
      imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
      ports: s.ports.map((p) => ({ number: p.port, name: p.name })),
      envVariables: { ...plainEnv(s.env), ...dependencyEnv(s, byName) },
      readiness: probe(s.readiness),
      liveness: s.liveness && probe(s.liveness),
      resources: resources(100, 500, 128, 256),
      securityContext: containerSecurity,
    });
    container.mount('/tmp', kplus.Volume.fromEmptyDir(chart, `${s.name}-tmp`, 'tmp'));
    for (const v of s.volumes) {
      const volume = v.scratch
        ? kplus.Volume.fromEmptyDir(chart, `${s.name}-${v.name}`, v.name)
        : kplus.Volume.fromPersistentVolumeClaim(
            chart,
            `${s.name}-${v.name}`,
            new kplus.PersistentVolumeClaim(chart, `${s.name}-${v.name}-pvc`, {
              metadata: { name: v.name, labels },
              accessModes: [kplus.PersistentVolumeAccessMode.READ_WRITE_ONCE],
              storage: Size.gibibytes(parseInt(v.size ?? '1Gi', 10)),
            }),
          );
      container.mount(v.mountPath, volume);
    }
    deployment.exposeViaService({
      name: s.name,
      ports: s.ports.map((p) => ({ port: p.port, targetPort: p.port, name: p.name })),
    });
  }
  app.synth();
}

function resources(cpuRequest: number, cpuLimit: number, memRequest: number, memLimit: number): kplus.ContainerResources {
  return {
    cpu: { request: kplus.Cpu.millis(cpuRequest), limit: kplus.Cpu.millis(cpuLimit) },
    memory: { request: Size.mebibytes(memRequest), limit: Size.mebibytes(memLimit) },
  };
}

function plainEnv(env: Record<string, string>): Record<string, kplus.EnvValue> {
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, kplus.EnvValue.fromValue(v)]));
}

/** `<DEP>_HOST`, `<DEP>_PORT` and `<DEP>_URL` per dependency, as our model derives them. */
function dependencyEnv(s: ServiceSpec, byName: Map<string, ServiceSpec>): Record<string, kplus.EnvValue> {
  const env: Record<string, kplus.EnvValue> = {};
  for (const dep of s.dependsOn.map((d) => byName.get(d)!)) {
    const prefix = dep.name.toUpperCase().replace(/-/g, '_');
    const port = dep.ports[0];
    env[`${prefix}_HOST`] = kplus.EnvValue.fromValue(dep.name);
    env[`${prefix}_PORT`] = kplus.EnvValue.fromValue(String(port.port));
    const scheme = port.appProtocol ?? (port.name === 'http' ? 'http' : undefined);
    if (scheme) env[`${prefix}_URL`] = kplus.EnvValue.fromValue(`${scheme}://${dep.name}:${port.port}`);
  }
  return env;
}

function probe(p: ProbeSpec): kplus.Probe {
  const timing = { periodSeconds: Duration.seconds(p.periodSeconds), timeoutSeconds: Duration.seconds(3), failureThreshold: 3 };
  switch (p.kind) {
    case 'http':
      return kplus.Probe.fromHttpGet(p.path!, { ...timing, port: p.port });
    case 'tcp':
      return kplus.Probe.fromTcpSocket({ ...timing, port: p.port });
    default:
      return kplus.Probe.fromCommand(p.command!, timing);
  }
}
