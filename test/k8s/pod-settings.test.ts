/* Pod settings only Kubernetes has: own ServiceAccount, pod annotations, nodeSelector. */
import { planDocker } from '../../lib/docker-plan';
import { find, httpService, newApp, synth } from './helpers';

describe('pod settings', () => {
  test('every workload gets its own ServiceAccount, named after the service, with no token mounted', () => {
    const app = newApp({ namespace: 'shop' });
    httpService(app, 'web');
    const { objects } = synth(app);
    const sa = find(objects, 'ServiceAccount', 'web');
    expect(sa.metadata.namespace).toBe('shop');
    expect(sa.automountServiceAccountToken).toBe(false);
    const pod = find(objects, 'Deployment', 'web').spec.template.spec;
    expect([pod.serviceAccountName, pod.automountServiceAccountToken]).toEqual(['web', false]);
  });

  test('serviceAccount: { automountToken, annotations } for Workload Identity / IRSA', () => {
    const app = newApp();
    httpService(app, 'web', {
      serviceAccount: { automountToken: true, annotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::1:role/web' } },
    });
    const { objects } = synth(app);
    const sa = find(objects, 'ServiceAccount', 'web');
    expect(sa.metadata.annotations).toEqual({ 'eks.amazonaws.com/role-arn': 'arn:aws:iam::1:role/web' });
    expect(sa.automountServiceAccountToken).toBe(true);
    expect(find(objects, 'Deployment', 'web').spec.template.spec.automountServiceAccountToken).toBe(true);
  });

  test('podAnnotations reach the pod template next to the metrics annotations; nodeSelector is the plain field', () => {
    const app = newApp();
    httpService(app, 'web', {
      podAnnotations: { 'sidecar.istio.io/rewriteAppHTTPProbers': 'true' },
      nodeSelector: { 'kubernetes.io/os': 'linux' },
      metrics: { port: 8080 },
    });
    const tpl = find(synth(app).objects, 'Deployment', 'web').spec.template;
    expect(tpl.metadata.annotations).toMatchObject({ 'sidecar.istio.io/rewriteAppHTTPProbers': 'true', 'prometheus.io/scrape': 'true' });
    expect(tpl.spec.nodeSelector).toEqual({ 'kubernetes.io/os': 'linux' });
  });

  test('Docker targets ignore the service account silently and report nodeSelector', () => {
    const app = newApp();
    httpService(app, 'web', { serviceAccount: { automountToken: true }, nodeSelector: { 'kubernetes.io/os': 'linux' } });
    expect(planDocker(app.resolve(), 'compose').diagnostics.map((d) => [d.service, d.field])).toEqual([['web', 'nodeSelector']]);
  });
});

describe('addDependency(dep, { wait: false })', () => {
  test('no init container, discovery variables and the NetworkPolicy stay; Docker targets only order the start', () => {
    const app = newApp();
    const db = httpService(app, 'db', { ports: [{ port: 5432 }] });
    const cache = httpService(app, 'cache', { ports: [{ port: 6379 }] });
    const web = httpService(app, 'web');
    web.addDependency(db, { wait: false });
    web.addDependency(cache);
    const { objects } = synth(app);
    const pod = find(objects, 'Deployment', 'web').spec.template.spec;
    expect(pod.initContainers.map((c: any) => c.name)).toEqual(['wait-for-cache']);
    expect(pod.containers[0].env).toContainEqual({ name: 'DB_HOST', value: 'db' });
    expect(find(objects, 'NetworkPolicy', 'db-ingress').spec.ingress).toHaveLength(1);
    const plan = planDocker(app.resolve(), 'compose');
    expect(plan.containers.find((c) => c.key === 'web')!.dependsOn).toEqual([
      { key: 'db', condition: 'started' },
      { key: 'cache', condition: 'started' },
    ]);
  });
});

describe('fails', () => {
  test('fails on pod settings with bad values and unknown options, and wait false with condition healthy', () => {
    const app = newApp();
    const db = httpService(app, 'db');
    const web = httpService(app, 'web', {
      serviceAccount: { automountToken: 'yes' as never, role: 'x' } as never,
      nodeSelector: { 'kubernetes.io/os': 'linux os' },
      podAnnotations: { 'bad key!': 'x' },
    });
    web.addDependency(db, { wait: false, condition: 'healthy' as never });
    expect(() => app.resolve()).toThrow(
      [
        `service 'web': unknown option 'role' in 'serviceAccount' (known: automountToken, annotations)`,
        `service 'web': 'serviceAccount.automountToken' must be a boolean, got "yes"`,
        `service 'web': 'nodeSelector.kubernetes.io/os' must be a Kubernetes label value (<= 63 characters), got "linux os"`,
        `service 'web': 'podAnnotations' key must be a Kubernetes annotation key, got "bad key!"`,
      ].join('\n'),
    );
    expect(() => app.resolve()).toThrow(`service 'web': 'addDependency' for 'db' sets wait false and condition healthy; choose one`);
  });
});
