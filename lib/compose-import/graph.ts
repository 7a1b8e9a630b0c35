/*
 * What needs every service at once: dependency edges (declared, and inferred from `host:port` references, since the
 * model lets a service reach only what it depends on), ports of dependencies the file leaves undeclared, variables
 * the model injects for dependencies, and host ports published twice.
 */
import { DependencyCondition, envPrefix, PortProps } from '../model';
import { ImportContext, PortDraft, ServiceDraft } from './context';
import { COMPOSE_IMPORT_TOP_LEVEL } from './options';
import { wellKnownPort } from './rules';
import { importPorts } from './props';

const show = (v: unknown) => JSON.stringify(v);

/** A dependency edge between two imported services. */
export interface ImportEdge {
  readonly from: ServiceDraft;
  readonly to: ServiceDraft;
  readonly condition: DependencyCondition;
}

/** The edges and the final ports of every service. */
export interface ServiceGraph {
  readonly edges: ImportEdge[];
  readonly ports: Map<ServiceDraft, PortProps[]>;
}

/** Variable names that hold an address, whose `host[:port]` values name other services. */
const ADDRESS_VARIABLE = /(HOST|ADDR|SERVER|ENDPOINT|URL|URI|DSN|BROKER|UPSTREAM)/i;
const URL_VALUE = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/]*@)?([A-Za-z0-9._-]+)(?::(\d+))?(?:[/?#].*)?$/i;
const HOST_VALUE = /^([A-Za-z0-9._-]+)(?::(\d+))?$/;

/** Connects the drafts: checked edges, ports of dependencies, injected-variable clashes, published ports. */
export function connectServices(drafts: ServiceDraft[], ctx: ImportContext, extraPorts: Record<string, number[]>): ServiceGraph {
  const byHost = new Map<string, ServiceDraft>();
  for (const d of drafts) for (const host of [d.composeName, d.name]) byHost.set(host.toLowerCase(), d);
  addExtraPorts(drafts, ctx, extraPorts);

  const declared = declaredEdges(drafts, byHost, ctx);
  const references = addressReferences(drafts, byHost);
  const referencedPorts = new Map<ServiceDraft, Set<number>>();
  for (const r of references) if (r.port !== undefined) referencedPorts.set(r.to, (referencedPorts.get(r.to) ?? new Set()).add(r.port));

  const edges: ImportEdge[] = [];
  const addEdge = (e: ImportEdge) => edges.push(e);
  const needsPorts = (from: ServiceDraft, to: ServiceDraft, field: string, inferred: boolean): boolean => {
    addReferencedPorts(to, referencedPorts.get(to), ctx);
    if (to.ports.length > 0) return true;
    const port = wellKnownPort(to.imageRef);
    if (port !== undefined) {
      to.ports.push({ port, protocol: 'tcp', field: 'expose' });
      ctx.report.info(to.composeName, 'expose', `declares no ports; port ${port} of image ${show(to.imageRef)} is assumed, so that '${from.composeName}' can connect to it`);
      return true;
    }
    const message = `'${to.composeName}' declares no ports (ports/expose), and the model connects a dependent only to declared ports: the dependency is left out; add expose: [<port>] to '${to.composeName}' or pass ports: { '${to.composeName}': [<port>] }`;
    if (inferred) ctx.report.info(from.composeName, field, message);
    else ctx.report.warn(from.composeName, field, message);
    return false;
  };

  for (const e of declared) {
    if (!needsPorts(e.from, e.to, e.field, false)) continue;
    if (reaches(edges, e.to, e.from)) {
      ctx.report.error(e.from.composeName, e.field, `'${e.to.composeName}' closes a dependency cycle: that dependency is left out`);
      continue;
    }
    const healthy = e.condition === DependencyCondition.HEALTHY;
    if (healthy && !e.to.readinessProbe) {
      ctx.report.warn(e.from.composeName, e.field, `waits for '${e.to.composeName}' to be healthy, but '${e.to.composeName}' has no health check: waits until it has started`);
    }
    addEdge({ from: e.from, to: e.to, condition: healthy && e.to.readinessProbe ? DependencyCondition.HEALTHY : DependencyCondition.STARTED });
  }
  for (const r of references) {
    if (edges.some((e) => e.from === r.from && e.to === r.to) || reaches(edges, r.to, r.from)) continue;
    if (!needsPorts(r.from, r.to, 'environment', true)) continue;
    addEdge({ from: r.from, to: r.to, condition: DependencyCondition.STARTED });
    ctx.report.info(r.from.composeName, 'environment', `${r.variable} refers to '${r.to.composeName}': added as a dependency, since the model lets a service reach only the services it depends on`);
  }
  for (const [to, ports] of referencedPorts) addReferencedPorts(to, ports, ctx);

  const ports = new Map(drafts.map((d) => [d, importPorts(d)]));
  for (const d of drafts) resolveInjectedClashes(d, edges.filter((e) => e.from === d), ports, ctx);
  claimPublishedPorts(drafts, ports, ctx);
  return { edges, ports };
}

function addExtraPorts(drafts: ServiceDraft[], ctx: ImportContext, extraPorts: Record<string, number[]>): void {
  for (const [service, list] of Object.entries(extraPorts)) {
    const d = drafts.find((x) => x.composeName === service);
    if (!d) {
      ctx.report.error(COMPOSE_IMPORT_TOP_LEVEL, 'ports', `the import option 'ports' names service ${show(service)}, which the file does not define`);
      continue;
    }
    for (const port of list) if (!d.ports.some((p) => p.port === port && p.protocol === 'tcp')) d.ports.push({ port, protocol: 'tcp', field: 'expose' });
  }
}

/** Declared `depends_on`/`links` edges that name existing services, once per pair. */
function declaredEdges(drafts: ServiceDraft[], byHost: Map<string, ServiceDraft>, ctx: ImportContext) {
  const out: Array<{ from: ServiceDraft; to: ServiceDraft; condition: DependencyCondition; field: string }> = [];
  for (const from of drafts) {
    for (const dep of from.dependencies) {
      const to = drafts.find((d) => d.composeName === dep.service) ?? byHost.get(dep.service.toLowerCase());
      if (!to || to === from) {
        ctx.report.error(from.composeName, dep.field, `refers to ${to ? 'the service itself' : `unknown service ${show(dep.service)}`}: left out`);
        continue;
      }
      const prior = out.find((e) => e.from === from && e.to === to);
      if (!prior) out.push({ from, to, condition: dep.condition, field: dep.field });
      else if (dep.condition === DependencyCondition.HEALTHY) prior.condition = DependencyCondition.HEALTHY;
    }
  }
  return out;
}

/** `host[:port]` and URL values of address variables that name another service. */
function addressReferences(drafts: ServiceDraft[], byHost: Map<string, ServiceDraft>) {
  const out: Array<{ from: ServiceDraft; to: ServiceDraft; port?: number; variable: string }> = [];
  for (const from of drafts) {
    for (const [variable, value] of from.env) {
      if (value.value === undefined) continue;
      for (const token of value.value.split(/[,\s]+/).filter(Boolean)) {
        const match = URL_VALUE.exec(token) ?? (ADDRESS_VARIABLE.test(variable) ? HOST_VALUE.exec(token) : null);
        const to = match ? byHost.get(match[1].toLowerCase()) : undefined;
        if (!to || to === from) continue;
        out.push({ from, to, port: match![2] === undefined ? undefined : Number(match![2]), variable });
      }
    }
  }
  return out;
}

function addReferencedPorts(to: ServiceDraft, ports: Set<number> | undefined, ctx: ImportContext): void {
  for (const port of ports ?? []) {
    if (to.ports.some((p) => p.port === port && p.protocol === 'tcp')) continue;
    const added: PortDraft = { port, protocol: 'tcp', field: 'expose' };
    to.ports.push(added);
    ctx.report.info(to.composeName, 'expose', `port ${port} is not declared, but other services connect to '${to.composeName}:${port}': it is declared`);
  }
}

/** Whether `to` is reachable from `from` over `edges`. */
function reaches(edges: ImportEdge[], from: ServiceDraft, to: ServiceDraft): boolean {
  const seen = new Set<ServiceDraft>();
  const stack = [from];
  while (stack.length > 0) {
    const d = stack.pop()!;
    if (d === to) return true;
    if (seen.has(d)) continue;
    seen.add(d);
    stack.push(...edges.filter((e) => e.from === d).map((e) => e.to));
  }
  return false;
}

/**
 * The model injects `<DEP>_HOST`/`_PORT`/`_URL` for every dependency and refuses a user variable of the same name
 * (e.g. `DB_HOST=db:5432` next to dependency `db`): the injected one replaces it.
 */
function resolveInjectedClashes(d: ServiceDraft, edges: ImportEdge[], ports: Map<ServiceDraft, PortProps[]>, ctx: ImportContext): void {
  for (const { to } of edges) {
    const first = ports.get(to)![0];
    const scheme = first.appProtocol ?? (first.name === 'http' ? 'http' : undefined);
    const injected: Record<string, string | undefined> = {
      HOST: to.name,
      PORT: String(first.port),
      URL: scheme && `${scheme}://${to.name}:${first.port}`,
    };
    for (const [suffix, value] of Object.entries(injected)) {
      const variable = `${envPrefix(to.name)}_${suffix}`;
      const own = d.env.get(variable);
      if (!own || value === undefined) continue;
      d.env.delete(variable);
      if (own.value === value) continue;
      const was = own.value === undefined ? 'a secret reference' : show(own.value);
      ctx.report.warn(d.composeName, 'environment', `${variable} (${was}) is replaced by the value the model injects for dependency '${to.name}', ${show(value)}`);
    }
  }
}

/** A host port is published by one service only, and never by a replicated one (replicas cannot share it). */
function claimPublishedPorts(drafts: ServiceDraft[], ports: Map<ServiceDraft, PortProps[]>, ctx: ImportContext): void {
  const owners = new Map<number, string>();
  for (const d of drafts) {
    ports.set(d, ports.get(d)!.map((p) => {
      if (p.publish === undefined) return p;
      const owner = owners.get(p.publish);
      const problem = (d.replicas ?? 1) > 1
        ? `runs ${d.replicas} replicas, which cannot share one host port`
        : owner !== undefined ? `host port ${p.publish} is already published by '${owner}' (the model publishes a host port once, whatever the protocol)` : undefined;
      if (!problem) {
        owners.set(p.publish, d.composeName);
        return p;
      }
      const field = d.ports.find((x) => x.port === p.port)?.field ?? 'ports';
      ctx.report.warn(d.composeName, field, `${problem}: container port ${p.port}/${(p.protocol ?? 'TCP').toLowerCase()} is declared but not published`);
      const { publish: _publish, ...unpublished } = p;
      return unpublished;
    }));
  }
}
