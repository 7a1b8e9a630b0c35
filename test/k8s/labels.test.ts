import { Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { ApplicationChart } from '../../lib/k8s';
import { Application, Gateway, Image, Microservice, RestartPolicy } from '../../lib/model';
import { find, httpService, newApp, synth, worker } from './helpers';

/** An application with one of every object kind. */
function everything(namespace?: string): Application {
  const app = newApp({ namespace, labels: { team: 'shop' }, config: { A: 'b' } }, 'shop');
  const db = httpService(app, 'db', { replicas: 2, volumes: [{ name: 'data', mountPath: '/data' }] });
  const web = httpService(app, 'web', {
    dependsOn: [db],
    autoscaling: { minReplicas: 1, maxReplicas: 3 },
    configFiles: [{ mountPath: '/etc/a', content: 'a' }],
    labels: { tier: 'front' },
  });
  worker(app, 'cache-warmer', { volumes: [{ name: 'warm', mountPath: '/warm' }] });
  worker(app, 'migrate', { restartPolicy: RestartPolicy.NEVER });
  new Gateway(app, 'gateway', { routes: [{ path: '/', service: web }] });
  return app;
}

const KINDS = [
  'ConfigMap',
  'Service',
  'ServiceAccount',
  'Deployment',
  'StatefulSet',
  'Job',
  'PersistentVolumeClaim',
  'HorizontalPodAutoscaler',
  'Ingress',
  'NetworkPolicy',
];

describe('labels and namespace', () => {
  test('the test application covers every kind the backend renders', () => {
    expect(new Set(synth(everything()).objects.map((o) => o.kind))).toEqual(new Set(KINDS));
  });

  test('every object carries part-of, managed-by and the user labels, so prune by part-of works', () => {
    for (const o of synth(everything()).objects) {
      expect(o.metadata.labels).toEqual(
        expect.objectContaining({
          'app.kubernetes.io/part-of': 'shop',
          'app.kubernetes.io/managed-by': 'microservice-constructs',
          team: 'shop',
        }),
      );
    }
  });

  test('service objects carry the service name and service labels; workloads select by selectorLabels only', () => {
    const { objects } = synth(everything());
    const web = find(objects, 'Deployment', 'web');
    for (const o of objects.filter((x) => x.metadata.name.startsWith('web'))) {
      expect(o.metadata.labels).toEqual(expect.objectContaining({ 'app.kubernetes.io/name': 'web', tier: 'front' }));
    }
    expect(web.spec.selector).toEqual({ matchLabels: { 'app.kubernetes.io/name': 'web', 'app.kubernetes.io/part-of': 'shop' } });
    expect(web.spec.template.metadata.labels).toEqual(web.metadata.labels);
    expect(find(objects, 'StatefulSet', 'db').spec.selector).toEqual({
      matchLabels: { 'app.kubernetes.io/name': 'db', 'app.kubernetes.io/part-of': 'shop' },
    });
  });

  test('no cdk8s.io/metadata.addr label or selector anywhere', () => {
    expect(JSON.stringify(synth(everything()).objects)).not.toContain('cdk8s.io/metadata.addr');
  });

  test('the namespace is set on every object when the application has one', () => {
    for (const o of synth(everything('shop-prod')).objects.filter((x) => x.kind !== 'Namespace'))
      expect(o.metadata.namespace).toBe('shop-prod');
  });

  test("the application's namespace is created first, by a cluster-scoped Namespace with the application labels", () => {
    const [first, ...rest] = synth(everything('shop-prod')).objects;
    expect(first).toEqual({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'shop-prod', labels: expect.objectContaining({ 'app.kubernetes.io/part-of': 'shop' }) },
    });
    expect(rest.map((o) => o.kind)).not.toContain('Namespace');
  });

  test('the Namespace stays cluster-scoped when the chart itself is given a namespace', () => {
    const chart = new ApplicationChart(Testing.app(), 'test', { application: everything('shop-prod'), namespace: 'other' });
    const objects = Testing.synth(chart);
    expect(objects[0].kind).toBe('Namespace');
    expect(objects[0].metadata).not.toHaveProperty('namespace');
  });

  test('no Namespace object when the application has no namespace', () => {
    expect(synth(everything()).objects.map((o) => o.kind)).not.toContain('Namespace');
  });

  test('createNamespace: false renders no Namespace object, and every object still names the namespace', () => {
    const app = newApp({ namespace: 'theirs', createNamespace: false, podSecurity: undefined }, 'shop');
    httpService(app, 'web', { security: { user: 0, runAsNonRoot: false, breaksPodSecurity: 'restricted' } as never });
    const { objects } = synth(app);
    expect(objects.map((o) => o.kind)).not.toContain('Namespace');
    expect(objects.every((o) => o.metadata.namespace === 'theirs')).toBe(true);
  });

  test('fails when createNamespace is not a boolean (plain JavaScript)', () => {
    const app = newApp({ namespace: 'theirs', createNamespace: 'no' as never });
    httpService(app, 'web');
    expect(() => app.resolve()).toThrow(`application 'app': 'createNamespace' must be a boolean, got "no"`);
  });

  test('no namespace is set when the application has none', () => {
    for (const o of synth(everything()).objects) expect(o.metadata).not.toHaveProperty('namespace');
  });

  test('prometheus scrape annotations on the pod template of a service with metrics', () => {
    const app = newApp();
    httpService(app, 'web', { ports: [{ port: 8080 }, { port: 9102 }], metrics: { port: 9102, path: '/prom' } });
    httpService(app, 'plain');
    const { objects } = synth(app);
    expect(find(objects, 'Deployment', 'web').spec.template.metadata.annotations).toEqual({
      'prometheus.io/scrape': 'true',
      'prometheus.io/port': '9102',
      'prometheus.io/path': '/prom',
    });
    expect(find(objects, 'Deployment', 'plain').spec.template.metadata).not.toHaveProperty('annotations');
  });

  test('object names are exact, whatever the construct ids and nesting', () => {
    const app = new Application('nested');
    const team = new Construct(app, 'Team');
    new Microservice(team, 'Api', { image: Image.fromRegistry('nginx:1.27'), ports: [{ port: 80 }] });
    const chart = new ApplicationChart(Testing.app(), 'SomeChartId', { application: app });
    const names = Testing.synth(chart).map((o: any) => `${o.kind}/${o.metadata.name}`);
    expect(names).toEqual([
      'Service/team-api',
      'ServiceAccount/team-api',
      'Deployment/team-api',
      'NetworkPolicy/nested-default-deny',
      'NetworkPolicy/team-api-egress',
    ]);
  });
});

test('snapshot of an application with every kind (in addition to the assertions above)', () => {
  expect(synth(everything('shop')).objects).toMatchSnapshot();
});
