/*
 * A stand-in for `pulumi up` (the Pulumi CLI and the Docker provider plugin cannot be installed here): the
 * container, network and volume inputs the Pulumi program registers, captured under mocks, are sent to the real
 * engine as the Docker Engine API calls that @pulumi/docker (terraform-provider-docker's docker_container,
 * docker_network, docker_volume) makes for them. Only the calls of this table are made; an input the table does
 * not know fails the judge, so a new input cannot slip through unjudged.
 *
 * | provider input (Container)     | Engine API (1.41)                                   | provider documentation / source        |
 * |--------------------------------|-----------------------------------------------------|----------------------------------------|
 * | name, image                    | POST /containers/create?name=  Image                | resourceDockerContainerCreate          |
 * | entrypoints, command           | Entrypoint, Cmd                                     |                                        |
 * | envs, user, labels             | Env, User, Labels                                   |                                        |
 * | ports {internal, external, ip} | ExposedPorts; HostConfig.PortBindings               | input.d.ts ContainerPort.external;     |
 * |                                | {HostIp, HostPort}; no `external`: HostPort "" =    | portSetToDockerPorts                   |
 * |                                | a random port >= 32768                              |                                        |
 * | healthcheck {tests, interval,  | Healthcheck {Test, Interval, Timeout, StartPeriod   |                                        |
 * | timeout, startPeriod, retries} | (ns, time.ParseDuration), Retries}                  |                                        |
 * | stopSignal, stopTimeout        | StopSignal, StopTimeout                             |                                        |
 * | tmpfs, readOnly                | HostConfig.Tmpfs, ReadonlyRootfs                    |                                        |
 * | capabilities, securityOpts     | HostConfig.CapDrop/CapAdd, SecurityOpt              |                                        |
 * | restart                        | HostConfig.RestartPolicy.Name                       |                                        |
 * | memory, memorySwap,            | HostConfig.Memory, MemorySwap, MemoryReservation    | container.d.ts memorySwap              |
 * | memoryReservation (MB)         | (x 1024 x 1024)                                     |                                        |
 * | cpus                           | HostConfig.NanoCpus (cpus x 1e9)                    | container.d.ts cpus                    |
 * | logDriver, logOpts             | HostConfig.LogConfig {Type, Config}                 |                                        |
 * | volumes {volumeName, containerPath, readOnly} | HostConfig.Binds `name:path[:ro]`    | volumeSetToDockerVolumes               |
 * | networkMode `container:<id>`   | HostConfig.NetworkMode                              |                                        |
 * | networksAdvanced {name, aliases} | POST /networks/bridge/disconnect, then POST /networks/{name}/connect {EndpointConfig.Aliases} | |
 * | uploads {file, content}        | PUT /containers/{id}/archive?path=/ (one tar per    | docker cp refuses a read-only root     |
 * |                                | file, mode 0644)                                    |                                        |
 * | start (default true)           | POST /containers/{id}/start                         | container.d.ts start                   |
 * | mustRun (default true)         | the container must still run after the start        | container.d.ts mustRun                 |
 * | wait, waitTimeout              | poll GET /containers/{id}/json until Health.Status healthy | container.d.ts wait            |
 * | destroyGraceSeconds (delete)   | POST /containers/{id}/stop?t=<n> (unset: t=0),      | container.d.ts destroyGraceSeconds;    |
 * |                                | then DELETE /containers/{id}?force=1&v=1            | resourceDockerContainerDelete          |
 * | Network {name}                 | POST /networks/create {Name, Driver: bridge, CheckDuplicate} |                               |
 * | Volume {name}                  | POST /volumes/create {Name}                         |                                        |
 * | Image {imageName, build}       | `docker build -t imageName -f dockerfile context` (the provider builds on the Docker host) | |
 * | RemoteImage {name}             | the image must exist on the engine (nothing can be pulled here) |                            |
 *
 * What it cannot show: the provider's diff and update logic (what a second `pulumi up` changes), its retries and
 * timeouts, state, secrets encryption and `pulumi destroy` ordering. Those stay judged by the mock tests.
 *
 * Deviations, all to share one engine with other runs: Docker names get a unique prefix instead of the
 * application's name, published host ports are mapped to free ones, and every object gets the label
 * `mc-e2e.judge=<prefix>` so a cleanup finds it.
 */
import * as http from 'http';
import * as pulumi from '@pulumi/pulumi';
import { docker, freePort, sleep, waitFor } from './engine';
import { mockId, mockImageRef, Recorded, T } from '../docker/harness';

const API = '/v1.41';
export const JUDGE_LABEL = 'mc-e2e.judge';

/** One Engine API call over the Docker socket; rejects on a status >= 300 with the engine's message. */
export function engineApi(method: string, path: string, body?: unknown, raw?: Buffer, timeoutMs = 120_000): Promise<any> {
  const payload = raw ?? (body === undefined ? undefined : Buffer.from(JSON.stringify(body)));
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        socketPath: process.env.DOCKER_SOCKET ?? '/var/run/docker.sock',
        method,
        path: API + path,
        timeout: timeoutMs,
        headers: payload ? { 'Content-Type': raw ? 'application/x-tar' : 'application/json', 'Content-Length': payload.length } : {},
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          if ((res.statusCode ?? 500) >= 300) reject(new Error(`${method} ${path}: ${res.statusCode} ${text.trim()}`));
          else resolve(text && /json/.test(String(res.headers['content-type'])) ? JSON.parse(text) : text);
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${method} ${path} timed out`)));
    req.on('error', reject);
    req.end(payload);
  });
}

/** Reveals RPC secrets anywhere in `v` (the mocks see secret inputs wrapped). */
export function reveal(v: any): any {
  if (pulumi.runtime.isRpcSecret(v)) return reveal(pulumi.runtime.unwrapRpcSecret(v));
  if (Array.isArray(v)) return v.map(reveal);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, reveal(x)]));
  return v;
}

/** Go's time.ParseDuration for the forms the backend emits (`1h2m5s`, `45s`), in nanoseconds. */
export function parseGoDuration(d: string): number {
  const m = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(d);
  if (!m || d === '') throw new Error(`not a duration the judge knows: '${d}'`);
  return ((Number(m[1] ?? 0) * 60 + Number(m[2] ?? 0)) * 60 + Number(m[3] ?? 0)) * 1e9;
}

/** A one-file tar archive (ustar), as the provider builds for each upload. */
export function tarOf(file: string, content: string, mode = 0o644): Buffer {
  const data = Buffer.from(content, 'utf8');
  const header = Buffer.alloc(512, 0);
  const put = (s: string, offset: number, len: number) => header.write(s.slice(0, len), offset, 'utf8');
  const octal = (n: number, len: number) => n.toString(8).padStart(len - 1, '0') + '\0';
  put(file.replace(/^\//, ''), 0, 100);
  put(octal(mode, 8), 100, 8);
  put(octal(0, 8), 108, 8);
  put(octal(0, 8), 116, 8);
  put(octal(data.length, 12), 124, 12);
  put(octal(Math.floor(Date.now() / 1000), 12), 136, 12);
  header.fill(' ', 148, 156);
  put('0', 156, 1);
  put('ustar\0', 257, 6);
  put('00', 263, 2);
  const sum = header.reduce((a, b) => a + b, 0);
  put(sum.toString(8).padStart(6, '0') + '\0 ', 148, 8);
  const pad = Buffer.alloc((512 - (data.length % 512)) % 512, 0);
  return Buffer.concat([header, data, pad, Buffer.alloc(1024, 0)]);
}

const KNOWN_CONTAINER_INPUTS = new Set([
  'name',
  'image',
  'entrypoints',
  'command',
  'envs',
  'user',
  'labels',
  'ports',
  'healthcheck',
  'stopSignal',
  'stopTimeout',
  'tmpfs',
  'readOnly',
  'capabilities',
  'securityOpts',
  'restart',
  'memory',
  'memorySwap',
  'memoryReservation',
  'cpus',
  'logDriver',
  'logOpts',
  'volumes',
  'networkMode',
  'networksAdvanced',
  'uploads',
  'start',
  'mustRun',
  'wait',
  'waitTimeout',
  'destroyGraceSeconds',
]);

/** How the judge stands in for a container's image when the real one cannot run here. */
export interface Substitute {
  readonly image: string;
  /** Entrypoint replacing the model's (the substitute image cannot run the original program). */
  readonly entrypoint: string[];
}

export interface JudgeOptions {
  /** Application name the Docker names start with (`<app>-...`), replaced by `prefix`. */
  readonly app: string;
  /** Unique prefix of this run. */
  readonly prefix: string;
  /** Image reference the judge runs for a container whose image reference the model gives (after overrides). */
  readonly substitutes?: Record<string, Substitute>;
}

/** What the judge created on the engine, by the Docker names the program registered. */
export class JudgedDeployment {
  /** Real container ids by mock id (for `networkMode: container:<id>`) and by registered name. */
  public readonly containerIds = new Map<string, string>();
  /** Host port the judge published each registered `external` port on. */
  public readonly hostPorts = new Map<number, number>();
  private readonly builtImages: string[] = [];
  private readonly inputs = new Map<string, Record<string, any>>();

  constructor(
    private readonly records: Recorded[],
    private readonly opts: JudgeOptions,
  ) {}

  /** The Docker name the judge uses for a registered one. */
  public dockerName(registered: string): string {
    if (!registered.startsWith(`${this.opts.app}-`))
      throw new Error(`'${registered}' does not start with the application name '${this.opts.app}-'`);
    return `${this.opts.prefix}-${registered.slice(this.opts.app.length + 1)}`;
  }

  /** The revealed inputs of the container registered as `name`. */
  public inputsOf(name: string): Record<string, any> {
    const i = this.inputs.get(name);
    if (!i) throw new Error(`no container registered as ${name}`);
    return i;
  }

  /** `docker inspect` of the container registered as `name`. */
  public inspect(name: string): Promise<any> {
    return engineApi('GET', `/containers/${this.containerIds.get(name)}/json`);
  }

  /** Images, then networks, volumes and containers in registration (dependency) order: `pulumi up`. */
  public async up(): Promise<void> {
    for (const r of this.records.filter((x) => x.type === T.image)) {
      const b = r.inputs.build;
      await docker(
        [
          'build',
          '-q',
          '-t',
          r.inputs.imageName,
          '-f',
          b.dockerfile,
          ...Object.entries(b.args ?? {}).flatMap(([k, v]) => ['--build-arg', `${k}=${v}`]),
          b.context,
        ],
        { timeoutMs: 600_000 },
      );
      this.builtImages.push(r.inputs.imageName);
    }
    for (const r of this.records.filter((x) => x.type === T.remoteImage)) {
      const image = this.opts.substitutes?.[r.inputs.name]?.image ?? r.inputs.name;
      await engineApi('GET', `/images/${encodeURIComponent(image)}/json`).catch(() => {
        throw new Error(`image ${image} is not on the engine (nothing can be pulled here)`);
      });
    }
    for (const r of this.records.filter((x) => x.type === T.network)) {
      await engineApi('POST', '/networks/create', {
        Name: this.dockerName(r.inputs.name),
        Driver: 'bridge',
        CheckDuplicate: true,
        Labels: { [JUDGE_LABEL]: this.opts.prefix },
      });
    }
    for (const r of this.records.filter((x) => x.type === T.volume)) {
      await engineApi('POST', '/volumes/create', { Name: this.dockerName(r.inputs.name), Labels: { [JUDGE_LABEL]: this.opts.prefix } });
    }
    for (const r of this.records.filter((x) => x.type === T.container)) await this.createContainer(r);
  }

  /** The container registered as `name` deleted and created again from the same inputs: a Pulumi replacement (deleteBeforeReplace). */
  public async replace(name: string): Promise<{ stop: { exitCode: number; seconds: number } }> {
    const r = this.records.find((x) => x.type === T.container && x.inputs.name === name)!;
    const stop = await this.deleteContainer(name);
    await this.createContainer(r);
    return { stop };
  }

  /** The provider's delete: stop with `destroyGraceSeconds` (0 when unset), then a forced remove. */
  public async deleteContainer(name: string): Promise<{ exitCode: number; seconds: number }> {
    const id = this.containerIds.get(name)!;
    const t = this.inputsOf(name).destroyGraceSeconds ?? 0;
    const started = Date.now();
    await engineApi('POST', `/containers/${id}/stop?t=${t}`, undefined, undefined, (t + 60) * 1000).catch((e) => {
      if (!/304/.test(e.message)) throw e; // already stopped
    });
    const seconds = (Date.now() - started) / 1000;
    const exitCode = (await engineApi('GET', `/containers/${id}/json`)).State.ExitCode as number;
    await engineApi('DELETE', `/containers/${id}?force=1&v=1`);
    return { exitCode, seconds };
  }

  private async createContainer(r: Recorded): Promise<void> {
    const i = reveal(r.inputs) as Record<string, any>;
    const unknown = Object.keys(i).filter((k) => i[k] !== undefined && !KNOWN_CONTAINER_INPUTS.has(k));
    if (unknown.length) throw new Error(`${i.name}: inputs the judge does not translate: ${unknown.join(', ')}`);
    this.inputs.set(i.name, i);
    const reference = String(i.image).replace(/^sha256:/, '');
    if (i.image !== mockImageRef(reference)) throw new Error(`${i.name}: image ${i.image} is not a mock image reference`);
    const substitute = this.opts.substitutes?.[reference];
    const ports = (i.ports ?? []) as Array<{ internal: number; external?: number; ip?: string; protocol?: string }>;
    const bindings: Record<string, Array<{ HostIp: string; HostPort: string }>> = {};
    for (const p of ports) {
      let host = '';
      if (p.external !== undefined) {
        if (!this.hostPorts.has(p.external)) this.hostPorts.set(p.external, await freePort());
        host = String(this.hostPorts.get(p.external));
      }
      (bindings[`${p.internal}/${p.protocol ?? 'tcp'}`] ??= []).push({ HostIp: p.ip ?? '0.0.0.0', HostPort: host });
    }
    const h = i.healthcheck;
    const networkMode = i.networkMode ? `container:${this.containerIds.get(String(i.networkMode).replace(/^container:/, ''))}` : undefined;
    const body = {
      Image: substitute?.image ?? reference,
      Entrypoint: substitute ? substitute.entrypoint : i.entrypoints,
      Cmd: substitute ? [] : i.command,
      Env: i.envs ?? [],
      User: i.user,
      Labels: { ...Object.fromEntries((i.labels ?? []).map((l: any) => [l.label, l.value])), [JUDGE_LABEL]: this.opts.prefix },
      ExposedPorts: Object.fromEntries(Object.keys(bindings).map((k) => [k, {}])),
      Healthcheck:
        h &&
        (substitute
          ? { Test: ['NONE'] }
          : {
              Test: h.tests,
              Interval: parseGoDuration(h.interval),
              Timeout: parseGoDuration(h.timeout),
              StartPeriod: parseGoDuration(h.startPeriod),
              Retries: h.retries,
            }),
      StopSignal: i.stopSignal,
      StopTimeout: i.stopTimeout,
      HostConfig: {
        PortBindings: bindings,
        Tmpfs: i.tmpfs,
        ReadonlyRootfs: i.readOnly ?? false,
        CapDrop: i.capabilities?.drops,
        CapAdd: i.capabilities?.adds,
        SecurityOpt: i.securityOpts,
        RestartPolicy: { Name: i.restart ?? 'no', MaximumRetryCount: 0 },
        Memory: (i.memory ?? 0) * 1024 * 1024,
        MemorySwap: i.memorySwap === undefined ? 0 : i.memorySwap > 0 ? i.memorySwap * 1024 * 1024 : i.memorySwap,
        MemoryReservation: (i.memoryReservation ?? 0) * 1024 * 1024,
        NanoCpus: i.cpus === undefined ? 0 : Math.round(Number(i.cpus) * 1e9),
        LogConfig: { Type: i.logDriver ?? '', Config: i.logOpts ?? {} },
        Binds: (i.volumes ?? []).map((v: any) => `${this.dockerName(v.volumeName)}:${v.containerPath}${v.readOnly ? ':ro' : ''}`),
        NetworkMode: networkMode ?? (i.networksAdvanced?.length ? 'bridge' : 'default'),
      },
    };
    const created = await engineApi('POST', `/containers/create?name=${encodeURIComponent(this.dockerName(i.name))}`, body);
    const id = created.Id as string;
    this.containerIds.set(i.name, id);
    this.containerIds.set(mockId(r.name), id);
    if (i.networksAdvanced?.length) {
      await engineApi('POST', '/networks/bridge/disconnect', { Container: id, Force: false });
      for (const n of i.networksAdvanced) {
        await engineApi('POST', `/networks/${encodeURIComponent(this.dockerName(n.name))}/connect`, {
          Container: id,
          EndpointConfig: { Aliases: n.aliases ?? [] },
        });
      }
    }
    for (const u of i.uploads ?? [])
      await engineApi('PUT', `/containers/${id}/archive?path=/`, undefined, tarOf(u.file, u.content, u.executable ? 0o744 : 0o644));
    if (i.start === false) return;
    await engineApi('POST', `/containers/${id}/start`);
    if (i.mustRun !== false) {
      await sleep(1000);
      const state = (await engineApi('GET', `/containers/${id}/json`)).State;
      if (!state.Running)
        throw new Error(`${i.name}: exited right after the start (exit ${state.ExitCode}), which mustRun reports as a failed create`);
    }
    if (i.wait && !substitute) {
      await waitFor(
        `${i.name} to be healthy (waitTimeout ${i.waitTimeout} s)`,
        async () => {
          const s = (await engineApi('GET', `/containers/${id}/json`)).State;
          if (s.Health?.Status === 'healthy') return true;
          throw new Error(`health ${s.Health?.Status}, running ${s.Running}`);
        },
        (i.waitTimeout ?? 60) * 1000,
        1000,
      );
    }
  }

  /** Removes everything the judge created (never throws): containers, networks, volumes, built images. */
  public async destroy(): Promise<void> {
    const label = `label=${JUDGE_LABEL}=${this.opts.prefix}`;
    const each = async (list: string[], rm: string[]) => {
      const ids = (await docker(list, { allowFailure: true })).stdout.split('\n').filter(Boolean);
      if (ids.length) await docker([...rm, ...ids], { allowFailure: true, timeoutMs: 180_000 });
    };
    await each(['ps', '-aq', '--filter', label], ['rm', '-f', '-v']);
    await each(['network', 'ls', '-q', '--filter', label], ['network', 'rm']);
    await each(['volume', 'ls', '-q', '--filter', label], ['volume', 'rm', '-f']);
    for (const image of this.builtImages) await docker(['rmi', '-f', image], { allowFailure: true });
  }
}
