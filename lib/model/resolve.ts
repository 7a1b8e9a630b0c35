/*
 * Resolution of a whole application: every concept resolves its fields and checks its rules in one pass; all
 * broken rules are thrown together, before any backend writes anything.
 */
import type { Application, ApplicationSettings } from './application';
import { MAX_SERVICES, podSecurityAdmissionRules, resolveApplicationSettings } from './application';
import { ContainerScope, resolveContainer } from './container';
import { dependencyOrder, dependentsOf, endpointResolver, resolveDependencies } from './dependencies';
import { gatewaysOf, resolveGateway } from './gateway';
import { resolveServiceIdentity, serviceNameOf } from './identity';
import { resolveLifecycle } from './lifecycle';
import { findMicroservices, MICROSERVICE_OPTIONS } from './microservice';
import { resolveMetrics } from './metrics';
import { monitoringOfServer, monitoringsOf, resolveMonitoring, withPrometheusConfig } from './monitoring';
import { PortClaim, Protocol, publishedPortRules, resolveExposure } from './ports';
import { resolvePod } from './pod';
import { resolveEgress } from './egress';
import { ResolvedApplication, ResolvedService } from './resolved';
import { resolveScaling } from './scaling';
import { resolveSidecars } from './sidecars';
import { resolveStorage } from './storage';
import { ResolvedSecretRef, secretClashRules } from './env';
import { prefixed, Report, ResolveContext, ServiceEntry, unknownOptionRules, ValidationError } from './validation';

/** Validates `app` and returns its resolved model (defaults applied, dependencies first). @internal */
export function resolveApplication(app: Application): ResolvedApplication {
  const serviceErrors: string[] = [];
  const appErrors: string[] = [];
  const settingsErrors: string[] = [];
  const into =
    (list: string[]): Report =>
    (m) =>
      void (m !== undefined && list.push(m));

  const services: ServiceEntry[] = findMicroservices(app).map((construct) => ({
    construct,
    name: serviceNameOf(construct, construct.props),
    props: construct.definition,
  }));
  if (services.length > MAX_SERVICES) {
    // Checked first: everything below is linear in services, but no application needs more.
    throw new ValidationError([`application '${app.name}': at most ${MAX_SERVICES} services, got ${services.length}`]);
  }
  const ctx: ResolveContext = { app, services, byConstruct: new Map(services.map((s) => [s.construct, s])) };
  const settings = resolveApplicationSettings(app, into(appErrors), into(settingsErrors));

  const gateways = gatewaysOf(app);
  const gatewayErrors: string[] = [];
  const resolvedGateways = gateways.map((g) => resolveGateway(g, ctx, { ...app.props, labels: settings.labels }, into(gatewayErrors)));
  const gateway = resolvedGateways[0];
  const routed = new Set(gateway?.routes.map((r) => r.service) ?? []);
  const dependents = dependentsOf(ctx);
  const volumeOwners = new Map<string, string>();
  for (const s of services) {
    // Not-a-list and not-an-object entries are reported where the service's storage resolves.
    for (const v of Array.isArray(s.props.volumes) ? s.props.volumes : [])
      if (v && !v.scratch && !volumeOwners.has(v.name)) volumeOwners.set(v.name, s.name);
  }

  const resolved = new Map<ServiceEntry, ResolvedService>();
  for (const s of services) {
    // The Prometheus server of a Monitoring is a service, but its user wrote a Monitoring: messages say so.
    const monitoring = monitoringOfServer(s.construct);
    const report = prefixed(into(serviceErrors), monitoring ? `monitoring '${monitoring.node.id}': ` : `service '${s.name}': `);
    resolved.set(
      s,
      resolveService(s, ctx, settings, { dependents: dependents.get(s.name) ?? [], routed: routed.has(s.name), volumeOwners }, report),
    );
  }

  const firstNamed = new Map<string, ServiceEntry>();
  for (const s of services) {
    const prior = firstNamed.get(s.name);
    if (prior)
      appErrors.push(`service '${s.name}': 'name' is used twice, by '${prior.construct.node.path}' and '${s.construct.node.path}'`);
    else firstNamed.set(s.name, s);
  }
  publishedPortRules(
    [
      ...[...resolved.values()].flatMap((s) =>
        [{ name: '', ports: s.ports }, ...s.sidecars].flatMap((c) =>
          c.ports
            .filter((p) => p.publish !== undefined)
            .map((p): PortClaim => {
              const claim = { publish: p.publish!, owner: `service '${s.name}'`, container: c.name, protocol: p.protocol };
              return c.name === '' ? { ...claim, servicePort: p.servicePort } : claim;
            }),
        ),
      ),
      ...gateways.flatMap((g, i): PortClaim[] =>
        g.routes.length > 0
          ? [{ publish: resolvedGateways[i].publish, owner: `gateway '${g.node.id}'`, container: '', protocol: Protocol.TCP }]
          : [],
      ),
    ],
    into(appErrors),
  );
  if (gateways.length > 1)
    appErrors.push(
      `application '${app.name}': at most one gateway, got ${gateways.length} (${gateways.map((g) => g.node.path).join(', ')})`,
    );
  appErrors.push(...gatewayErrors);
  const order = dependencyOrder(ctx, into(appErrors));
  const monitorings = monitoringsOf(app);
  const monitoring = resolveMonitoring(
    monitorings,
    app.name,
    order.map((s) => resolved.get(s)!),
    into(appErrors),
  );
  if (monitoring) {
    // The server's configuration lists the scraped services; here with their Docker names (network aliases), which
    // the Kubernetes backend replaces with its headless Services' names.
    const entry = ctx.byConstruct.get(monitorings[0].server)!;
    resolved.set(
      entry,
      withPrometheusConfig(resolved.get(entry)!, app.name, monitoring, (t) => t.service),
    );
  }
  secretClashRules([...resolved.values()].flatMap(secretRefsOf), into(appErrors));
  podSecurityAdmissionRules(
    settings,
    [...resolved.values()].flatMap((s) => [
      [`service '${s.name}':`, s.security] as [string, ResolvedService['security']],
      ...s.sidecars.map((sc): [string, ResolvedService['security']] => [`service '${s.name}': sidecar '${sc.name}'`, sc.security]),
    ]),
    into(appErrors),
  );

  const errors = [...serviceErrors, ...appErrors, ...settingsErrors];
  if (errors.length > 0) throw new ValidationError(errors);
  return {
    name: app.name,
    namespace: settings.namespace,
    labels: settings.labels,
    services: order.map((s) => resolved.get(s)!),
    gateway: gateway && gateway.routes.length > 0 ? gateway : undefined,
    ...(monitoring ? { monitoring } : {}),
    config: settings.config,
    waitImage: settings.waitImage,
    logging: settings.logging,
    acknowledgements: [
      ...app.acknowledgements,
      ...services.flatMap((s) => s.construct.acknowledgements.map((a) => ({ ...a, service: s.name }))),
    ],
    podSecurity: settings.podSecurity,
    createNamespace: settings.createNamespace,
    ...(settings.publishAddress !== undefined ? { publishAddress: settings.publishAddress } : {}),
    ...(settings.monitoringNamespace !== undefined ? { monitoringNamespace: settings.monitoringNamespace } : {}),
  };
}

/** Every secret reference of a service, with the field that holds it. */
function secretRefsOf(s: ResolvedService): Array<[ResolvedSecretRef, string]> {
  const env = (vars: ResolvedService['env'], where: string) =>
    vars.filter((v) => v.secret).map((v): [ResolvedSecretRef, string] => [v.secret!, `service '${s.name}': '${where}${v.name}'`]);
  return [
    ...env(s.env, 'env.'),
    ...s.secretFiles.map((f, i): [ResolvedSecretRef, string] => [f.secret, `service '${s.name}': 'secretFiles[${i}]'`]),
    ...s.sidecars.flatMap((sc) => env(sc.env, `sidecars[${sc.name}].env.`)),
    ...s.sidecars.flatMap((sc) =>
      sc.secretFiles.map((f, i): [ResolvedSecretRef, string] => [
        f.secret,
        `service '${s.name}': 'sidecars[${sc.name}].secretFiles[${i}]'`,
      ]),
    ),
  ];
}

/** What a service's resolution reads from the whole application. */
interface ServiceGraph {
  readonly dependents: string[];
  readonly routed: boolean;
  /** First service declaring each persistent volume name. */
  readonly volumeOwners: Map<string, string>;
}

function resolveService(
  s: ServiceEntry,
  ctx: ResolveContext,
  app: ApplicationSettings,
  graph: ServiceGraph,
  report: Report,
): ResolvedService {
  const p = s.props;
  const appProps = ctx.app.props;
  unknownOptionRules(p, MICROSERVICE_OPTIONS, undefined, report);
  const identity = resolveServiceIdentity(s.construct, s.name, p, ctx.app.name, app.labels, report);
  const scope: ContainerScope = {
    appName: ctx.app.name,
    imageOverrides: appProps.imageOverrides,
    config: app.config,
    level: 'the service',
    inheritedResources: [['the application', appProps.resources]],
    inheritedSecurity: app.security,
    endpoint: endpointResolver(s, ctx),
  };
  const main = resolveContainer(s.name, p, '', s.name, scope, report, p.volumes);
  const exposure = resolveExposure(p, main.ports, report);
  const lifecycle = resolveLifecycle(p, report);
  const scaling = resolveScaling(p, lifecycle.restartPolicy, report);
  const { dependencies, discoveryEnv } = resolveDependencies(s, ctx, new Set(Object.keys(p.env ?? {})), report);
  const storage = resolveStorage(s.name, p, (v) => graph.volumeOwners.get(v), report);
  const metrics = resolveMetrics(p.metrics, main.ports, report);
  const sidecars = resolveSidecars(
    s.name,
    s.construct.sidecars,
    main.ports,
    {
      ...scope,
      level: 'the sidecar',
      inheritedResources: [
        ['the service', p.resources],
        ['the application', appProps.resources],
      ],
      inheritedSecurity: main.security,
    },
    report,
  );
  // Object.assign, not one literal of spreads: V8 builds a spread literal of a dozen parts on its slow path (3x the
  // resolve time at 1,000 services).
  return Object.assign(
    {},
    identity,
    main,
    { env: [...main.env, ...discoveryEnv] },
    scaling,
    { dependencies, dependents: graph.dependents },
    storage,
    lifecycle,
    { sidecars, metrics },
    exposure,
    resolvePod(p, report),
    { egress: resolveEgress(p.egress, report) },
    { routed: graph.routed },
  );
}
