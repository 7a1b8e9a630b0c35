import { Egress } from '../../lib/model';
import { STACKS } from '../../stacks';
import { all, find, httpService, newApp, synth, worker } from './helpers';

describe('egress policies', () => {
  test("every workload may reach its dependencies' pods on their ports and the cluster DNS, nothing else", () => {
    const app = newApp();
    const db = httpService(app, 'db', { ports: [{ port: 5432, name: 'pg' }] });
    httpService(app, 'web', { dependsOn: [db] });
    const { objects } = synth(app);
    expect(find(objects, 'NetworkPolicy', 'app-default-deny').spec.policyTypes).toEqual(['Egress', 'Ingress']);
    const web = find(objects, 'NetworkPolicy', 'web-egress');
    expect(web.spec.policyTypes).toEqual(['Egress']);
    expect(web.spec.egress).toEqual([
      {
        to: [
          {
            namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
            podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
          },
        ],
        ports: [
          { port: 53, protocol: 'UDP' },
          { port: 53, protocol: 'TCP' },
        ],
      },
      {
        to: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'db', 'app.kubernetes.io/part-of': 'app' } } }],
        ports: [{ port: 5432, protocol: 'TCP' }],
      },
    ]);
    expect(find(objects, 'NetworkPolicy', 'db-egress').spec.egress).toHaveLength(1); // DNS only
  });

  test('declared external egress: a CIDR block on its ports; a host becomes its ports to any address, reported', () => {
    const app = newApp();
    worker(app, 'payments', {
      egress: [Egress.cidr('203.0.113.0/24', { ports: [443] }), Egress.host('api.psp.example', { ports: [443] })],
    });
    const { objects, chart } = synth(app);
    const rules = find(objects, 'NetworkPolicy', 'payments-egress').spec.egress.slice(1);
    expect(rules).toEqual([
      { to: [{ ipBlock: { cidr: '203.0.113.0/24' } }], ports: [{ port: 443, protocol: 'TCP' }] },
      { to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ port: 443, protocol: 'TCP' }] },
      { to: [{ ipBlock: { cidr: '::/0' } }], ports: [{ port: 443, protocol: 'TCP' }] },
    ]);
    expect(chart.diagnostics).toContainEqual(
      expect.objectContaining({
        service: 'payments',
        field: 'egress[1]',
        message: expect.stringContaining('cannot be named in a NetworkPolicy'),
      }),
    );
  });

  test.each(Object.keys(STACKS))('stack %s: every workload has an egress policy', (stack) => {
    const { objects, chart } = synth(STACKS[stack]());
    const names = all(objects, 'NetworkPolicy').map((p) => p.metadata.name);
    for (const svc of chart.model.services) expect(names).toContain(`${svc.name}-egress`);
  });

  test('fails: an invalid CIDR, host and port', () => {
    const app = newApp();
    worker(app, 'w', { egress: [Egress.cidr('10.0.0.0/33'), Egress.host('not a host'), Egress.cidr('0.0.0.0/0', { ports: [0] })] });
    expect(() => synth(app)).toThrow(
      new RegExp(
        /'egress\[0\]' must be an IPv4 or IPv6 CIDR block such as '0.0.0.0\/0', got "10.0.0.0\/33"/.source +
          /[\s\S]*'egress\[1\]' must be a DNS host name, got "not a host"/.source +
          /[\s\S]*'egress\[2\].ports' must hold integers in 1..65535, got 0/.source,
      ),
    );
  });

  test('monitoringNamespace: its pods reach exactly the metrics ports, and the scrape warning is gone', () => {
    const app = newApp({ monitoringNamespace: 'monitoring' });
    httpService(app, 'web', {
      ports: [
        { port: 8080, name: 'http' },
        { port: 9090, name: 'metrics' },
      ],
      metrics: { port: 9090 },
    });
    httpService(app, 'plain');
    const { objects, chart } = synth(app);
    expect(find(objects, 'NetworkPolicy', 'web-metrics').spec.ingress).toEqual([
      {
        from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } }, podSelector: {} }],
        ports: [{ port: 9090, protocol: 'TCP' }],
      },
    ]);
    expect(all(objects, 'NetworkPolicy').map((p) => p.metadata.name)).not.toContain('plain-metrics');
    expect(chart.diagnostics.filter((d) => d.field === 'metrics')).toEqual([]);
  });

  test('the shop: only payments may leave the cluster, and synthesizes with no monitoring warning', () => {
    const { objects, chart } = synth(STACKS.shop());
    const external = all(objects, 'NetworkPolicy').filter(
      (p) => p.metadata.name.endsWith('-egress') && p.spec.egress.some((r: any) => r.to?.some((t: any) => t.ipBlock)),
    );
    expect(external.map((p) => p.metadata.name)).toEqual(['payments-egress']);
    expect(chart.diagnostics.filter((d) => d.field === 'metrics')).toEqual([]);
  });
});
