/*
 * What needs every service at once: dependency edges (declared, and inferred from `host:port` references, since the
 * model lets a service reach only what it depends on), ports of dependencies the file leaves undeclared, variables
 * the model injects for dependencies, and host ports published twice.
 */
import { DependencyCondition, EnvValue, envPrefix, HostPortClaims, PortProps, Protocol } from '../model';
import { ImportContext, PortDraft, ServiceDraft } from './context';
import { COMPOSE_IMPORT_TOP_LEVEL } from './options';
import { wellKnownPort } from './rules';
import { importPorts } from './props';
import { show } from './values';

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
const URL_PREFIX = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/]*@)?/i;
const HOST_VALUE = /^([A-Za-z0-9._-]+)(?::(\d+))?$/;

/** Services by the host names other services use for them: compose name first, then model name, then any case. */
class Hosts {
  private readonly exact = new Map<string, ServiceDraft>();
  private readonly folded = new Map<string, ServiceDraft | 'ambiguous'>();

  constructor(drafts: ServiceDraft[]) {
    for (const d of drafts) this.exact.set(d.composeName, d);
    for (const d of drafts) if (!this.exact.has(d.name)) this.exact.set(d.name, d);
    for (const d of drafts) {
      for (const host of new Set([d.composeName.toLowerCase(), d.name])) {
        const prior = this.folded.get(host);
        this.folded.set(host, prior === undefined || prior === d ? d : 'ambiguous');
      }
    }
  }

  /** Whether `host` is exactly the compose name of a service the import renamed. */
  public renamed(host: string): boolean {
    const d = this.exact.get(host);
    return d !== undefined && d.composeName === host && d.name !== host;
  }

  /** The service `host` names, 'ambiguous' when it names two (`Web` and `web` for `WEB`), else undefined. */
  public get(host: string): ServiceDraft | 'ambiguous' | undefined {
    return this.exact.get(host) ?? this.folded.get(host.toLowerCase());
  }
}

/** Accepted edges with their adjacency, so a cycle check walks only what it needs. */
class Edges {
  public readonly list: ImportEdge[] = [];
  private readonly out = new Map<ServiceDraft, ServiceDraft[]>();
  private readonly pairs = new Set<string>();
  private readonly ids: Map<ServiceDraft, number>;

  constructor(drafts: ServiceDraft[]) {
    this.ids = new Map(drafts.map((d, i) => [d, i]));
  }

  public add(e: ImportEdge): void {
    this.list.push(e);
    this.pairs.add(this.key(e.from, e.to));
    const targets = this.out.get(e.from);
    if (targets) targets.push(e.to);
    else this.out.set(e.from, [e.to]);
  }

  public has(from: ServiceDraft, to: ServiceDraft): boolean {
    return this.pairs.has(this.key(from, to));
  }

  public from(d: ServiceDraft): ServiceDraft[] {
    return this.out.get(d) ?? [];
  }

  /** Whether `to` is reachable from `from`. */
  public reaches(from: ServiceDraft, to: ServiceDraft): boolean {
    const seen = new Set<ServiceDraft>([from]);
    const stack = [from];
    while (stack.length > 0) {
      const d = stack.pop()!;
      if (d === to) return true;
      for (const next of this.from(d)) {
        if (!seen.has(next)) {
          seen.add(next);
          stack.push(next);
        }
      }
    }
    return false;
  }

  private key(from: ServiceDraft, to: ServiceDraft): string {
    return `${this.ids.get(from)}>${this.ids.get(to)}`;
  }
}

/**
 * Strongly connected components of the candidate edges (iterative Tarjan, linear): an edge between two components
 * can never close a cycle, whichever edges are kept, so only edges inside one component need a reachability check.
 */
function components(drafts: ServiceDraft[], pairs: Array<{ from: ServiceDraft; to: ServiceDraft }>): Map<ServiceDraft, number> {
  const out = new Map<ServiceDraft, ServiceDraft[]>();
  for (const { from, to } of pairs) (out.get(from) ?? out.set(from, []).get(from)!).push(to);
  const index = new Map<ServiceDraft, number>();
  const low = new Map<ServiceDraft, number>();
  const onStack = new Set<ServiceDraft>();
  const stack: ServiceDraft[] = [];
  const component = new Map<ServiceDraft, number>();
  let next = 0;
  let count = 0;
  for (const root of drafts) {
    if (index.has(root)) continue;
    const work: Array<{ d: ServiceDraft; i: number }> = [{ d: root, i: 0 }];
    index.set(root, next);
    low.set(root, next++);
    stack.push(root);
    onStack.add(root);
    while (work.length > 0) {
      const frame = work[work.length - 1];
      const targets = out.get(frame.d) ?? [];
      if (frame.i < targets.length) {
        const t = targets[frame.i++];
        if (!index.has(t)) {
          index.set(t, next);
          low.set(t, next++);
          stack.push(t);
          onStack.add(t);
          work.push({ d: t, i: 0 });
        } else if (onStack.has(t)) low.set(frame.d, Math.min(low.get(frame.d)!, index.get(t)!));
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const parent = work[work.length - 1].d;
        low.set(parent, Math.min(low.get(parent)!, low.get(frame.d)!));
      }
      if (low.get(frame.d) === index.get(frame.d)) {
        let member: ServiceDraft;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          component.set(member, count);
        } while (member !== frame.d);
        count++;
      }
    }
  }
  return component;
}

/** Connects the drafts: checked edges, ports of dependencies, injected-variable clashes, published ports. */
export function connectServices(drafts: ServiceDraft[], ctx: ImportContext, extraPorts: Record<string, number[]>): ServiceGraph {
  const hosts = new Hosts(drafts);
  addExtraPorts(drafts, ctx, extraPorts);

  const declared = declaredEdges(drafts, ctx);
  const references = addressReferences(drafts, hosts, ctx);
  reportRenamedInCommands(drafts, hosts, ctx);
  const referencedPorts = new Map<ServiceDraft, Set<number>>();
  for (const r of references) if (r.port !== undefined) referencedPorts.set(r.to, (referencedPorts.get(r.to) ?? new Set()).add(r.port));

  const edges = new Edges(drafts);
  const component = components(drafts, [...declared, ...references]);
  const closesCycle = (from: ServiceDraft, to: ServiceDraft) => component.get(from) === component.get(to) && edges.reaches(to, from);
  const needsPorts = (from: ServiceDraft, to: ServiceDraft, field: string, inferred: boolean): boolean => {
    addReferencedPorts(to, referencedPorts.get(to), ctx);
    if (to.ports.length > 0) return true;
    const port = wellKnownPort(to.imageRef);
    if (port !== undefined) {
      to.ports.push({ port, protocol: 'tcp', field: 'expose' });
      ctx.report.info(
        to.composeName,
        'expose',
        `declares no ports; port ${port} of image ${show(to.imageRef)} is assumed, so that '${from.composeName}' can connect to it`,
      );
      return true;
    }
    const message =
      `'${to.composeName}' declares no ports (ports/expose), and the model connects a dependent only to declared ` +
      `ports: the dependency is left out; add expose: [<port>] to '${to.composeName}' or pass ports: { '${to.composeName}': [<port>] }`;
    if (inferred) ctx.report.info(from.composeName, field, message);
    else ctx.report.warn(from.composeName, field, message);
    return false;
  };

  for (const e of declared) {
    if (!needsPorts(e.from, e.to, e.field, false)) continue;
    if (closesCycle(e.from, e.to)) {
      ctx.report.error(e.from.composeName, e.field, `'${e.to.composeName}' closes a dependency cycle: that dependency is left out`);
      continue;
    }
    const healthy = e.condition === DependencyCondition.HEALTHY;
    if (healthy && !e.to.readinessProbe) {
      ctx.report.warn(
        e.from.composeName,
        e.field,
        `waits for '${e.to.composeName}' to be healthy, but '${e.to.composeName}' has no health check: waits until it has started`,
      );
    }
    edges.add({
      from: e.from,
      to: e.to,
      condition: healthy && e.to.readinessProbe ? DependencyCondition.HEALTHY : DependencyCondition.STARTED,
    });
  }
  for (const r of references) {
    if (edges.has(r.from, r.to) || closesCycle(r.from, r.to)) continue;
    if (!needsPorts(r.from, r.to, 'environment', true)) continue;
    edges.add({ from: r.from, to: r.to, condition: DependencyCondition.STARTED });
    ctx.report.info(
      r.from.composeName,
      'environment',
      `${r.variable} refers to '${r.to.composeName}': added as a dependency, since the model lets a service reach only the services ` +
        `it depends on`,
    );
  }
  for (const [to, ports] of referencedPorts) addReferencedPorts(to, ports, ctx);

  const ports = new Map(drafts.map((d) => [d, importPorts(d)]));
  for (const d of drafts) resolveInjectedClashes(d, edges.from(d), ports, ctx);
  claimPublishedPorts(drafts, ports, ctx);
  reportLostReachability(drafts, edges, ctx);
  return { edges: edges.list, ports };
}

function addExtraPorts(drafts: ServiceDraft[], ctx: ImportContext, extraPorts: Record<string, number[]>): void {
  const byName = new Map(drafts.map((d) => [d.composeName, d]));
  for (const [service, list] of Object.entries(extraPorts)) {
    const d = byName.get(service);
    if (!d) {
      ctx.report.error(
        COMPOSE_IMPORT_TOP_LEVEL,
        'ports',
        `the import option 'ports' names service ${show(service)}, which the file does not define`,
      );
      continue;
    }
    for (const port of list)
      if (!d.ports.some((p) => p.port === port && p.protocol === 'tcp')) d.ports.push({ port, protocol: 'tcp', field: 'expose' });
  }
}

/** Declared `depends_on`/`links` edges that name existing services (by their compose name), once per pair. */
function declaredEdges(drafts: ServiceDraft[], ctx: ImportContext) {
  const byName = new Map(drafts.map((d) => [d.composeName, d]));
  const out: Array<{ from: ServiceDraft; to: ServiceDraft; condition: DependencyCondition; field: string }> = [];
  for (const from of drafts) {
    const prior = new Map<ServiceDraft, (typeof out)[number]>();
    for (const dep of from.dependencies) {
      const to = byName.get(dep.service);
      if (!to || to === from) {
        ctx.report.error(
          from.composeName,
          dep.field,
          `refers to ${to ? 'the service itself' : `unknown service ${show(dep.service)}`}: left out`,
        );
        continue;
      }
      const seen = prior.get(to);
      if (!seen) {
        const edge = { from, to, condition: dep.condition, field: dep.field };
        prior.set(to, edge);
        out.push(edge);
      } else if (dep.condition === DependencyCondition.HEALTHY) seen.condition = DependencyCondition.HEALTHY;
    }
  }
  return out;
}

/** One `host[:port]` or URL token of an address value: where the host is, so that a rename can rewrite it. */
function addressOf(token: string, variable: string): { host: string; start: number; port?: number; address: boolean } | undefined {
  const url = URL_VALUE.exec(token);
  if (url)
    return {
      host: url[1],
      start: URL_PREFIX.exec(token)![0].length,
      port: url[2] === undefined ? undefined : Number(url[2]),
      address: true,
    };
  const host = HOST_VALUE.exec(token);
  return host
    ? { host: host[1], start: 0, port: host[2] === undefined ? undefined : Number(host[2]), address: ADDRESS_VARIABLE.test(variable) }
    : undefined;
}

/**
 * `host[:port]` and URL values of address variables that name another service. A service the import renamed
 * (`my_db` -> `my-db`, or `Web` -> `web-2` next to `web`) is addressed by its old name in the file: the value is
 * rewritten to the new name, reported; a secret value cannot be rewritten, so that is reported to do by hand.
 */
function addressReferences(drafts: ServiceDraft[], hosts: Hosts, ctx: ImportContext) {
  const out: Array<{ from: ServiceDraft; to: ServiceDraft; port?: number; variable: string }> = [];
  for (const from of drafts) {
    for (const [variable, env] of from.env) {
      const secret = from.secretEnvValues.get(variable);
      const value = env.value ?? secret;
      if (value === undefined) continue;
      let rewritten = false;
      const parts = value.split(/([,\s]+)/).map((token, i) => {
        if (i % 2 === 1 || token === '') return token;
        const found = addressOf(token, variable);
        // In a variable that is no address (`DB=my_db:5432`), only the exact old name of a renamed service counts.
        const address = found && (found.address || hosts.renamed(found.host)) ? found : undefined;
        const to = address ? hosts.get(address.host) : undefined;
        if (to === 'ambiguous') {
          ctx.report.warn(
            from.composeName,
            'environment',
            `${variable} refers to host ${show(address!.host)}, which names more than one service once case is ignored: it is left ` +
              `as written; write the service's new name`,
          );
          return token;
        }
        if (!to || to === from) return token;
        out.push({ from, to, port: address!.port, variable });
        if (address!.host === to.name) return token;
        if (secret !== undefined) {
          ctx.report.warn(
            from.composeName,
            'environment',
            `${variable} refers to '${address!.host}', which is renamed '${to.name}': the value is a secret, so change the host in ` +
              `it to '${to.name}' yourself`,
          );
          return token;
        }
        rewritten = true;
        return token.slice(0, address!.start) + to.name + token.slice(address!.start + address!.host.length);
      });
      if (!rewritten) continue;
      const updated = parts.join('');
      from.env.set(variable, EnvValue.fromValue(updated));
      ctx.report.info(
        from.composeName,
        'environment',
        `${variable} addresses services the import renamed: ${show(value)} becomes ${show(updated)}`,
      );
    }
  }
  return out;
}

/**
 * Commands cannot be rewritten safely (a word may be anything), so a word that addresses a renamed service by its
 * old name (`--db my_db:5432`, `http://my_db/`) is reported, once per service, key and name.
 */
function reportRenamedInCommands(drafts: ServiceDraft[], hosts: Hosts, ctx: ImportContext): void {
  for (const d of drafts) {
    for (const [field, words] of [
      ['entrypoint', d.command],
      ['command', d.args],
    ] as const) {
      const reported = new Set<string>();
      for (const token of (words ?? []).flatMap((w) => w.split(/[\s,=;'"]+/))) {
        const host = URL_VALUE.exec(token)?.[1] ?? HOST_VALUE.exec(token)?.[1];
        if (host === undefined || reported.has(host) || !hosts.renamed(host)) continue;
        reported.add(host);
        const to = hosts.get(host) as ServiceDraft;
        ctx.report.warn(
          d.composeName,
          field,
          `addresses '${host}', which is renamed '${to.name}': change it in the command (other services reach it as '${to.name}')`,
        );
      }
    }
  }
}

/** How many peers of one service a report lists by name. */
const LISTED_PEERS = 20;

/**
 * Compose lets every service on a network reach every other one there; the model lets a service reach only the
 * services it depends on. Each service that loses access to a peer gets one diagnostic listing them.
 */
function reportLostReachability(drafts: ServiceDraft[], edges: Edges, ctx: ImportContext): void {
  const members = new Map<string, ServiceDraft[]>();
  for (const d of drafts) for (const n of d.composeNetworks ?? []) (members.get(n) ?? members.set(n, []).get(n)!).push(d);
  for (const d of drafts) {
    const networks = d.composeNetworks ?? [];
    if (networks.length === 0) continue;
    const reachable = new Set(edges.from(d));
    const listed: string[] = [];
    let count = 0;
    if (networks.length === 1) {
      const peers = members.get(networks[0])!;
      count = peers.length - 1 - [...reachable].filter((p) => p !== d && (p.composeNetworks ?? []).includes(networks[0])).length;
      for (const p of peers) {
        if (listed.length >= LISTED_PEERS) break;
        if (p !== d && !reachable.has(p)) listed.push(p.composeName);
      }
    } else {
      const seen = new Set<ServiceDraft>([d]);
      for (const n of networks) {
        for (const p of members.get(n) ?? []) {
          if (seen.has(p)) continue;
          seen.add(p);
          if (reachable.has(p)) continue;
          count++;
          if (listed.length < LISTED_PEERS) listed.push(p.composeName);
        }
      }
    }
    if (count === 0) continue;
    const more = count > listed.length ? ` and ${count - listed.length} more` : '';
    ctx.report.info(
      d.composeName,
      'networks',
      `could reach ${listed.map((x) => `'${x}'`).join(', ')}${more} over compose network${networks.length > 1 ? 's' : ''} ` +
        `${networks.join(', ')} and no longer can: the model lets a service reach only the services it depends on (add depends_on ` +
        `where it connects to them)`,
    );
  }
}

function addReferencedPorts(to: ServiceDraft, ports: Set<number> | undefined, ctx: ImportContext): void {
  for (const port of ports ?? []) {
    if (to.ports.some((p) => p.port === port && p.protocol === 'tcp')) continue;
    const added: PortDraft = { port, protocol: 'tcp', field: 'expose' };
    to.ports.push(added);
    ctx.report.info(
      to.composeName,
      'expose',
      `port ${port} is not declared, but other services connect to '${to.composeName}:${port}': it is declared`,
    );
  }
}

/**
 * The model injects `<DEP>_HOST`/`_PORT`/`_URL` for every dependency and refuses a user variable of the same name
 * (e.g. `DB_HOST=db:5432` next to dependency `db`): the injected one replaces it.
 */
function resolveInjectedClashes(
  d: ServiceDraft,
  dependencies: ServiceDraft[],
  ports: Map<ServiceDraft, PortProps[]>,
  ctx: ImportContext,
): void {
  for (const to of dependencies) {
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
      ctx.report.warn(
        d.composeName,
        'environment',
        `${variable} (${was}) is replaced by the value the model injects for dependency '${to.name}', ${show(value)}`,
      );
    }
  }
}

/**
 * A host port is published by one service only (once per protocol: TCP and UDP may share it, as DNS's 53 does), and
 * never by a replicated one (replicas cannot share it).
 */
function claimPublishedPorts(drafts: ServiceDraft[], ports: Map<ServiceDraft, PortProps[]>, ctx: ImportContext): void {
  const claims = new HostPortClaims();
  for (const d of drafts) {
    ports.set(
      d,
      ports.get(d)!.map((p) => {
        if (p.publish === undefined) return p;
        const replicated = (d.replicas ?? 1) > 1;
        const protocol = p.protocol ?? Protocol.TCP;
        // Claimed as the model claims it, the Service port included (the container port: the import sets none).
        const claim = { publish: p.publish, owner: d.composeName, container: '', protocol, servicePort: p.servicePort ?? p.port };
        const other = replicated ? undefined : claims.claim(claim);
        const problem = replicated
          ? `runs ${d.replicas} replicas, which cannot share one host port`
          : other
            ? `host port ${p.publish} is already published by '${other.owner}' (the model publishes a host port once per ` +
              `protocol, by one service)`
            : undefined;
        if (!problem) return p;
        const field = d.ports.find((x) => x.port === p.port)?.field ?? 'ports';
        ctx.report.warn(
          d.composeName,
          field,
          `${problem}: container port ${p.port}/${protocol.toLowerCase()} is declared but not published`,
        );
        const { publish: _publish, ...unpublished } = p;
        return unpublished;
      }),
    );
  }
}
