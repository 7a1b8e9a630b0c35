import { Gateway, IngressSource, Protocol, ServiceType } from '../../lib/model';
import { all, find, httpService, newApp, synth, worker } from './helpers';

const pods = (app: string, name: string) => ({
  podSelector: { matchLabels: { 'app.kubernetes.io/name': name, 'app.kubernetes.io/part-of': app } },
});

describe('NetworkPolicies', () => {
  test('a default-deny ingress policy selects every pod of the application', () => {
    const app = newApp({ namespace: 'shop' }, 'shop');
    httpService(app, 'web');
    const deny = find(synth(app).objects, 'NetworkPolicy', 'shop-default-deny');
    expect(deny.metadata.namespace).toBe('shop');
    expect(deny.spec).toEqual({
      podSelector: { matchLabels: { 'app.kubernetes.io/part-of': 'shop' } },
      policyTypes: ['Egress', 'Ingress'],
    });
  });

  test('a service accepts its ports only from the services that depend on it', () => {
    const app = newApp();
    const db = httpService(app, 'db', { ports: [{ port: 5432 }, { port: 5353, protocol: Protocol.UDP }] });
    httpService(app, 'users', { dependsOn: [db] });
    worker(app, 'reports', { dependsOn: [db] });
    httpService(app, 'unrelated');
    const { objects } = synth(app);
    const allow = find(objects, 'NetworkPolicy', 'db-ingress');
    const ports = [
      { port: 5432, protocol: 'TCP' },
      { port: 5353, protocol: 'UDP' },
    ];
    expect(allow.spec).toEqual({
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'db', 'app.kubernetes.io/part-of': 'app' } },
      policyTypes: ['Ingress'],
      ingress: [
        { from: [pods('app', 'users')], ports },
        { from: [pods('app', 'reports')], ports },
      ],
    });
    // Allow policies are ingress only; egress has its own per-service policies (test/k8s/egress.test.ts).
    for (const p of all(objects, 'NetworkPolicy').filter((x) => x.metadata.name.endsWith('-ingress')))
      expect(p.spec.policyTypes).toEqual(['Ingress']);
    // Nobody depends on these, so the default deny is all they get.
    expect(
      objects.find(
        (o) => o.kind === 'NetworkPolicy' && ['users-ingress', 'unrelated-ingress', 'reports-ingress'].includes(o.metadata.name),
      ),
    ).toBeUndefined();
  });

  test('routed services also accept the routed ports from the ingress controller namespace', () => {
    const app = newApp();
    const web = httpService(app, 'web', {
      ports: [
        { port: 8080, name: 'http' },
        { port: 9090, name: 'metrics' },
      ],
    });
    httpService(app, 'bff', { dependsOn: [web] });
    new Gateway(app, 'gateway', { controllerNamespace: 'traefik', routes: [{ path: '/', service: web }] });
    const allow = find(synth(app).objects, 'NetworkPolicy', 'web-ingress');
    expect(allow.spec.ingress).toEqual([
      {
        from: [pods('app', 'bff')],
        ports: [
          { port: 8080, protocol: 'TCP' },
          { port: 9090, protocol: 'TCP' },
        ],
      },
      {
        from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'traefik' } }, podSelector: {} }],
        ports: [{ port: 8080, protocol: 'TCP' }],
      },
    ]);
  });

  test('the ingress controller namespace defaults to ingress-nginx', () => {
    const app = newApp();
    const web = httpService(app, 'web');
    new Gateway(app, 'gateway', { routes: [{ path: '/', service: web }] });
    const allow = find(synth(app).objects, 'NetworkPolicy', 'web-ingress');
    expect(allow.spec.ingress).toEqual([
      {
        from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } }, podSelector: {} }],
        ports: [{ port: 8080, protocol: 'TCP' }],
      },
    ]);
  });

  test('metrics ports are not opened silently', () => {
    const app = newApp();
    httpService(app, 'web', {
      ports: [
        { port: 8080, name: 'http' },
        { port: 9090, name: 'metrics' },
      ],
      metrics: { port: 9090 },
    });
    const { objects } = synth(app);
    expect(
      all(objects, 'NetworkPolicy')
        .map((p) => p.metadata.name)
        .filter((n) => !n.endsWith('-egress')),
    ).toEqual(['app-default-deny']);
  });

  test('a LoadBalancer or NodePort service admits any source on its ports by default, and says so', () => {
    for (const serviceType of [ServiceType.LOAD_BALANCER, ServiceType.NODE_PORT]) {
      const app = newApp();
      const web = httpService(app, 'web', {
        serviceType,
        ports: [
          { port: 8080, name: 'http', publish: 30080 },
          { port: 9090, name: 'admin' },
        ],
      });
      httpService(app, 'bff', { dependsOn: [web] });
      const { objects, chart } = synth(app);
      const allow = find(objects, 'NetworkPolicy', 'web-ingress');
      const ports = [
        { port: 8080, protocol: 'TCP' },
        { port: 9090, protocol: 'TCP' },
      ];
      expect(allow.spec.policyTypes).toEqual(['Ingress']);
      // A rule without `from` admits every source, load balancers and node addresses included.
      expect(allow.spec.ingress).toEqual([{ from: [pods('app', 'bff')], ports }, { ports }]);
      const d = chart.diagnostics.find((x) => x.field === 'ingressFrom')!;
      expect(d.service).toBe('web');
      expect(d.message).toContain('admits traffic from any source on port(s) 8080, 9090');
    }
  });

  test('an exposed service nobody depends on still gets its open policy', () => {
    const app = newApp();
    httpService(app, 'web', { serviceType: ServiceType.LOAD_BALANCER });
    const allow = find(synth(app).objects, 'NetworkPolicy', 'web-ingress');
    expect(allow.spec).toEqual({
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'web', 'app.kubernetes.io/part-of': 'app' } },
      policyTypes: ['Ingress'],
      ingress: [{ ports: [{ port: 8080, protocol: 'TCP' }] }],
    });
  });

  test('ingressFrom narrows the outside sources to CIDR blocks and namespaces', () => {
    const app = newApp();
    httpService(app, 'web', {
      serviceType: ServiceType.LOAD_BALANCER,
      ingressFrom: [IngressSource.cidr('10.0.0.0/8'), IngressSource.cidr('fd00::/8'), IngressSource.namespace('ingress-nginx')],
    });
    const { objects, chart } = synth(app);
    const ports = [{ port: 8080, protocol: 'TCP' }];
    expect(find(objects, 'NetworkPolicy', 'web-ingress').spec.ingress).toEqual([
      { from: [{ ipBlock: { cidr: '10.0.0.0/8' } }], ports },
      { from: [{ ipBlock: { cidr: 'fd00::/8' } }], ports },
      { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } }, podSelector: {} }], ports },
    ]);
    expect(chart.diagnostics.find((x) => x.field === 'ingressFrom')!.message).toBe(
      'its NetworkPolicy admits traffic from 10.0.0.0/8, fd00::/8, namespace ingress-nginx on port(s) 8080',
    );
  });

  test('ingressFrom: [] keeps an exposed service to its dependents; a ClusterIP service admits nobody outside by default', () => {
    const app = newApp();
    httpService(app, 'web', { serviceType: ServiceType.NODE_PORT, ingressFrom: [] });
    httpService(app, 'api');
    const { objects, chart } = synth(app);
    expect(
      all(objects, 'NetworkPolicy')
        .map((p) => p.metadata.name)
        .filter((n) => !n.endsWith('-egress')),
    ).toEqual(['app-default-deny']);
    expect(chart.diagnostics.filter((x) => x.field === 'ingressFrom')).toEqual([]);
  });
});
