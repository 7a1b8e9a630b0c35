/*
 * Every stack of stacks/, rendered by the Pulumi program (config `microservice-constructs:stack`) against mocks:
 * the recorded Docker resources against expectations computed from the resolved model.
 */
import * as path from 'path';
import * as pulumi from '@pulumi/pulumi';
import { FILES_LABEL } from '../../lib/docker';
import { EnvSource, ProbeKind, ResolvedApplication, ResolvedService } from '../../lib/model';
import { STACKS } from '../../stacks';
import {
  awaitedHealthyServices,
  expectedContainers,
  goDuration,
  providerCpus,
  expectedDependsOn,
  expectedNetworkMembers,
  gatewayName,
  networkName,
  replicaNames,
} from './expected';
import { installMocks, mockId, mockImageRef, Recorded, Rendering, renderStack, secretValue, T } from './harness';

const registered: Array<{ type: string; name: string; outputs: any }> = [];

beforeAll(async () => {
  await installMocks();
  // registerOutputs is protected; the spy sees what the component registers.
  const proto = pulumi.ComponentResource.prototype as any;
  const original = proto.registerOutputs;
  jest.spyOn(proto, 'registerOutputs').mockImplementation(function (this: any, outputs: any) {
    registered.push({ type: this.__pulumiType, name: this.__name, outputs });
    return original.call(this, outputs);
  });
  jest.spyOn(pulumi.log, 'warn').mockImplementation(async () => undefined);
});

const sorted = <T>(xs: Iterable<T>) => [...xs].sort();
const service = (model: ResolvedApplication, name: string) => model.services.find((s) => s.name === name)!;
/** The running container of `name`, failing clearly when it is missing. */
function container(r: Rendering, name: string): Recorded {
  const c = r.containers.get(name);
  if (!c) throw new Error(`no container ${name}; have ${[...r.containers.keys()].join(', ')}`);
  return c;
}
const labelsOf = (c: Recorded) => Object.fromEntries((c.inputs.labels ?? []).map((l: any) => [l.label, l.value]));
/** Secret-wrapped inputs arrive as RPC secrets; this reads their value. */
const reveal = (v: any) => (pulumi.runtime.isRpcSecret(v) ? pulumi.runtime.unwrapRpcSecret(v) : v);

describe.each(Object.keys(STACKS))('stack %s', (stack) => {
  let model: ResolvedApplication;
  let r: Rendering;
  beforeAll(async () => {
    ({ model, r } = await renderStack(stack));
  });

  test('runs one container per replica, per replica and sidecar, and the gateway', () => {
    const expected = expectedContainers(model);
    const replicas = model.services.reduce((n, s) => n + s.replicas * (1 + s.sidecars.length), 0);
    expect(r.containers.size).toBe(replicas + (model.gateway ? 1 : 0));
    expect(sorted(r.containers.keys())).toEqual(sorted(expected.map((c) => c.name)));
  });

  test('every child belongs to the component', () => {
    const [component, ...children] = r.records;
    expect(component).toMatchObject({ type: T.component, name: model.name, parentType: undefined });
    expect(children.length).toBeGreaterThan(0);
    for (const c of children) expect([c.name, c.parentType]).toEqual([c.name, T.component]);
  });

  test('one network per service, named <app>-<service>', () => {
    const own = r.ofType(T.network).filter((n) => n.inputs.name !== `${model.name}--edge`);
    expect(sorted(own.map((n) => n.inputs.name))).toEqual(sorted(model.services.map((s) => networkName(model, s.name))));
    // Own networks have no route out of the host; only the edge network has.
    for (const n of r.ofType(T.network))
      expect([n.inputs.name, n.inputs.internal]).toEqual([n.inputs.name, n.inputs.name !== `${model.name}--edge`]);
  });

  test('network membership equals the dependency graph exactly', () => {
    const actual = new Map<string, Set<string>>();
    for (const [name, c] of r.containers) {
      for (const n of c.inputs.networksAdvanced ?? []) {
        if (!actual.has(n.name)) actual.set(n.name, new Set());
        actual.get(n.name)!.add(name);
      }
    }
    const expected = expectedNetworkMembers(model);
    for (const [network, members] of expected) expect([network, sorted(actual.get(network) ?? [])]).toEqual([network, sorted(members)]);
    expect(sorted(actual.keys())).toEqual(sorted([...expected.keys()].filter((n) => expected.get(n)!.size > 0)));
  });

  test('replicas share the service name as alias on their own network only', () => {
    for (const s of model.services) {
      for (const name of replicaNames(model, s)) {
        for (const n of container(r, name).inputs.networksAdvanced) {
          expect([name, n.name, n.aliases ?? []]).toEqual([name, n.name, n.name === networkName(model, s.name) ? [s.name] : []]);
        }
      }
    }
  });

  test('sidecars share their replica network namespace and expose nothing', () => {
    for (const c of expectedContainers(model).filter((x) => x.role === 'sidecar')) {
      const rec = container(r, c.name);
      const replicaPulumiName = container(r, c.replicaOf!).name;
      expect(rec.inputs.networkMode).toBe(`container:${mockId(replicaPulumiName)}`);
      expect(rec.inputs.networksAdvanced ?? []).toEqual([]);
      expect(rec.inputs.ports ?? []).toEqual([]);
    }
  });

  test('ports: only those the model publishes, on 127.0.0.1; the provider would publish any other on a random host port', () => {
    // @pulumi/docker ContainerPort.external: "If not given a free random port >= 32768 will be used".
    for (const s of model.services) {
      const expected = [...s.ports, ...s.sidecars.flatMap((sc) => sc.ports)]
        .filter((p) => p.publish !== undefined)
        .map((p) => ({ internal: p.port, external: p.publish, ip: '127.0.0.1', protocol: p.protocol.toLowerCase() }));
      for (const name of replicaNames(model, s)) expect([name, container(r, name).inputs.ports ?? []]).toEqual([name, expected]);
    }
    if (model.gateway)
      expect(container(r, gatewayName(model)!).inputs.ports).toEqual([
        { internal: model.gateway.listenPort, external: model.gateway.publish, ip: '127.0.0.1', protocol: 'tcp' },
      ]);
    for (const c of r.ofType(T.container))
      expect([c.inputs.name, (c.inputs.ports ?? []).filter((p: any) => p.external === undefined)]).toEqual([c.inputs.name, []]);
  });

  test('dependsOn edges follow the dependencies, plus the seed that brings the files', () => {
    const expected = expectedDependsOn(model);
    for (const [name, deps] of expected) {
      const rec = container(r, name);
      const actual = r.dockerDependencies(rec);
      const seeds = actual.filter((d) => r.seeds.has(d));
      expect([name, actual.filter((d) => !r.seeds.has(d))]).toEqual([name, deps]);
      expect([name, seeds]).toEqual([name, r.seeds.has(`${name}-files`) ? [`${name}-files`] : []]);
    }
  });

  test('containers that dependents wait for as healthy are awaited until healthy', () => {
    const awaited = awaitedHealthyServices(model);
    for (const c of expectedContainers(model)) {
      const rec = container(r, c.name);
      const waits = c.role === 'service' && awaited.has(c.service);
      expect([c.name, rec.inputs.wait ?? false]).toEqual([c.name, waits]);
      if (waits) {
        const h = service(model, c.service).healthcheck!;
        expect(rec.inputs.waitTimeout).toBeGreaterThanOrEqual(
          Math.max(60, h.initialDelaySeconds + (h.periodSeconds + h.timeoutSeconds) * h.failureThreshold),
        );
      } else {
        expect(rec.inputs.waitTimeout).toBeUndefined();
      }
    }
  });

  test('persistent volumes: one per replica, mounted where the model says', () => {
    const persistent = r.ofType(T.volume).filter((v) => !v.inputs.name.includes('-files-'));
    const expectedNames: string[] = [];
    for (const s of model.services) {
      replicaNames(model, s).forEach((name, i) => {
        const mounts = container(r, name).inputs.volumes ?? [];
        for (const v of s.volumes.filter((x) => !x.scratch)) {
          const volumeName = s.replicas > 1 ? `${model.name}-${v.name}-${i + 1}` : `${model.name}-${v.name}`;
          expectedNames.push(volumeName);
          expect(mounts).toContainEqual({ volumeName, containerPath: v.mountPath, readOnly: v.readOnly });
        }
      });
    }
    expect(sorted(persistent.map((v) => v.inputs.name))).toEqual(sorted(expectedNames));
  });

  test('tmpfs for scratch volumes and the writable paths of a read-only root', () => {
    for (const s of model.services) {
      const expected = [
        ...(s.security.readOnlyRootFilesystem ? s.security.writablePaths : []),
        ...s.volumes.filter((v) => v.scratch).map((v) => v.mountPath),
      ];
      for (const name of replicaNames(model, s))
        expect(sorted(Object.keys(container(r, name).inputs.tmpfs ?? {}))).toEqual(sorted(expected));
    }
  });

  test('health checks from the probes', () => {
    for (const s of model.services) {
      for (const name of replicaNames(model, s)) {
        const h = container(r, name).inputs.healthcheck;
        const p = s.healthcheck;
        if (!p) {
          expect(h).toBeUndefined();
          continue;
        }
        const test =
          p.kind === ProbeKind.COMMAND
            ? ['CMD', ...p.command!]
            : p.kind === ProbeKind.HTTP
              ? ['CMD', 'wget', '-q', '-O', '/dev/null', `http://127.0.0.1:${p.port}${p.path}`]
              : ['CMD', 'nc', '-z', '127.0.0.1', String(p.port)];
        expect(h).toEqual({
          tests: test,
          interval: goDuration(p.periodSeconds),
          timeout: goDuration(p.timeoutSeconds),
          retries: p.failureThreshold,
          startPeriod: goDuration(
            s.startupProbe
              ? s.startupProbe.initialDelaySeconds + s.startupProbe.periodSeconds * s.startupProbe.failureThreshold
              : p.initialDelaySeconds,
          ),
        });
      }
    }
  });

  test('limits (memorySwap explicit, cpus as the provider reads them back), restart, logging and the stop on delete', () => {
    for (const c of expectedContainers(model)) {
      const rec = container(r, c.name);
      const res =
        c.role === 'gateway'
          ? model.gateway!.resources
          : c.role === 'sidecar'
            ? service(model, c.service).sidecars.find((sc) => c.name.endsWith(`-${sc.name}`))!.resources
            : service(model, c.service).resources;
      expect([c.name, rec.inputs.memory, rec.inputs.memorySwap, rec.inputs.memoryReservation, rec.inputs.cpus]).toEqual([
        c.name,
        res.memoryLimitMiB,
        2 * res.memoryLimitMiB,
        res.memoryRequestMiB,
        providerCpus(res.cpuLimitMillis),
      ]);
      const grace = c.role === 'gateway' ? undefined : service(model, c.service).stopGracePeriodSeconds;
      expect([c.name, rec.inputs.destroyGraceSeconds]).toEqual([c.name, grace ?? 10]);
      expect(rec.inputs.restart).toBe('always');
      expect(rec.inputs.logDriver).toBe(model.logging.driver);
      expect(rec.inputs.logOpts).toEqual(model.logging.options);
    }
  });

  test('secure defaults: non-root user, read-only root, drop ALL, no-new-privileges', () => {
    for (const c of expectedContainers(model)) {
      const rec = container(r, c.name);
      const [uid, gid] = String(rec.inputs.user).split(':').map(Number);
      expect([c.name, uid > 0 && gid > 0]).toEqual([c.name, true]);
      expect([c.name, rec.inputs.readOnly]).toEqual([c.name, true]);
      expect([c.name, rec.inputs.capabilities.drops]).toEqual([c.name, ['ALL']]);
      expect([c.name, rec.inputs.securityOpts]).toEqual([c.name, ['no-new-privileges:true']]);
    }
    for (const s of model.services) {
      for (const name of replicaNames(model, s)) expect(container(r, name).inputs.user).toBe(`${s.security.user}:${s.security.group}`);
    }
  });

  test('environment: every variable, config values inlined, secrets from Pulumi config', () => {
    for (const s of model.services) {
      for (const name of replicaNames(model, s)) {
        const envs: string[] = reveal(container(r, name).inputs.envs);
        const expected = s.env.map(
          (v) => `${v.name}=${v.source === EnvSource.SECRET ? secretValue(v.secret!.configKey) : (v.value ?? '')}`,
        );
        expect(envs).toEqual(expected);
      }
    }
  });

  test('secrets stay secret: in the inputs and in the container outputs', async () => {
    for (const s of model.services) {
      const hasSecret = s.env.some((v) => v.source === EnvSource.SECRET);
      for (const name of replicaNames(model, s)) {
        const rec = container(r, name);
        expect([name, pulumi.runtime.isRpcSecret(rec.inputs.envs)]).toEqual([name, hasSecret]);
        const key = [...r.app.containers].find(([, c]) => (c as any).__name === rec.name)![0];
        expect([name, await pulumi.isSecret(r.app.containers.get(key)!.envs)]).toEqual([name, hasSecret]);
      }
    }
  });

  test('config and secret files reach read-only containers through a seed container and volumes', () => {
    for (const s of model.services) {
      const files = [
        ...s.configFiles.map((f) => ({ path: f.mountPath, content: f.content })),
        ...s.secretFiles.map((f) => ({ path: f.mountPath, content: secretValue(f.secret.configKey) })),
      ];
      for (const name of replicaNames(model, s)) {
        const seed = r.seeds.get(`${name}-files`);
        if (files.length === 0) {
          expect(seed).toBeUndefined();
          continue;
        }
        expect(seed).toBeDefined();
        expect(seed!.inputs).toMatchObject({ start: false, mustRun: false, networkMode: 'none', image: container(r, name).inputs.image });
        const uploads = reveal(seed!.inputs.uploads);
        expect(sorted(uploads.map((u: any) => `${u.file}=${u.content}`))).toEqual(sorted(files.map((f) => `${f.path}=${f.content}`)));
        expect(pulumi.runtime.isRpcSecret(seed!.inputs.uploads)).toBe(s.secretFiles.length > 0);
        const mounts = container(r, name).inputs.volumes ?? [];
        for (const f of files)
          expect(mounts).toContainEqual(expect.objectContaining({ containerPath: path.posix.dirname(f.path), readOnly: true }));
        for (const m of seed!.inputs.volumes) expect(mounts).toContainEqual({ ...m, readOnly: true });
        expect(labelsOf(container(r, name))[FILES_LABEL]).toBe(mockId(seed!.name));
        expect(container(r, name).inputs.uploads ?? []).toEqual([]);
      }
    }
  });

  test('the gateway gets its generated nginx configuration', () => {
    if (!model.gateway)
      return expect(r.seeds.size).toBe(
        model.services.filter((s) => s.configFiles.length + s.secretFiles.length > 0).reduce((n, s) => n + s.replicas, 0),
      );
    const seed = r.seeds.get(`${gatewayName(model)}-files`)!;
    const [upload] = seed.inputs.uploads;
    expect(upload.file).toBe('/etc/nginx/nginx.conf');
    for (const route of model.gateway.routes) expect(upload.content).toContain(`location ${route.path} {`);
    expect(seed.inputs.volumes).toEqual([{ volumeName: `${gatewayName(model)}-files-etc-nginx`, containerPath: '/etc/nginx' }]);
    expect(container(r, gatewayName(model)!).inputs.entrypoints).toEqual(['nginx', '-e', 'stderr', '-c', '/etc/nginx/nginx.conf']);
  });

  test('images: one resource per reference, Dockerfiles built locally, registry images pulled and kept', () => {
    const all = [
      ...model.services.flatMap((s) => [s.image, ...s.sidecars.map((sc) => sc.image)]),
      ...(model.gateway ? [{ reference: model.gateway.image }] : []),
    ];
    const refs = new Map(all.map((i) => [i.reference, i]));
    const built = r.ofType(T.image);
    const remote = r.ofType(T.remoteImage);
    expect(sorted([...built.map((b) => b.inputs.imageName), ...remote.map((b) => b.inputs.name)])).toEqual(sorted(refs.keys()));
    for (const b of built) {
      const build = refs.get(b.inputs.imageName)!.build!;
      // Relative to the project directory (where pulumi runs the program), so another checkout builds nothing.
      const context = path.relative(process.cwd(), build.context);
      expect(path.isAbsolute(context) || context.startsWith('..')).toBe(false);
      expect(b.inputs).toMatchObject({
        skipPush: true,
        build: { context, dockerfile: path.join(context, build.dockerfile), platform: 'linux/amd64' },
      });
    }
    for (const i of remote) expect(i.inputs).toMatchObject({ keepLocally: true, platform: 'linux/amd64' });
    for (const s of model.services)
      for (const name of replicaNames(model, s)) expect(container(r, name).inputs.image).toBe(mockImageRef(s.image.reference));
  });

  test('labels: the model labels and the Prometheus scrape labels of metrics endpoints', () => {
    for (const s of model.services) {
      for (const name of replicaNames(model, s)) {
        const labels = labelsOf(container(r, name));
        expect(labels).toMatchObject(s.labels);
        if (s.metrics)
          expect(labels).toMatchObject({
            'prometheus.io/scrape': 'true',
            'prometheus.io/port': String(s.metrics.port),
            'prometheus.io/path': s.metrics.path,
          });
        else expect(labels['prometheus.io/scrape']).toBeUndefined();
      }
    }
  });

  test('registers each service container names, published URLs and network names', () => {
    const [outputs, ...more] = registered.filter((x) => x.type === T.component && x.name === model.name).map((x) => x.outputs);
    expect(more).toEqual([]);
    const members = expectedNetworkMembers(model);
    const expected: Record<string, unknown> = {};
    for (const c of expectedContainers(model)) {
      const publishes =
        c.role === 'gateway'
          ? [model.gateway!.publish]
          : c.role === 'service'
            ? [...service(model, c.service).ports, ...service(model, c.service).sidecars.flatMap((sc) => sc.ports)].flatMap((p) =>
                p.publish ? [p.publish] : [],
              )
            : [];
      const e = (expected[c.service] ??= { containers: [], urls: [], networks: [] }) as {
        containers: string[];
        urls: string[];
        networks: string[];
      };
      e.containers.push(c.name);
      for (const p of publishes) if (!e.urls.includes(`http://127.0.0.1:${p}`)) e.urls.push(`http://127.0.0.1:${p}`);
      for (const [network, m] of members) if (m.has(c.name) && !e.networks.includes(network)) e.networks.push(network);
    }
    expect(Object.keys(outputs.services).sort()).toEqual(Object.keys(expected).sort());
    for (const [name, e] of Object.entries(expected) as Array<[string, { containers: string[]; urls: string[]; networks: string[] }]>) {
      expect([
        name,
        sorted(outputs.services[name].containers),
        sorted(outputs.services[name].urls),
        sorted(outputs.services[name].networks),
      ]).toEqual([name, sorted(e.containers), sorted(e.urls), sorted(e.networks)]);
    }
  });
});

test('every stack has a service with a health check that a dependent waits for, so the wait tests bite', () => {
  const stacksWithWaits = Object.keys(STACKS).filter((s) => awaitedHealthyServices(STACKS[s]().resolve()).size > 0);
  expect(stacksWithWaits.length).toBeGreaterThan(0);
});

test('the shop exercises sidecars, secrets, config files and replicated services', () => {
  const shop: ResolvedService[] = STACKS.shop().resolve().services;
  expect(shop.some((s) => s.sidecars.length > 0)).toBe(true);
  expect(shop.some((s) => s.secretFiles.length > 0)).toBe(true);
  expect(shop.some((s) => s.configFiles.length > 0)).toBe(true);
  expect(shop.some((s) => s.replicas > 1 && s.configFiles.length > 0)).toBe(true);
});
