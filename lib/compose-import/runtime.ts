/* The keys about how a service runs: `healthcheck`, `restart`, `deploy` (replicas, resources, restart_policy). */
import { Probe, RestartPolicy } from '../model';
import { guarded, ImportContext, isMap, ServiceDraft, YamlMap } from './context';
import { COMPOSE_HEALTHCHECK_DEFAULTS } from './rules';
import { parseBoolean, parseCpuMillis, parseDuration, parseMemoryMiB, parseReplicas, show, ValueError } from './values';

/** `healthcheck`: a command readiness probe with the compose timing (and so the Docker health check). */
export function importHealthcheck(v: unknown, d: ServiceDraft, ctx: ImportContext): void {
  if (!isMap(v)) throw new ValueError(`must be a map with test, interval, timeout, retries, start_period, disable, got ${show(v)}`);
  const h = v;
  const report = (m: string) => ctx.report.warn(d.composeName, 'healthcheck', m);
  if (Array.isArray(h.test) && h.test.some((w) => typeof w !== 'string' && !(typeof w === 'number' && Number.isFinite(w)))) {
    throw new ValueError(`test must be a string or a list of strings, got ${show(h.test)}`);
  }
  const test = Array.isArray(h.test) ? h.test.map(String) : typeof h.test === 'string' ? ['CMD-SHELL', h.test] : undefined;
  const disabled = h.disable === undefined ? false : parseBoolean(h.disable);
  if (disabled || test?.[0] === 'NONE') {
    ctx.report.info(
      d.composeName,
      'healthcheck',
      'is disabled: the service gets no health check (an image HEALTHCHECK may still apply in Docker)',
    );
    return;
  }
  if (!test || test.length < 2 || !['CMD', 'CMD-SHELL'].includes(test[0])) {
    report(`test ${show(h.test)} is not ["CMD", ...], ["CMD-SHELL", "..."] or a string: no health check is imported`);
    return;
  }
  // CMD-SHELL runs the string with the image's shell, as Docker does.
  const command = test[0] === 'CMD' ? test.slice(1) : ['/bin/sh', '-c', test.slice(1).join(' ')];
  const seconds = (key: string, fallback: number, min: number) => {
    if (h[key] === undefined) return fallback;
    try {
      return Math.max(min, Math.ceil(parseDuration(h[key])));
    } catch (e) {
      report(`${key} ${(e as Error).message}: Docker's default ${fallback}s is used`);
      return fallback;
    }
  };
  const retries =
    h.retries === undefined
      ? COMPOSE_HEALTHCHECK_DEFAULTS.retries
      : typeof h.retries === 'number' || (typeof h.retries === 'string' && /^\s*\d{1,9}\s*$/.test(h.retries))
        ? Number(h.retries)
        : NaN;
  if (!Number.isInteger(retries) || retries < 1 || retries > MAX_RETRIES)
    report(`retries must be an integer in 1..${MAX_RETRIES}, got ${show(h.retries)}: ${COMPOSE_HEALTHCHECK_DEFAULTS.retries} is used`);
  for (const key of Object.keys(h).filter((k) => !['test', 'interval', 'timeout', 'retries', 'start_period', 'disable'].includes(k))) {
    ctx.report.notCarried(d.composeName, `healthcheck.${key}`);
  }
  // Docker's defaults where the file is silent, so the check keeps its compose timing (the model's differ).
  d.readinessProbe = Probe.command(command, {
    periodSeconds: seconds('interval', COMPOSE_HEALTHCHECK_DEFAULTS.intervalSeconds, 1),
    timeoutSeconds: seconds('timeout', COMPOSE_HEALTHCHECK_DEFAULTS.timeoutSeconds, 1),
    failureThreshold: Number.isInteger(retries) && retries >= 1 && retries <= MAX_RETRIES ? retries : COMPOSE_HEALTHCHECK_DEFAULTS.retries,
    initialDelaySeconds: seconds('start_period', COMPOSE_HEALTHCHECK_DEFAULTS.startPeriodSeconds, 0),
  });
}

/** `restart` / `deploy.restart_policy.condition` as a RestartPolicy. */
export function restartPolicy(value: string, d: ServiceDraft, field: string, ctx: ImportContext): RestartPolicy | undefined {
  const [policy, retries] = value.split(':');
  switch (policy) {
    case 'no':
    case 'none':
      return RestartPolicy.NEVER;
    case 'always':
    case 'any':
      return RestartPolicy.ALWAYS;
    case 'unless-stopped':
      ctx.report.info(d.composeName, field, 'unless-stopped becomes always: orchestrators restart a service until it is removed');
      return RestartPolicy.ALWAYS;
    case 'on-failure':
      if (retries) ctx.report.notCarried(d.composeName, field, `the retry limit ${retries} (the model retries without limit)`);
      return RestartPolicy.ON_FAILURE;
    default:
      ctx.report.error(d.composeName, field, `unknown restart policy ${show(value)}: the default (always) is used`);
      return undefined;
  }
}

/** Largest health check `retries` (Kubernetes' failureThreshold is a 32-bit integer; no check needs more). */
const MAX_RETRIES = 1000;

/**
 * `scale` / `deploy.replicas`: an integer in 0..MAX_REPLICAS (1000), checked before anything is created for it, so
 * `replicas: 1000000000` (or `${REPLICAS}` set so) is an error at once, not minutes of work and gigabytes.
 */
export function setReplicas(v: unknown, d: ServiceDraft, field: string, ctx: ImportContext): void {
  try {
    d.replicas = parseReplicas(v);
  } catch (e) {
    if (!(e instanceof ValueError)) throw e;
    ctx.report.error(d.composeName, field, `${e.message}: it is left out`);
  }
}

/** `deploy`: replicas, resources and restart_policy; the Swarm-only rest is reported. */
export function importDeploy(v: unknown, d: ServiceDraft, ctx: ImportContext): void {
  if (!isMap(v)) throw new ValueError(`must be a map (replicas, resources, restart_policy, ...), got ${show(v)}`);
  for (const [key, value] of Object.entries(v)) {
    if (key === 'replicas') setReplicas(value, d, 'deploy.replicas', ctx);
    else if ((key === 'resources' || key === 'restart_policy') && !isMap(value)) {
      ctx.report.error(d.composeName, `deploy.${key}`, `must be a map, got ${show(value)}: it is left out`);
    } else if (key === 'resources' && isMap(value)) importResources(value, d, ctx);
    else if (key === 'restart_policy' && isMap(value)) {
      if (value.condition !== undefined && typeof value.condition !== 'string')
        ctx.report.error(
          d.composeName,
          'deploy.restart_policy',
          `condition must be none, on-failure or any, got ${show(value.condition)}: it is left out`,
        );
      else if (value.condition !== undefined)
        d.restartPolicy = restartPolicy(value.condition, d, 'deploy.restart_policy', ctx) ?? d.restartPolicy;
      for (const k of Object.keys(value).filter((x) => x !== 'condition'))
        ctx.report.notCarried(d.composeName, `deploy.restart_policy.${k}`);
    } else ctx.report.notCarried(d.composeName, `deploy.${key}`);
  }
}

function importResources(r: YamlMap, d: ServiceDraft, ctx: ImportContext): void {
  const levels: Array<['limits' | 'reservations', 'limit' | 'request']> = [
    ['limits', 'limit'],
    ['reservations', 'request'],
  ];
  for (const [level, slot] of levels) {
    if (r[level] !== undefined && r[level] !== null && !isMap(r[level])) {
      ctx.report.error(d.composeName, `deploy.resources.${level}`, `must be a map (cpus, memory), got ${show(r[level])}: it is left out`);
      continue;
    }
    const values = isMap(r[level]) ? (r[level] as YamlMap) : {};
    for (const [key, value] of Object.entries(values)) {
      const field = `deploy.resources.${level}.${key}`;
      if (key === 'cpus') guarded(() => (d.cpu[slot] = parseCpuMillis(value)), d, field, ctx);
      else if (key === 'memory') guarded(() => (d.memory[slot] = parseMemoryMiB(value)), d, field, ctx);
      else ctx.report.notCarried(d.composeName, field);
    }
  }
  for (const key of Object.keys(r).filter((k) => k !== 'limits' && k !== 'reservations'))
    ctx.report.notCarried(d.composeName, `deploy.resources.${key}`);
}
