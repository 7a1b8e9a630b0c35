import { Testing } from 'cdk8s';
import { ApplicationChart } from '../../lib/k8s';
import { STACKS } from '../../stacks';
import { myService } from '../../stacks/my-service';
import { all, container, find, podSpec, synth, volumeAt } from './helpers';

describe.each(Object.keys(STACKS))('stack %s', (stack) => {
  test('every object is schema-valid and the rendering is stable', () => {
    const { objects } = synth(STACKS[stack]()); // validates every object
    expect(objects.length).toBeGreaterThan(0);
    expect(objects).toMatchSnapshot();
  });

  test('every object is labelled part-of the stack and every service has a workload', () => {
    const { chart, objects } = synth(STACKS[stack]());
    for (const o of objects) expect(o.metadata.labels['app.kubernetes.io/part-of']).toBe(chart.model.name);
    for (const svc of chart.model.services) expect(chart.workloadOf(svc.name).name).toBe(svc.name);
  });

  test('the objects are fresh trees: no array or object occurs twice (the YAML writer looks for no aliases)', () => {
    const { chart } = synth(STACKS[stack]());
    const seen = new Set<object>();
    const walk = (v: unknown): void => {
      if (v === null || typeof v !== 'object') return;
      expect(seen.has(v)).toBe(false);
      seen.add(v);
      for (const child of Object.values(v)) walk(child);
    };
    chart.toJson().forEach(walk);
    expect(seen.size).toBeGreaterThan(50);
  });
});

describe('seed stacks', () => {
  test('flask-redis: web reaches redis by its Service name and waits for it', () => {
    const { objects, chart } = synth(STACKS['flask-redis']());
    find(objects, 'Service', 'redis');
    const web = find(objects, 'Deployment', 'web');
    expect(container(web).env).toEqual(
      expect.arrayContaining([
        { name: 'REDIS_HOST', value: 'redis' },
        { name: 'REDIS_PORT', value: '6379' },
      ]),
    );
    expect(podSpec(web).initContainers.map((c: any) => c.name)).toEqual(['wait-for-redis']);
    expect(find(objects, 'Service', 'web').spec.ports[0].port).toBe(5000);
    // publish 5000 on a ClusterIP Service cannot be honoured in Kubernetes: reported.
    expect(chart.model.acknowledgements).toContainEqual(expect.objectContaining({ id: 'k8s-ports', service: 'web' }));
  });

  test('web-mongo: mongo keeps its data in the dbdata claim at /data/db', () => {
    const { objects } = synth(STACKS['web-mongo']());
    const db = find(objects, 'Deployment', 'db');
    expect(volumeAt(db, '/data/db').volume.persistentVolumeClaim.claimName).toBe('dbdata');
    find(objects, 'PersistentVolumeClaim', 'dbdata');
  });

  test('my-service: 3 replicas, 5 with one parameter', () => {
    expect(find(synth(myService()).objects, 'Deployment', 'my-service').spec.replicas).toBe(3);
    expect(find(synth(myService({ replicas: 5 })).objects, 'Deployment', 'my-service').spec.replicas).toBe(5);
  });

  test('shop: an Ingress in front of the services, autoscaling, secrets by reference, network policies', () => {
    const { objects, chart } = synth(STACKS.shop());
    const routes = find(objects, 'Ingress', 'gateway').spec.rules.flatMap((r: any) => r.http.paths.map((p: any) => p.backend.service.name));
    expect(routes.length).toBeGreaterThanOrEqual(3);
    expect(all(objects, 'HorizontalPodAutoscaler').length).toBeGreaterThanOrEqual(1);
    expect(JSON.stringify(objects)).toContain('secretKeyRef');
    expect(chart.model.services.length).toBeGreaterThanOrEqual(8);
    const policies = all(objects, 'NetworkPolicy').map((p) => p.metadata.name);
    expect(policies).toContain('shop-default-deny');
    for (const svc of chart.model.services.filter((s) => s.dependents.length > 0)) expect(policies).toContain(`${svc.name}-ingress`);
  });

  test('stacks rendered side by side in one cdk8s app render as they do alone', () => {
    const app = Testing.app();
    const charts = Object.entries(STACKS).map(([stack, build]) => new ApplicationChart(app, stack, { application: build() }));
    for (const [i, build] of Object.values(STACKS).entries()) expect(Testing.synth(charts[i])).toEqual(synth(build()).objects);
  });
});
