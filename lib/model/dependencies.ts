/*
 * Dependencies: which services a service needs, when it may start, the discovery variables it gets, and the
 * dependency graph (cycles, dependents, start order).
 */
import type { Microservice } from './microservice';
import { EndpointForm, EndpointResolver, EnvSource, EnvValue, ResolvedEnvVar } from './env';
import { envPrefix } from './names';
import { healthProbe } from './probes';
import { portsOf, ResolvedPort } from './ports';
import { OptionNames, ResolveContext, ServiceEntry, Report, show } from './validation';

/** When a dependent may start. */
export enum DependencyCondition {
  /** As soon as the dependency's port accepts connections (Kubernetes) / its container started (Docker). */
  STARTED = 'started',
  /** Only once the dependency's health check passes. */
  HEALTHY = 'healthy',
}

/** Options of {@link Microservice.addDependency}. */
export interface DependencyOptions {
  /**
   * When the dependent may start.
   * @default DependencyCondition.HEALTHY when the dependency has a health check, else STARTED
   */
  readonly condition?: DependencyCondition;
  /**
   * Whether the dependent waits for the dependency at all. `false` is for apps that retry on their own: no wait
   * init container in Kubernetes; Docker targets only start it after the dependency's container (condition
   * started). Discovery variables and NetworkPolicies stay.
   * @default true
   */
  readonly wait?: boolean;
}

/** A declared dependency edge. */
export interface DependencyEdge {
  readonly service: Microservice;
  readonly condition?: DependencyCondition;
  readonly wait?: boolean;
}

/** The dependencies of a service. */
export interface DependencyProps {
  /**
   * Services this one needs; each gives `<DEP>_HOST`, `<DEP>_PORT` (and `<DEP>_URL`) variables and may reach
   * only them. Use `addDependency` to choose the start condition.
   * @default []
   */
  readonly dependsOn?: Microservice[];
}

export const DEPENDENCY_OPTIONS: OptionNames<DependencyProps> = { dependsOn: true };
/** The options `addDependency` takes. */
export const ADD_DEPENDENCY_OPTIONS: OptionNames<DependencyOptions> = { condition: true, wait: true };

export interface ResolvedDependency {
  /** Name of the service depended on. */
  readonly service: string;
  readonly condition: DependencyCondition;
  /** Whether the dependent waits for it (a Kubernetes init container; Docker: its condition). */
  readonly wait: boolean;
  /** Host, port and env prefix dependents get. */
  readonly host: string;
  /** The dependency's first container port (what Docker clients reach). */
  readonly port: number;
  /** Its Kubernetes Service port (what Kubernetes clients reach): `port` unless the port sets `servicePort`. */
  readonly servicePort: number;
  readonly envPrefix: string;
}

export interface ResolvedDependencies {
  /** Declared dependencies, in declaration order (their env vars are already in `env`). */
  readonly dependencies: ResolvedDependency[];
  /** The `<DEP>_HOST`, `<DEP>_PORT` and `<DEP>_URL` variables. */
  readonly discoveryEnv: ResolvedEnvVar[];
}

/** Resolves the dependencies of `s`; `userEnv` are the variable names the service sets itself. @internal */
export function resolveDependencies(s: ServiceEntry, ctx: ResolveContext, userEnv: Set<string>, report: Report): ResolvedDependencies {
  const dependencies: ResolvedDependency[] = [];
  const discoveryEnv: ResolvedEnvVar[] = [];
  const edges = s.construct.dependsOn;
  const own: Record<string, unknown> = s.props.env ?? {};
  for (const { service } of edges) {
    // Injected discovery variables must not be shadowed by the user's own, unless the user's is an address of
    // that same dependency (`DB_HOST: EnvValue.fromEndpoint(db, { form: 'host' })`), which then replaces it.
    const dep = ctx.byConstruct.get(service);
    if (!dep) continue;
    const prefix = envPrefix(dep.name);
    for (const x of ['HOST', 'PORT', 'URL']) {
      const v = own[`${prefix}_${x}`];
      if (userEnv.has(`${prefix}_${x}`) && !(v instanceof EnvValue && v.endpoint?.service === service)) {
        report(`'env.${prefix}_${x}' clashes with the variable injected for dependency '${dep.name}'`);
      }
    }
  }
  for (const { service, condition, wait } of edges) {
    const dep = ctx.byConstruct.get(service);
    if (service === s.construct) {
      report(`'dependsOn' must not contain the service itself, got '${s.name}'`);
      continue;
    }
    if (!dep) {
      report(`'dependsOn' refers to '${service.node.path}' which is outside application '${ctx.app.name}'`);
      continue;
    }
    const port = portsOf(dep.props)[0];
    if (!port) {
      report(`'dependsOn' refers to '${dep.name}' which declares no ports to connect to`);
      continue;
    }
    const hasHealth = !!healthProbe(dep.props);
    if (wait !== undefined && typeof wait !== 'boolean')
      report(`'addDependency' option 'wait' for '${dep.name}' must be a boolean, got ${show(wait)}`);
    if (wait === false && condition === DependencyCondition.HEALTHY)
      report(`'addDependency' for '${dep.name}' sets wait false and condition healthy; choose one`);
    if (condition === DependencyCondition.HEALTHY && !hasHealth) {
      report(`'dependsOn' waits for '${dep.name}' to be healthy but '${dep.name}' has no probe or healthcheck`);
    }
    const d: ResolvedDependency = {
      service: dep.name,
      condition:
        wait === false
          ? DependencyCondition.STARTED
          : (condition ?? (hasHealth ? DependencyCondition.HEALTHY : DependencyCondition.STARTED)),
      wait: wait !== false,
      host: dep.name,
      port: port.port,
      servicePort: port.servicePort,
      envPrefix: envPrefix(dep.name),
    };
    dependencies.push(d);
    discoveryEnv.push(
      ...[
        { name: `${d.envPrefix}_HOST`, source: EnvSource.VALUE, value: d.host },
        endpointVar(`${d.envPrefix}_PORT`, (n) => String(n), port),
        ...(port.appProtocol ? [endpointVar(`${d.envPrefix}_URL`, (n) => `${port.appProtocol}://${d.host}:${n}`, port)] : []),
      ].filter((v) => !userEnv.has(v.name)),
    );
  }
  return { dependencies, discoveryEnv };
}

/**
 * A variable holding an address of `port`: `format` of its Service port (Kubernetes), with the container port as
 * `dockerValue` when they differ. @internal
 */
export function endpointVar(name: string, format: (port: number) => string, port: ResolvedPort): ResolvedEnvVar {
  const value = format(port.servicePort);
  const docker = format(port.port);
  return docker === value ? { name, source: EnvSource.VALUE, value } : { name, source: EnvSource.VALUE, value, dockerValue: docker };
}

const ENDPOINT_FORMS = Object.values(EndpointForm) as string[];

/**
 * Resolves `EnvValue.fromEndpoint` values of service `self`: the Kubernetes value uses the Service port, the
 * Docker value (when it differs) the container port. @internal
 */
export function endpointResolver(self: ServiceEntry, ctx: ResolveContext): EndpointResolver {
  return (name, ref, where, report) => {
    const dep = ctx.byConstruct.get(ref.service);
    const form = ref.options.form ?? EndpointForm.HOST_PORT;
    if (!ENDPOINT_FORMS.includes(form)) {
      report(`'${where}' form must be one of ${ENDPOINT_FORMS.join(', ')}, got ${show(form)}`);
      return undefined;
    }
    if (!dep) {
      report(
        `'${where}' refers to ` +
          `${ref.service?.node ? `'${ref.service.node.path}' which is outside application '${ctx.app.name}'` : show(ref.service)}`,
      );
      return undefined;
    }
    if (dep === self) {
      report(`'${where}' refers to the service itself`);
      return undefined;
    }
    const ports = portsOf(dep.props);
    const wanted = ref.options.port;
    const port = wanted === undefined ? ports[0] : ports.find((p) => (typeof wanted === 'number' ? p.port === wanted : p.name === wanted));
    if (!port) {
      report(
        wanted === undefined
          ? `'${where}' refers to '${dep.name}' which declares no ports`
          : `'${where}' refers to port ${show(wanted)} of '${dep.name}' which declares ports ` +
              `${show(ports.map((p) => `${p.name} (${p.port})`))}`,
      );
      return undefined;
    }
    if (form === EndpointForm.HOST) return { name, source: EnvSource.VALUE, value: dep.name };
    if (form === EndpointForm.PORT) return endpointVar(name, (n) => String(n), port);
    if (form === EndpointForm.HOST_PORT) return endpointVar(name, (n) => `${dep.name}:${n}`, port);
    if (!port.appProtocol) {
      report(
        `'${where}' asks for a url but port ${port.port} of '${dep.name}' has no appProtocol (its scheme); set 'appProtocol' on the ` +
          `port or use form hostPort`,
      );
      return undefined;
    }
    return endpointVar(name, (n) => `${port.appProtocol}://${dep.name}:${n}`, port);
  };
}

/** Names of the services that depend on each service. @internal */
export function dependentsOf(ctx: ResolveContext): Map<string, string[]> {
  const dependents = new Map<string, string[]>(ctx.services.map((s) => [s.name, []]));
  for (const s of ctx.services) {
    for (const d of s.construct.dependsOn) {
      const dep = ctx.byConstruct.get(d.service);
      if (dep) dependents.get(dep.name)?.push(s.name);
    }
  }
  return dependents;
}

/**
 * Dependency cycles, each shown as a path `a -> b -> a`, and otherwise the services with dependencies before
 * dependents (ties keep definition order). Iterative, linear in services + edges: deep chains cannot overflow.
 * @internal
 */
export function dependencyOrder(ctx: ResolveContext, report: Report): ServiceEntry[] {
  const order: ServiceEntry[] = [];
  const state = new Map<ServiceEntry, 'visiting' | 'done'>();
  const depsOf = (s: ServiceEntry) =>
    s.construct.dependsOn.map(({ service }) => ctx.byConstruct.get(service)).filter((d): d is ServiceEntry => !!d && d !== s);
  for (const root of ctx.services) {
    if (state.has(root)) continue;
    const stack: Array<{ s: ServiceEntry; deps: ServiceEntry[]; next: number }> = [{ s: root, deps: depsOf(root), next: 0 }];
    state.set(root, 'visiting');
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      if (top.next < top.deps.length) {
        const d = top.deps[top.next++];
        const st = state.get(d);
        if (st === 'done') continue;
        if (st === 'visiting') {
          const from = stack.findIndex((f) => f.s === d);
          const cycle = [...stack.slice(from).map((f) => f.s), d].map((x) => x.name);
          report(`service '${d.name}': 'dependsOn' forms a cycle: ${cycle.join(' -> ')}`);
          continue;
        }
        state.set(d, 'visiting');
        stack.push({ s: d, deps: depsOf(d), next: 0 });
      } else {
        stack.pop();
        state.set(top.s, 'done');
        order.push(top.s);
      }
    }
  }
  return order;
}
