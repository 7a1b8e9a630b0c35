/*
 * One planned container -> one compose service. Every Docker decision is already in the plan; this file only
 * spells it in Compose Specification fields.
 */
import * as path from 'path';
import { DependencyCondition, EnvSource, ResolvedEnvVar, ResolvedImage } from '../model';
import { DockerContainerPlan, DockerHealthcheck, DockerPortPlan, hostAddress } from '../docker-plan';
import { AssetLayout, composePath, secretKey } from './assets';
import { ComposeBuild, ComposeHealthcheck, ComposeService } from './compose-file';
import { literal, literalFields, variable } from './interpolation';
import { compact, nonEmpty, nonEmptyRecord } from './objects';

/** What a service translation needs besides its container plan. */
export interface ServiceContext {
  readonly layout: AssetLayout;
  /** Absolute directory of the compose file. */
  readonly projectDir: string;
}

/** The compose service of planned container `c`. */
export function composeService(c: DockerContainerPlan, ctx: ServiceContext): ComposeService {
  const configPaths = ctx.layout.configFiles(
    c.service,
    c.configMounts.map((m) => m.file),
  );
  const service = {
    image: c.image.reference,
    build: c.image.build && composeBuild(c.image.build, ctx.projectDir),
    container_name: c.containerName,
    entrypoint: c.command,
    command: c.args,
    // Already spelled for compose (literal values, secrets as variables): the one field literalFields leaves alone.
    environment: environment(c.env),
    expose: nonEmpty(c.ports.map((p) => `${p.port}/${protocol(p)}`)),
    // Always with the plan's host address (compose, like `docker run -p`, would otherwise listen on 0.0.0.0).
    ports: nonEmpty(
      c.ports.filter((p) => p.publish !== undefined).map((p) => `${hostAddress(p.publishAddress!)}:${p.publish}:${p.port}/${protocol(p)}`),
    ),
    networks: c.networkModeOf
      ? undefined
      : Object.fromEntries(c.networks.map((n) => [n.network, n.aliases.length > 0 ? { aliases: n.aliases } : {}])),
    network_mode: c.networkModeOf && `service:${c.networkModeOf}`,
    volumes: nonEmpty([
      ...c.volumeMounts.map((m) => `${m.volume}:${m.target}${m.readOnly ? ':ro' : ''}`),
      ...c.configMounts.map((m) => `${composePath(configPaths.get(m.file.id)!)}:${m.target}:ro`),
    ]),
    tmpfs: nonEmpty(c.tmpfs),
    // Long syntax: `target` is the absolute mount path (docker-compose bind-mounts the file there).
    secrets: nonEmpty(c.secretMounts.map((m) => ({ source: secretKey(m.secret), target: m.target }))),
    user: c.user,
    read_only: c.readOnly,
    cap_drop: nonEmpty(c.capDrop),
    cap_add: nonEmpty(c.capAdd),
    security_opt: nonEmpty(c.securityOpt),
    healthcheck: c.healthcheck && composeHealthcheck(c.healthcheck),
    restart: c.restart,
    stop_signal: c.stopSignal,
    stop_grace_period: c.stopGracePeriodSeconds === undefined ? undefined : seconds(c.stopGracePeriodSeconds),
    deploy: {
      resources: {
        limits: { cpus: String(c.cpus), memory: memory(c.memoryLimitMiB) },
        reservations: { memory: memory(c.memoryReservationMiB) },
      },
    },
    labels: nonEmptyRecord(c.labels),
    depends_on: nonEmptyRecord(
      Object.fromEntries(
        c.dependsOn.map((d) => [
          d.key,
          {
            condition: d.condition === DependencyCondition.HEALTHY ? ('service_healthy' as const) : ('service_started' as const),
          },
        ]),
      ),
    ),
    logging: compact({ driver: c.logging.driver, options: nonEmptyRecord(c.logging.options) }),
  };
  return literalFields(service, 'environment');
}

/** Environment values: literal, except secrets, which compose interpolates so no plaintext is in the file. */
function environment(env: ResolvedEnvVar[]): Record<string, string> | undefined {
  return nonEmptyRecord(
    Object.fromEntries(env.map((v) => [v.name, v.source === EnvSource.SECRET ? variable(v.secret!.variable) : literal(v.value ?? '')])),
  );
}

function composeBuild(build: NonNullable<ResolvedImage['build']>, projectDir: string): ComposeBuild {
  return compact({
    context: relativeTo(projectDir, build.context),
    dockerfile: build.dockerfile,
    args: nonEmptyRecord(build.buildArgs),
    target: build.target,
  });
}

/** `dir` as compose resolves it from the compose file's directory: `.`, `./x` or `../x`. */
function relativeTo(projectDir: string, dir: string): string {
  const rel = path.relative(projectDir, dir).split(path.sep).join('/');
  if (path.isAbsolute(rel)) return rel; // another drive: only an absolute path reaches it
  return rel === '' ? '.' : rel.startsWith('../') || rel === '..' ? rel : `./${rel}`;
}

function composeHealthcheck(h: DockerHealthcheck): ComposeHealthcheck {
  return {
    test: h.test,
    interval: seconds(h.intervalSeconds),
    timeout: seconds(h.timeoutSeconds),
    retries: h.retries,
    start_period: seconds(h.startPeriodSeconds),
  };
}

const seconds = (n: number) => `${n}s`;
const protocol = (p: DockerPortPlan) => p.protocol.toLowerCase();

/** Mebibytes in compose's binary units (`M` is MiB); fractions in KiB. */
function memory(mib: number): string {
  return Number.isInteger(mib) ? `${mib}M` : `${Math.round(mib * 1024)}K`;
}
