/*
 * The Docker meaning of the model, decided once for both Docker targets (Pulumi and compose): which containers
 * exist, their names, networks, aliases, mounts, health checks, limits and hardening. The Pulumi and compose
 * backends only translate this plan into their own field names, so they cannot drift apart.
 */
import {
  DependencyCondition,
  Diagnostic,
  DiagnosticLevel,
  EnvSource,
  IngressSourceKind,
  isAcknowledged,
  ProbeKind,
  Protocol,
  RestartPolicy,
  UnsupportedError,
  ResolvedApplication,
  ResolvedConfigFile,
  ResolvedContainer,
  ResolvedEnvVar,
  ResolvedImage,
  ResolvedLogging,
  ResolvedProbe,
  ResolvedSecretRef,
  ResolvedService,
  SeccompProfileType,
  DEFAULT_PUBLISH_ADDRESS,
  publishAddressRule,
} from '../model';
import { replicaKey, sidecarKey } from './keys';

/** Role of a planned container. */
export enum DockerRole {
  SERVICE = 'service',
  SIDECAR = 'sidecar',
  GATEWAY = 'gateway',
}

export interface DockerHealthcheck {
  /** Exec form: `['CMD', ...]`. */
  readonly test: string[];
  readonly intervalSeconds: number;
  readonly timeoutSeconds: number;
  readonly retries: number;
  readonly startPeriodSeconds: number;
}

export interface DockerPortPlan {
  readonly port: number;
  readonly protocol: Protocol;
  /** Host port, when published. */
  readonly publish?: number;
  /**
   * Host address a published port listens on: the port's `publishAddress`, else the application's, else
   * 127.0.0.1 (not `docker run -p`'s 0.0.0.0, which opens the port to the whole network). Set when published.
   */
  readonly publishAddress?: string;
}

export interface DockerNetworkAttachment {
  /** Key of the network in the plan. */
  readonly network: string;
  /** DNS names of the container on that network. */
  readonly aliases: string[];
}

export interface DockerContainerPlan {
  /** Unique key: the compose service name (`web`, `web-2`, `web-envoy`, `gateway`). */
  readonly key: string;
  /** Container name: `<app>-<service>-<index>` (sidecars: `...-<sidecar>`; gateway: `<app>-<gateway>`). */
  readonly containerName: string;
  readonly service: string;
  readonly role: DockerRole;
  /** 1-based replica index. */
  readonly index: number;
  readonly image: ResolvedImage;
  /** Entrypoint override. */
  readonly command?: string[];
  /** Cmd override. */
  readonly args?: string[];
  /** Environment; config values are inlined, secrets stay references. */
  readonly env: ResolvedEnvVar[];
  readonly ports: DockerPortPlan[];
  /** Networks joined; empty when `networkModeOf` is set. */
  readonly networks: DockerNetworkAttachment[];
  /** Key of the container whose network namespace this one shares (sidecars). */
  readonly networkModeOf?: string;
  readonly volumeMounts: Array<{ readonly volume: string; readonly target: string; readonly readOnly: boolean }>;
  /** In-memory mounts: writable paths of a read-only root and scratch volumes. */
  readonly tmpfs: string[];
  readonly configMounts: Array<{ readonly file: ResolvedConfigFile; readonly target: string }>;
  readonly secretMounts: Array<{ readonly secret: ResolvedSecretRef; readonly target: string }>;
  /** `uid:gid`. */
  readonly user: string;
  readonly readOnly: boolean;
  readonly capDrop: string[];
  readonly capAdd: string[];
  /** `no-new-privileges:true` when privilege escalation is off. */
  readonly securityOpt: string[];
  readonly healthcheck?: DockerHealthcheck;
  readonly restart: 'always' | 'on-failure' | 'no';
  /** Signal `docker stop` sends (service containers only). @default - the image's STOPSIGNAL, else SIGTERM */
  readonly stopSignal?: string;
  /** Seconds `docker stop` waits before it kills (sidecars inherit the service's). @default - Docker's 10 */
  readonly stopGracePeriodSeconds?: number;
  readonly memoryLimitMiB: number;
  readonly memoryReservationMiB: number;
  readonly cpus: number;
  readonly labels: Record<string, string>;
  readonly dependsOn: Array<{ readonly key: string; readonly condition: DependencyCondition }>;
  readonly logging: ResolvedLogging;
}

export interface DockerPlan {
  readonly app: string;
  /**
   * One network per service, `internal` (no route out of the host): only the service, its dependents, (if
   * routed) the gateway and (if it has metrics) the monitoring's Prometheus join it. Then, when any container needs
   * it, the application's edge network ({@link EDGE_NETWORK_KEY}, not internal), joined by the services with
   * external `egress` or published ports and by the gateway.
   */
  readonly networks: Array<{ readonly key: string; readonly name: string; readonly service: string; readonly internal: boolean }>;
  /** Persistent volumes (one per replica for replicated services, like a StatefulSet). */
  readonly volumes: Array<{ readonly key: string; readonly name: string; readonly service: string; readonly volume: string }>;
  /** Containers, dependencies before dependents. */
  readonly containers: DockerContainerPlan[];
  readonly diagnostics: Diagnostic[];
}

/**
 * Key of the application's edge network (a key no service name can take: service names are DNS labels); its Docker
 * name is `<app>--edge`, which no `<app>-<service>` can be either.
 */
export const EDGE_NETWORK_KEY = '_edge';

/** Options of {@link planDocker}. */
export interface DockerPlanOptions {
  /**
   * Overrides the application's `publishAddress` (ports that set their own keep it): the Pulumi config
   * `publishAddress` maps onto this.
   * @default - the application's setting
   */
  readonly publishAddress?: string;
}

/** A published port's host address as it stands before `:<port>` (`docker run -p`, URLs): IPv6 in brackets. */
export function hostAddress(address: string): string {
  return address.includes(':') ? `[${address}]` : address;
}

/** Compose key / name suffix of replica `index` of `service`: `web` alone, `web-1`..`web-n` when replicated. */
export function instanceKey(service: ResolvedService, index: number): string {
  return replicaKey(service.name, service.replicas, index);
}

/** The plan of `app` for Docker target `target` ('docker' or 'compose', used in diagnostics). */
export function planDocker(app: ResolvedApplication, target: string, options: DockerPlanOptions = {}): DockerPlan {
  const diagnostics: Diagnostic[] = [];
  const warn = (service: string, field: string, message: string) =>
    diagnostics.push({ level: DiagnosticLevel.WARNING, target, service, field, message });
  const fail = (service: string, field: string, message: string): never => {
    throw new UnsupportedError({ level: DiagnosticLevel.ERROR, target, service, field, message });
  };

  checkContainerKeys(app, fail);
  publishAddressRule(options.publishAddress, 'publishAddress', (m) => m !== undefined && fail(app.name, 'publishAddress', m));
  const appAddress = options.publishAddress ?? app.publishAddress ?? DEFAULT_PUBLISH_ADDRESS;
  const publishing = (publish: number | undefined, address: string | undefined) =>
    publish === undefined ? {} : { publish, publishAddress: address ?? appAddress };
  const byName = new Map(app.services.map((s) => [s.name, s]));
  const networks: DockerPlan['networks'] = app.services.map((s) => ({
    key: s.name,
    name: `${app.name}-${s.name}`,
    service: s.name,
    internal: true,
  }));
  // A container only on internal networks has no route out of the host and Docker publishes none of its ports.
  const onEdge = (s: ResolvedService) =>
    s.egress.length > 0 || [...s.ports, ...s.sidecars.flatMap((sc) => sc.ports)].some((p) => p.publish !== undefined);
  const edge = (joins: boolean) => (joins ? [{ network: EDGE_NETWORK_KEY, aliases: [] }] : []);
  const volumes: DockerPlan['volumes'] = [];
  const containers: DockerContainerPlan[] = [];
  const keysOf = (s: ResolvedService) => range(s.replicas).map((i) => instanceKey(s, i));
  /** Whether each service planned so far has a Docker health check (dependencies come first). */
  const healthchecked = new Map<string, boolean>();

  for (const s of app.services) {
    if (s.autoscaling) {
      warn(s.name, 'autoscaling', `cannot be expressed in Docker: runs a fixed ${s.replicas} replica(s) (minReplicas); scale by hand`);
    }
    if (s.replicas === 0) warn(s.name, 'replicas', 'is 0: no container is created');
    if (Object.keys(s.nodeSelector).length > 0)
      warn(s.name, 'nodeSelector', 'places Kubernetes pods only: Docker runs every container on its one engine');
    const narrowed = s.ingressFrom.filter((src) => src.kind !== IngressSourceKind.ANYWHERE);
    if (narrowed.length > 0) {
      warn(
        s.name,
        'ingressFrom',
        `limits outside sources in Kubernetes only: Docker does not filter by source, so published ports admit any address the host ` +
          `lets through`,
      );
    }
    for (const [field, c] of [['security', s], ...s.sidecars.map((sc) => [`sidecars[${sc.name}].security`, sc] as const)] as const) {
      if (c.security.seccompProfile.type === SeccompProfileType.LOCALHOST) {
        warn(
          s.name,
          `${field}.seccompProfile`,
          `Localhost profile ${JSON.stringify(c.security.seccompProfile.localhostProfile)} is a file on the Kubernetes node; Docker ` +
            `keeps the engine's default seccomp profile`,
        );
      }
    }
    // Sidecars share the service container's network namespace, and Docker refuses ports on a container that
    // joins another's namespace: the service container exposes and publishes the sidecars' ports too.
    const ports = [...s.ports, ...s.sidecars.flatMap((sc) => sc.ports)].map((p): DockerPortPlan => ({
      port: p.port,
      protocol: p.protocol,
      ...publishing(p.publish, p.publishAddress),
    }));
    const published = ports.filter((p) => p.publish !== undefined);
    if (s.replicas > 1 && published.length > 0) {
      fail(
        s.name,
        'ports.publish',
        `publishes host port ${published[0].publish} but runs ${s.replicas} replicas, which cannot share one host port; route it ` +
          `through the gateway instead`,
      );
    }
    /** The Docker health check of the main container (prefix '') or a sidecar ('sidecars[proxy].'). */
    const healthcheckOf = (c: ResolvedContainer, prefix: string): DockerHealthcheck | undefined => {
      if (c.livenessProbe)
        warn(s.name, `${prefix}livenessProbe`, 'becomes the health status only: Docker does not restart an unhealthy container');
      if (c.healthcheck?.kind === ProbeKind.GRPC && c.healthcheckField !== 'healthcheck') {
        // Derived from a Kubernetes probe: no Docker health check, never an error that would stop the other targets.
        warn(
          s.name,
          prefix + c.healthcheckField!,
          `is a gRPC probe, which Docker cannot run: Docker targets run no health check (set 'healthcheck: Probe.command([...])', ` +
            `e.g. grpc_health_probe, or 'healthcheck: Probe.none()' to say so)`,
        );
        return undefined;
      }
      return c.healthcheck && toHealthcheck(c.healthcheck, c.startupProbe, (m) => fail(s.name, `${prefix}healthcheck`, m));
    };
    const healthcheck = healthcheckOf(s, '');
    const sidecarHealthchecks = s.sidecars.map((sc) => healthcheckOf(sc, `sidecars[${sc.name}].`));
    healthchecked.set(s.name, healthcheck !== undefined);
    const dependsOn = s.dependencies.flatMap((d) => {
      let condition = d.condition;
      if (condition === DependencyCondition.HEALTHY && !healthchecked.get(d.service)) {
        condition = DependencyCondition.STARTED;
        warn(
          s.name,
          'dependsOn',
          `waits for '${d.service}' to be healthy, but '${d.service}' has no Docker health check: Docker targets wait only until it ` +
            `has started`,
        );
      }
      return keysOf(byName.get(d.service)!).map((key) => ({ key, condition }));
    });
    const ownNetworkAliases = [s.name];
    // The monitoring's Prometheus joins the network of every service it scrapes (and no other): there the
    // service's alias resolves to all its replicas.
    const scraped =
      app.monitoring?.service === s.name
        ? app.monitoring.targets.map((t) => t.service).filter((t) => !s.dependencies.some((d) => d.service === t))
        : [];

    for (const index of range(s.replicas)) {
      const key = instanceKey(s, index);
      const persistent = s.volumes
        .filter((v) => !v.scratch)
        .map((v) => {
          const volumeKey = s.replicas > 1 ? `${v.name}-${index}` : v.name;
          volumes.push({ key: volumeKey, name: `${app.name}-${volumeKey}`, service: s.name, volume: v.name });
          return { volume: volumeKey, target: v.mountPath, readOnly: v.readOnly };
        });
      // Object.assign, not a spread literal: V8 builds a literal that spreads another object on its slow path.
      containers.push(
        Object.assign(containerBase(app, s, s), {
          key,
          containerName: `${app.name}-${s.name}-${index}`,
          role: DockerRole.SERVICE,
          index,
          ports,
          networks: [
            { network: s.name, aliases: ownNetworkAliases },
            ...s.dependencies.map((d) => ({ network: d.service, aliases: [] })),
            ...scraped.map((t) => ({ network: t, aliases: [] })),
            ...edge(onEdge(s)),
          ],
          volumeMounts: persistent,
          tmpfs: [...writable(s), ...s.volumes.filter((v) => v.scratch).map((v) => v.mountPath)],
          healthcheck,
          stopSignal: s.stopSignal,
          labels: { ...s.labels, ...metricsLabels(s), ...confinementLabels(s.security) },
          dependsOn,
        }),
      );
      s.sidecars.forEach((sc, i) => {
        containers.push(
          Object.assign(containerBase(app, sc, s), {
            key: sidecarKey(key, sc.name),
            containerName: `${app.name}-${s.name}-${index}-${sc.name}`,
            role: DockerRole.SIDECAR,
            index,
            ports: [],
            networks: [],
            networkModeOf: key,
            volumeMounts: [],
            tmpfs: writable(sc),
            healthcheck: sidecarHealthchecks[i],
            // The stop signal is the main image's matter (the grace period is the service's, in containerBase).
            labels: { ...s.labels, 'app.kubernetes.io/component': 'sidecar', ...confinementLabels(sc.security) },
            dependsOn: [{ key, condition: DependencyCondition.STARTED }],
          }),
        );
      });
    }
  }

  if (app.gateway) {
    const g = app.gateway;
    const routed = [...new Set(g.routes.map((r) => r.service))].map((n) => byName.get(n)!);
    containers.push({
      key: g.name,
      containerName: `${app.name}-${g.name}`,
      service: g.name,
      role: DockerRole.GATEWAY,
      index: 1,
      image: { reference: g.image },
      command: ['nginx', '-e', 'stderr', '-c', GATEWAY_CONFIG_PATH],
      env: [],
      ports: [{ port: g.listenPort, protocol: Protocol.TCP, ...publishing(g.publish, undefined) }],
      networks: [...routed.map((s) => ({ network: s.name, aliases: [] })), ...edge(true)],
      volumeMounts: [],
      tmpfs: g.security.readOnlyRootFilesystem ? g.security.writablePaths : [],
      configMounts: [
        {
          file: { id: `${g.name}-1`, fileName: 'nginx.conf', mountPath: GATEWAY_CONFIG_PATH, content: gatewayNginxConfig(app) },
          target: GATEWAY_CONFIG_PATH,
        },
      ],
      secretMounts: [],
      ...hardening(g.security),
      healthcheck: undefined,
      restart: 'always',
      memoryLimitMiB: g.resources.memoryLimitMiB,
      memoryReservationMiB: g.resources.memoryRequestMiB,
      cpus: g.resources.cpuLimitMillis / 1000,
      labels: { ...g.labels, ...confinementLabels(g.security) },
      dependsOn: routed.flatMap((s) => keysOf(s).map((key) => ({ key, condition: DependencyCondition.STARTED }))),
      logging: app.logging,
    });
  }
  // Volume keys are derived (`data-2` for replica 2), so two services can meet on one (container keys: validation).
  const volumeOwners = new Map<string, string>();
  for (const v of volumes) {
    const owner = volumeOwners.get(v.key);
    if (owner !== undefined)
      fail(v.service, 'volumes', `gives Docker volume key '${v.key}' that service '${owner}' already uses; rename one of the volumes`);
    volumeOwners.set(v.key, v.service);
  }
  if (containers.some((c) => c.networks.some((n) => n.network === EDGE_NETWORK_KEY))) {
    networks.push({ key: EDGE_NETWORK_KEY, name: `${app.name}--edge`, service: '', internal: false });
  }
  return { app: app.name, networks, volumes, containers, diagnostics: diagnostics.filter((d) => !isAcknowledged(app.acknowledgements, d)) };
}

/**
 * Container keys are derived (`web-1` for replica 1, `web-1-proxy` for its sidecar), so a service named like
 * another one's replica or sidecar, or like the gateway, would silently replace that container.
 */
function checkContainerKeys(app: ResolvedApplication, fail: (service: string, field: string, message: string) => never): void {
  const keys = new Map<string, string>();
  for (const s of app.services) {
    for (const index of range(Math.max(s.replicas, 1))) {
      const key = replicaKey(s.name, s.replicas, index);
      const what = s.replicas > 1 ? `replica ${index} of service '${s.name}'` : `service '${s.name}'`;
      for (const [k, w] of [[key, what], ...s.sidecars.map((sc) => [sidecarKey(key, sc.name), `sidecar '${sc.name}' of ${what}`])]) {
        const prior = keys.get(k);
        if (prior && prior !== w)
          fail(s.name, 'name', `gives Docker container key ${JSON.stringify(k)} to ${w}, which ${prior} already has`);
        keys.set(k, w);
      }
    }
  }
  const g = app.gateway;
  if (g && keys.has(g.name)) {
    fail(g.name, 'id', `must differ from every service name (the gateway is a container next to them), got ${JSON.stringify(g.name)}`);
  }
}

/** Where the gateway's generated nginx configuration is mounted. */
export const GATEWAY_CONFIG_PATH = '/etc/nginx/nginx.conf';

/** The gateway's nginx configuration: one prefix location per route, upstreams resolved lazily by Docker DNS. */
export function gatewayNginxConfig(app: ResolvedApplication): string {
  const g = app.gateway!;
  // Longest prefix first is nginx's own rule for prefix locations; sorting keeps the file stable.
  const routes = [...g.routes].sort((a, b) => b.path.length - a.path.length || a.path.localeCompare(b.path));
  const locations = routes.map((r) =>
    [
      `    location ${r.path} {`,
      `      set $upstream ${r.service}:${r.port};`,
      '      proxy_pass http://$upstream;',
      '      proxy_set_header Host $host;',
      '      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;',
      '    }',
    ].join('\n'),
  );
  return [
    '# generated by microservice-constructs: gateway of application ' + app.name,
    'worker_processes 1;',
    'daemon off;',
    'pid /tmp/nginx.pid;',
    'error_log stderr warn;',
    'events { worker_connections 256; }',
    'http {',
    '  access_log /dev/stdout;',
    '  client_body_temp_path /tmp/client_body;',
    '  proxy_temp_path /tmp/proxy;',
    '  fastcgi_temp_path /tmp/fastcgi;',
    '  uwsgi_temp_path /tmp/uwsgi;',
    '  scgi_temp_path /tmp/scgi;',
    "  # Docker's embedded DNS; variables in proxy_pass resolve per request, so a restarted service is found again.",
    '  resolver 127.0.0.11 valid=5s ipv6=off;',
    '  server {',
    `    listen ${g.listenPort};`,
    `    server_name ${g.host ?? '_'};`,
    locations.join('\n'),
    '  }',
    '}',
    '',
  ].join('\n');
}

/** The Docker health check of a probe; http/tcp run `wget`/`nc` inside the container. */
export function toHealthcheck(
  probe: ResolvedProbe,
  startup: ResolvedProbe | undefined,
  fail: (message: string) => never,
): DockerHealthcheck {
  const test = ((): string[] => {
    switch (probe.kind) {
      case ProbeKind.COMMAND:
        return ['CMD', ...probe.command!];
      case ProbeKind.HTTP:
        return [
          'CMD',
          'wget',
          '-q',
          ...Object.entries(probe.headers ?? {}).flatMap(([k, v]) => ['--header', `${k}: ${v}`]),
          '-O',
          '/dev/null',
          `http://127.0.0.1:${probe.port}${probe.path}`,
        ];
      case ProbeKind.TCP:
        return ['CMD', 'nc', '-z', '127.0.0.1', String(probe.port)];
      default:
        return fail(
          `a ${probe.kind} probe cannot be expressed as a Docker health check; set 'healthcheck: Probe.command([...])' (e.g. ` +
            `grpc_health_probe)`,
        );
    }
  })();
  return {
    test,
    intervalSeconds: probe.periodSeconds,
    timeoutSeconds: probe.timeoutSeconds,
    retries: probe.failureThreshold,
    // A startup probe's whole budget becomes the start period, during which failures do not count.
    startPeriodSeconds: startup
      ? startup.initialDelaySeconds + startup.periodSeconds * startup.failureThreshold
      : probe.initialDelaySeconds,
  };
}

function containerBase(app: ResolvedApplication, c: ResolvedContainer, s: ResolvedService) {
  return {
    image: c.image,
    command: c.command,
    args: c.args,
    // Docker has no Service in between: addresses name the container port.
    env: c.env.map(({ dockerValue, ...v }) => (dockerValue === undefined ? v : { ...v, value: dockerValue })),
    ...hardening(c.security),
    memoryLimitMiB: c.resources.memoryLimitMiB,
    memoryReservationMiB: c.resources.memoryRequestMiB,
    cpus: c.resources.cpuLimitMillis / 1000,
    logging: app.logging,
    // Each container mounts its own files (a sidecar's are its own, from the service's seed).
    configMounts: c.configFiles.map((file) => ({ file, target: file.mountPath })),
    secretMounts: c.secretFiles.map((f) => ({ secret: f.secret, target: f.mountPath })),
    healthcheck: undefined as DockerHealthcheck | undefined,
    service: s.name,
    // Restart and grace period are the service's, like a pod's, for its sidecars too.
    restart: restartOf(s.restartPolicy),
    stopGracePeriodSeconds: s.stopGracePeriodSeconds,
  };
}

/**
 * Docker's hardening options. Seccomp: the engine applies its default profile unless told otherwise, and this
 * engine version has no name for it (`seccomp=builtin` needs Docker 23), so the default is kept by sending no
 * option and stated in a label; only an explicit Unconfined profile sends `seccomp=unconfined`. AppArmor: the
 * engine applies docker-default where the host has AppArmor; a localhost profile is passed through by name.
 */
function hardening(sec: ResolvedContainer['security']) {
  const appArmor =
    sec.appArmorProfile === 'unconfined'
      ? ['apparmor=unconfined']
      : sec.appArmorProfile?.startsWith('localhost/')
        ? [`apparmor=${sec.appArmorProfile!.slice('localhost/'.length)}`]
        : [];
  return {
    user: `${sec.user}:${sec.group}`,
    readOnly: sec.readOnlyRootFilesystem,
    capDrop: [...sec.capabilitiesDrop],
    capAdd: [...sec.capabilitiesAdd],
    securityOpt: [
      ...(sec.allowPrivilegeEscalation ? [] : ['no-new-privileges:true']),
      ...(sec.seccompProfile.type === SeccompProfileType.UNCONFINED ? ['seccomp=unconfined'] : []),
      ...appArmor,
    ],
  };
}

/** Label stating the seccomp profile a container runs with (the engine's default unless Unconfined). */
export const SECCOMP_LABEL = 'microservice-constructs.seccomp';

function confinementLabels(sec: ResolvedContainer['security']): Record<string, string> {
  return { [SECCOMP_LABEL]: sec.seccompProfile.type === SeccompProfileType.UNCONFINED ? 'unconfined' : 'engine-default' };
}

function writable(c: ResolvedContainer): string[] {
  return c.security.readOnlyRootFilesystem ? [...c.security.writablePaths] : [];
}

function restartOf(policy: RestartPolicy): 'always' | 'on-failure' | 'no' {
  return policy === RestartPolicy.ALWAYS ? 'always' : policy === RestartPolicy.ON_FAILURE ? 'on-failure' : 'no';
}

function metricsLabels(s: ResolvedService): Record<string, string> {
  if (!s.metrics) return {};
  return { 'prometheus.io/scrape': 'true', 'prometheus.io/port': String(s.metrics.port), 'prometheus.io/path': s.metrics.path };
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i + 1);
}

/** Environment as plain `NAME=value` pairs for Docker targets; secrets are resolved by `secretValue`. */
export function dockerEnvValue(v: ResolvedEnvVar, secretValue: (ref: ResolvedSecretRef) => string): string {
  return v.source === EnvSource.SECRET ? secretValue(v.secret!) : (v.value ?? '');
}
