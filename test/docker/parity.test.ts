/*
 * Parity of the Pulumi Docker rendering with the other two, for every stack:
 * - compose: each Pulumi container matches its compose service field by field. The compose file is what the
 *   e2e tests prove on a real engine, so this carries that proof over to `pulumi up`.
 * - Kubernetes: both agree on service names, ports, env keys, volumes, replicas and dependencies.
 */
import * as path from 'path';
import * as pulumi from '@pulumi/pulumi';
import * as cdk8s from 'cdk8s';
import { ComposeFile, ComposeService, toCompose } from '../../lib/compose';
import { FILES_LABEL } from '../../lib/docker';
import { ApplicationChart } from '../../lib/k8s';
import { EnvSource, ResolvedApplication } from '../../lib/model';
import { STACKS } from '../../stacks';
import { goDuration } from './expected';
import { installMocks, mockId, mockImageRef, Recorded, Rendering, renderStack, secretValue, T } from './harness';

const ROOT = path.join(__dirname, '..', '..');

beforeAll(async () => {
  await installMocks();
  jest.spyOn(pulumi.log, 'warn').mockImplementation(async () => undefined);
});

const sorted = <T>(xs: Iterable<T>) => [...xs].sort();
const reveal = (v: any) => (pulumi.runtime.isRpcSecret(v) ? pulumi.runtime.unwrapRpcSecret(v) : v);
/** A compose string as the container sees it (`$$` is compose's escaped `$`). */
const unescape = (s: string) => s.replace(/\$\$/g, '$');
const labelsOf = (c: Recorded) => Object.fromEntries((c.inputs.labels ?? []).map((l: any) => [l.label, l.value]));

describe.each(Object.keys(STACKS))('stack %s: Pulumi containers match the compose services', (stack) => {
  let model: ResolvedApplication;
  let r: Rendering;
  let compose: ComposeFile;
  let services: Array<[string, ComposeService]>;
  beforeAll(async () => {
    ({ model, r } = await renderStack(stack));
    compose = toCompose(STACKS[stack](), { projectDir: ROOT }).file;
    services = Object.entries(compose.services);
  });
  const docker = (s: ComposeService) => {
    const c = r.containers.get(s.container_name);
    if (!c) throw new Error(`no Pulumi container ${s.container_name}`);
    return c;
  };
  const imageOf = (reference: string) =>
    [...r.ofType(T.image), ...r.ofType(T.remoteImage)].find((i) => (i.inputs.imageName ?? i.inputs.name) === reference);
  const keyToName = () => new Map(services.map(([key, s]) => [key, s.container_name]));

  test('the same containers', () => {
    expect(sorted(services.map(([, s]) => s.container_name))).toEqual(sorted(r.containers.keys()));
  });

  test('image, build, entrypoint and command', () => {
    for (const [, s] of services) {
      const c = docker(s);
      expect([s.container_name, c.inputs.image]).toEqual([s.container_name, mockImageRef(s.image)]);
      const image = imageOf(s.image)!;
      if (s.build) {
        expect(image.type).toBe(T.image);
        // Pulumi records the context relative to the project directory (the jest root here), compose to its file.
        const context = path.relative(ROOT, path.resolve(ROOT, s.build.context));
        expect(image.inputs.build.context).toBe(context);
        expect(image.inputs.build.dockerfile).toBe(path.join(context, s.build.dockerfile));
        expect(image.inputs.build.args ?? {}).toEqual(s.build.args ?? {});
        expect(image.inputs.build.target).toEqual(s.build.target);
      } else {
        expect(image.type).toBe(T.remoteImage);
      }
      expect([s.container_name, c.inputs.entrypoints, c.inputs.command]).toEqual([s.container_name, s.entrypoint, s.command]);
    }
  });

  test('environment: the same variables and values; secrets from Pulumi config where compose interpolates', () => {
    const secretVars = new Map(
      model.services
        .flatMap((x) => [...x.env, ...x.sidecars.flatMap((sc) => sc.env)])
        .filter((v) => v.source === EnvSource.SECRET)
        .map((v) => [`\${${v.secret!.variable}}`, secretValue(v.secret!.configKey)]),
    );
    for (const [, s] of services) {
      const expected = Object.entries(s.environment ?? {}).map(([k, v]) => `${k}=${secretVars.get(v) ?? unescape(v)}`);
      expect([s.container_name, reveal(docker(s).inputs.envs) ?? []]).toEqual([s.container_name, expected]);
    }
  });

  test('ports: the published ones alike; compose `expose` has no Pulumi counterpart', () => {
    // Compose `expose` publishes nothing, but a @pulumi/docker port without `external` is published on a random
    // host port (ContainerPort.external). Containers on a shared network reach every port without either.
    for (const [, s] of services) {
      const ports = (docker(s).inputs.ports ?? []) as Array<{ internal: number; external?: number; ip: string; protocol: string }>;
      expect([s.container_name, ports.map((p) => `${p.ip}:${p.external}:${p.internal}/${p.protocol}`)]).toEqual([
        s.container_name,
        s.ports ?? [],
      ]);
    }
  });

  test('networks and aliases, or the shared network namespace', () => {
    const names = keyToName();
    for (const [, s] of services) {
      const c = docker(s);
      const networks = Object.entries(s.networks ?? {}).map(([key, n]) => ({
        name: compose.networks![key].name,
        aliases: n.aliases ?? [],
      }));
      expect([s.container_name, (c.inputs.networksAdvanced ?? []).map((n: any) => ({ name: n.name, aliases: n.aliases ?? [] }))]).toEqual([
        s.container_name,
        networks,
      ]);
      const owner = s.network_mode && names.get(s.network_mode.replace(/^service:/, ''))!;
      expect([s.container_name, c.inputs.networkMode]).toEqual([
        s.container_name,
        owner && `container:${mockId(r.containers.get(owner)!.name)}`,
      ]);
    }
  });

  test('named volumes, tmpfs, and the files compose bind-mounts or passes as secrets', () => {
    for (const [, s] of services) {
      const c = docker(s);
      const named = (s.volumes ?? [])
        .filter((v) => !v.startsWith('.'))
        .map((v) => {
          const [key, target, ro] = v.split(':');
          return { volumeName: compose.volumes![key].name, containerPath: target, readOnly: ro === 'ro' };
        });
      const persistent = (c.inputs.volumes ?? []).filter((v: any) => !v.volumeName.startsWith(`${s.container_name}-files-`));
      expect([s.container_name, persistent]).toEqual([s.container_name, named]);
      expect([s.container_name, sorted(Object.keys(c.inputs.tmpfs ?? {}))]).toEqual([s.container_name, sorted(s.tmpfs ?? [])]);
      const composeFiles = [
        ...(s.volumes ?? []).filter((v) => v.startsWith('.')).map((v) => v.split(':')[1]),
        ...(s.secrets ?? []).map((x) => x.target),
      ];
      const seed = r.seeds.get(`${s.container_name}-files`);
      const uploaded = [...(reveal(c.inputs.uploads) ?? []), ...(seed ? reveal(seed.inputs.uploads) : [])].map((u: any) => u.file);
      expect([s.container_name, sorted(uploaded)]).toEqual([s.container_name, sorted(composeFiles)]);
    }
  });

  test('user, read-only root, capabilities and security options', () => {
    for (const [, s] of services) {
      const c = docker(s).inputs;
      expect([s.container_name, c.user, c.readOnly, c.capabilities.drops ?? [], c.capabilities.adds ?? [], c.securityOpts ?? []]).toEqual([
        s.container_name,
        s.user,
        s.read_only,
        s.cap_drop ?? [],
        s.cap_add ?? [],
        s.security_opt ?? [],
      ]);
    }
  });

  test('health check', () => {
    for (const [, s] of services) {
      const h = docker(s).inputs.healthcheck;
      // The same durations; Pulumi's in Go's format, as the provider reads them back.
      const go = (d: string) => goDuration(Number(d.replace(/s$/, '')));
      const expected = s.healthcheck && {
        tests: s.healthcheck.test.map(unescape),
        interval: go(s.healthcheck.interval),
        timeout: go(s.healthcheck.timeout),
        retries: s.healthcheck.retries,
        startPeriod: go(s.healthcheck.start_period),
      };
      expect([s.container_name, h]).toEqual([s.container_name, expected]);
    }
  });

  test('stop signal and grace period', () => {
    for (const [, s] of services) {
      const c = docker(s);
      const grace = s.stop_grace_period === undefined ? undefined : Number(s.stop_grace_period.replace(/s$/, ''));
      expect([s.container_name, c.inputs.stopSignal, c.inputs.stopTimeout]).toEqual([s.container_name, s.stop_signal, grace]);
      // `docker-compose down` and a replacement wait stop_grace_period (else Docker's 10 s); so does the
      // provider's delete only with destroyGraceSeconds (unset: an explicit timeout of 0, i.e. SIGKILL).
      expect([s.container_name, c.inputs.destroyGraceSeconds]).toEqual([s.container_name, grace ?? 10]);
    }
  });

  test('restart, memory, cpus, labels and logging', () => {
    for (const [, s] of services) {
      const c = docker(s);
      const { limits, reservations } = s.deploy.resources;
      expect([s.container_name, c.inputs.restart, `${c.inputs.memory}M`, `${c.inputs.memoryReservation}M`, Number(c.inputs.cpus)]).toEqual([
        s.container_name,
        s.restart,
        limits.memory,
        reservations.memory,
        Number(limits.cpus),
      ]);
      // Compose leaves MemorySwap to Docker, which stores twice the limit: Pulumi sets the same explicitly.
      expect([s.container_name, c.inputs.memorySwap]).toEqual([s.container_name, 2 * c.inputs.memory]);
      const { [FILES_LABEL]: _seed, ...labels } = labelsOf(c);
      expect([s.container_name, labels]).toEqual([
        s.container_name,
        Object.fromEntries(Object.entries(s.labels ?? {}).map(([k, v]) => [k, unescape(v)])),
      ]);
      expect([s.container_name, c.inputs.logDriver, c.inputs.logOpts ?? {}]).toEqual([
        s.container_name,
        s.logging.driver,
        s.logging.options ?? {},
      ]);
    }
  });

  test('depends_on: the same order constraints, and healthy ones awaited', () => {
    const names = keyToName();
    for (const [, s] of services) {
      const deps = r.dockerDependencies(docker(s)).filter((d) => !r.seeds.has(d));
      expect([s.container_name, deps]).toEqual([s.container_name, sorted(Object.keys(s.depends_on ?? {}).map((k) => names.get(k)!))]);
      for (const [key, d] of Object.entries(s.depends_on ?? {})) {
        const dep = r.containers.get(names.get(key)!)!;
        if (d.condition === 'service_healthy') expect([dep.inputs.name, dep.inputs.wait]).toEqual([dep.inputs.name, true]);
      }
    }
  });
});

/** The parts of one service both Kubernetes and Docker renderings must agree on. */
interface ServiceView {
  replicas: number;
  ports: string[];
  envKeys: string[];
  sidecarEnvKeys: Record<string, string[]>;
  persistentMounts: string[];
  scratchMounts: string[];
  files: string[];
  dependencies: string[];
}

function kubernetesView(stack: string): Record<string, ServiceView> {
  const chart = new ApplicationChart(cdk8s.Testing.app(), 'parity', { application: STACKS[stack]() });
  const objects: any[] = cdk8s.Testing.synth(chart);
  const hpaMin = new Map(
    objects.filter((o) => o.kind === 'HorizontalPodAutoscaler').map((o) => [o.spec.scaleTargetRef.name, o.spec.minReplicas]),
  );
  const views: Record<string, ServiceView> = {};
  for (const w of objects.filter((o) => ['Deployment', 'StatefulSet', 'Job'].includes(o.kind))) {
    const name = w.metadata.name;
    const pod = w.kind === 'Job' ? w.spec.template.spec : w.spec.template.spec;
    const main = pod.containers.find((c: any) => c.name === name) ?? pod.containers[0];
    const volumes = new Map<string, any>((pod.volumes ?? []).map((v: any) => [v.name, v]));
    const claimTemplates = new Set((w.spec.volumeClaimTemplates ?? []).map((t: any) => t.metadata.name));
    const mounts = (main.volumeMounts ?? []) as Array<{ name: string; mountPath: string; subPath?: string }>;
    const kind = (m: { name: string }) => {
      const v = volumes.get(m.name);
      if (claimTemplates.has(m.name) || v?.persistentVolumeClaim) return 'persistent';
      if (v?.emptyDir) return 'scratch';
      return v?.configMap || v?.secret || v?.projected ? 'file' : 'other';
    };
    const fileMounts = mounts
      .filter((m) => kind(m) === 'file')
      .flatMap((m) => {
        const v = volumes.get(m.name);
        if (m.subPath) return [m.mountPath];
        const items = (v.configMap ?? v.secret)?.items ?? [];
        return items.map((i: any) => path.posix.join(m.mountPath, i.path));
      });
    views[name] = {
      replicas: w.spec.replicas ?? hpaMin.get(name) ?? 1,
      ports: pod.containers.flatMap((c: any) => (c.ports ?? []).map((p: any) => `${p.containerPort}/${p.protocol ?? 'TCP'}`)),
      envKeys: (main.env ?? []).map((e: any) => e.name),
      sidecarEnvKeys: Object.fromEntries(
        pod.containers.filter((c: any) => c !== main).map((c: any) => [c.name, (c.env ?? []).map((e: any) => e.name)]),
      ),
      persistentMounts: sorted(mounts.filter((m) => kind(m) === 'persistent').map((m) => m.mountPath)),
      scratchMounts: sorted(mounts.filter((m) => kind(m) === 'scratch').map((m) => m.mountPath)),
      files: sorted(fileMounts),
      // The init containers wait with `nc -z <host> <port>` for each dependency's Service.
      dependencies: sorted(
        (pod.initContainers ?? []).flatMap((c: any) => /nc -z (\S+) \d+/.exec((c.command ?? []).join(' '))?.slice(1, 2) ?? []),
      ),
    };
  }
  return views;
}

function dockerView(r: Rendering): Record<string, ServiceView> {
  const views: Record<string, ServiceView> = {};
  const serviceOf = (c: Recorded) => labelsOf(c)['app.kubernetes.io/name'];
  const running = [...r.containers.values()];
  for (const c of running.filter((x) => !x.inputs.networkMode && labelsOf(x)['app.kubernetes.io/component'] !== 'gateway')) {
    const name = serviceOf(c);
    const sidecars = running.filter((x) => x.inputs.networkMode === `container:${mockId(c.name)}`);
    const seed = r.seeds.get(`${c.inputs.name}-files`);
    const persistentVolumes = new Set(
      r
        .ofType(T.volume)
        .map((v) => v.inputs.name)
        .filter((v) => !v.includes('-files-')),
    );
    const view: ServiceView = {
      replicas: running.filter((x) => serviceOf(x) === name && !x.inputs.networkMode).length,
      // The ports the service serves on its networks: the plan's (the container inputs carry only published ones).
      ports: r.app.plan.containers.find((x) => x.containerName === c.inputs.name)!.ports.map((p) => `${p.port}/${p.protocol}`),
      envKeys: (reveal(c.inputs.envs) ?? []).map((e: string) => e.slice(0, e.indexOf('='))),
      sidecarEnvKeys: Object.fromEntries(
        sidecars.map((x) => [
          x.inputs.name.slice(c.inputs.name.length + 1),
          (reveal(x.inputs.envs) ?? []).map((e: string) => e.slice(0, e.indexOf('='))),
        ]),
      ),
      persistentMounts: sorted(
        (c.inputs.volumes ?? []).filter((v: any) => persistentVolumes.has(v.volumeName)).map((v: any) => v.containerPath),
      ),
      scratchMounts: sorted(Object.keys(c.inputs.tmpfs ?? {})),
      files: sorted([...(reveal(c.inputs.uploads) ?? []), ...(seed ? reveal(seed.inputs.uploads) : [])].map((u: any) => u.file)),
      dependencies: sorted(
        new Set(
          r
            .dockerDependencies(c)
            .filter((d) => !r.seeds.has(d))
            .map((d) => serviceOf(r.containers.get(d)!)),
        ),
      ),
    };
    const seen = views[name];
    if (seen) expect(view).toEqual({ ...seen, replicas: view.replicas });
    views[name] = view;
  }
  return views;
}

describe.each(Object.keys(STACKS))('stack %s: Kubernetes and Docker agree', (stack) => {
  let k8s: Record<string, ServiceView>;
  let dock: Record<string, ServiceView>;
  beforeAll(async () => {
    const { r } = await renderStack(stack);
    k8s = kubernetesView(stack);
    dock = dockerView(r);
  });

  test('service names', () => {
    expect(sorted(Object.keys(dock))).toEqual(sorted(Object.keys(k8s)));
  });

  test.each(['replicas', 'ports', 'envKeys', 'sidecarEnvKeys', 'persistentMounts', 'scratchMounts', 'files', 'dependencies'] as const)(
    '%s',
    (field) => {
      for (const name of Object.keys(k8s)) expect([name, dock[name]?.[field]]).toEqual([name, k8s[name][field]]);
    },
  );
});

test('the Kubernetes view of the shop is not empty where it matters, so the comparisons above bite', () => {
  const shop = Object.values(kubernetesView('shop'));
  expect(shop.some((v) => v.dependencies.length > 0)).toBe(true);
  expect(shop.some((v) => v.files.length > 0)).toBe(true);
  expect(shop.some((v) => Object.keys(v.sidecarEnvKeys).length > 0)).toBe(true);
  expect(shop.some((v) => v.persistentMounts.length > 0)).toBe(true);
  expect(shop.some((v) => v.replicas > 1)).toBe(true);
});
