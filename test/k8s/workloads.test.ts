import { Image, Microservice, RestartPolicy } from '../../lib/model';
import { all, find, httpService, newApp, podSpec, synth, volumeAt, worker } from './helpers';

describe('workload kind', () => {
  test('a stateless service is a Deployment with its replicas and restartPolicy Always', () => {
    const app = newApp();
    httpService(app, 'web', { replicas: 3 });
    const { objects } = synth(app);
    const d = find(objects, 'Deployment', 'web');
    expect(d.spec.replicas).toBe(3);
    expect(podSpec(d).restartPolicy).toBe('Always');
    expect(d.spec.strategy.type).toBe('RollingUpdate');
    expect(all(objects, 'StatefulSet')).toHaveLength(0);
    expect(all(objects, 'PersistentVolumeClaim')).toHaveLength(0);
  });

  test('replicas 0 is rendered, not replaced by a default', () => {
    const app = newApp();
    httpService(app, 'web', { replicas: 0 });
    expect(find(synth(app).objects, 'Deployment', 'web').spec.replicas).toBe(0);
  });

  test('a single replica with a persistent volume gets a PersistentVolumeClaim and the Recreate strategy', () => {
    const app = newApp();
    new Microservice(app, 'db', {
      image: Image.fromRegistry('mongo:7.0'),
      ports: [{ port: 27017 }],
      volumes: [{ name: 'dbdata', mountPath: '/data/db', size: '500Mi' }],
    });
    const { objects } = synth(app);
    const d = find(objects, 'Deployment', 'db');
    expect(d.spec.strategy).toEqual({ type: 'Recreate' });
    const pvc = find(objects, 'PersistentVolumeClaim', 'dbdata');
    expect(pvc.spec).toEqual({ accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '500Mi' } } });
    const { mount, volume } = volumeAt(d, '/data/db');
    expect(volume).toEqual({ name: mount.name, persistentVolumeClaim: { claimName: 'dbdata' } });
    expect(mount.readOnly).toBeUndefined();
  });

  test('replicas > 1 with a persistent volume is a StatefulSet with volumeClaimTemplates and a headless Service', () => {
    const app = newApp();
    httpService(app, 'db', {
      replicas: 3,
      volumes: [
        { name: 'data', mountPath: '/data', size: '2Gi' },
        { name: 'scratch', mountPath: '/scratch', scratch: true },
      ],
    });
    const { objects } = synth(app);
    expect(all(objects, 'Deployment')).toHaveLength(0);
    expect(all(objects, 'PersistentVolumeClaim')).toHaveLength(0);
    const s = find(objects, 'StatefulSet', 'db');
    expect(s.spec.replicas).toBe(3);
    expect(s.spec.serviceName).toBe('db-headless');
    // in the form the server stores it (the list is compared whole by kubectl apply)
    expect(s.spec.volumeClaimTemplates).toEqual([
      {
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
        metadata: { name: 'data', creationTimestamp: null, labels: expect.objectContaining({ 'app.kubernetes.io/name': 'db' }) },
        spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '2Gi' } }, volumeMode: 'Filesystem' },
        status: { phase: 'Pending' },
      },
    ]);
    // The claim template provides the volume: no pod volume of that name, but the mount stays.
    expect(podSpec(s).volumes.map((v: any) => v.name)).not.toContain('data');
    expect(volumeAt(s, '/data').mount.name).toBe('data');
    expect(volumeAt(s, '/scratch').volume).toEqual({ name: 'scratch', emptyDir: {} });
    const headless = find(objects, 'Service', 'db-headless');
    expect(headless.spec.clusterIP).toBe('None');
    expect(headless.spec.selector).toEqual({ 'app.kubernetes.io/name': 'db', 'app.kubernetes.io/part-of': 'app' });
    expect(find(objects, 'Service', 'db').spec.clusterIP).toBeUndefined();
  });

  test('a replicated persistent service without ports still gets a (portless) headless Service', () => {
    const app = newApp();
    worker(app, 'indexer', { replicas: 2, volumes: [{ name: 'index', mountPath: '/index' }] });
    const { objects } = synth(app);
    const headless = find(objects, 'Service', 'indexer-headless');
    expect(headless.spec).toEqual({
      clusterIP: 'None',
      type: 'ClusterIP',
      selector: { 'app.kubernetes.io/name': 'indexer', 'app.kubernetes.io/part-of': 'app' },
    });
    expect(find(objects, 'StatefulSet', 'indexer').spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe('1Gi');
  });

  test('an autoscaled service with persistent volumes scales out, so it is a StatefulSet', () => {
    const app = newApp();
    httpService(app, 'search', { autoscaling: { minReplicas: 1, maxReplicas: 4 }, volumes: [{ name: 'idx', mountPath: '/idx' }] });
    const { objects } = synth(app);
    const s = find(objects, 'StatefulSet', 'search');
    expect(s.spec).not.toHaveProperty('replicas');
    expect(find(objects, 'HorizontalPodAutoscaler', 'search').spec.scaleTargetRef).toEqual({
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      name: 'search',
    });
  });

  test.each([
    [RestartPolicy.ON_FAILURE, 'OnFailure', undefined],
    [RestartPolicy.NEVER, 'Never', 0],
  ])('restartPolicy %s is a Job with restartPolicy %s', (policy, kubePolicy, backoffLimit) => {
    const app = newApp();
    worker(app, 'migrate', { restartPolicy: policy, replicas: 2, command: ['migrate'], args: ['up'] });
    const { objects } = synth(app);
    expect(all(objects, 'Deployment')).toHaveLength(0);
    const job = find(objects, 'Job', 'migrate');
    expect(podSpec(job).restartPolicy).toBe(kubePolicy);
    expect(job.spec.backoffLimit).toBe(backoffLimit);
    expect(job.spec.parallelism).toBe(2);
    expect(job.spec.completions).toBe(2);
    expect(job.spec.selector).toBeUndefined();
    expect(job.spec.template.metadata.labels).toEqual(expect.objectContaining({ 'app.kubernetes.io/name': 'migrate' }));
  });

  test.each([RestartPolicy.ON_FAILURE, RestartPolicy.NEVER])(
    'a service with ports and restartPolicy %s stays a Deployment, reported',
    (policy) => {
      const app = newApp();
      httpService(app, 'web', { restartPolicy: policy });
      const { objects, chart } = synth(app);
      expect(all(objects, 'Job')).toHaveLength(0);
      expect(podSpec(find(objects, 'Deployment', 'web')).restartPolicy).toBe('Always');
      expect(chart.diagnostics).toContainEqual(
        expect.objectContaining({
          service: 'web',
          field: 'restartPolicy',
          message:
            `is ${policy}, but the service has ports to serve, so it runs as a Deployment, whose pods always restart (a Job ` +
            `would stop serving once it exits)`,
        }),
      );
    },
  );
});

describe('stopping', () => {
  test('stopGracePeriodSeconds is terminationGracePeriodSeconds of Deployments, StatefulSets and Jobs', () => {
    const app = newApp();
    httpService(app, 'web', { stopGracePeriodSeconds: 45 });
    httpService(app, 'db', { replicas: 2, volumes: [{ name: 'data', mountPath: '/data' }], stopGracePeriodSeconds: 120 });
    worker(app, 'migrate', { restartPolicy: RestartPolicy.ON_FAILURE, stopGracePeriodSeconds: 0 });
    const { objects } = synth(app);
    expect(podSpec(find(objects, 'Deployment', 'web')).terminationGracePeriodSeconds).toBe(45);
    expect(podSpec(find(objects, 'StatefulSet', 'db')).terminationGracePeriodSeconds).toBe(120);
    expect(podSpec(find(objects, 'Job', 'migrate')).terminationGracePeriodSeconds).toBe(0);
  });

  test("unset, the pod keeps Kubernetes' default of 30 seconds; a stopSignal changes nothing in the objects", () => {
    const plain = newApp();
    httpService(plain, 'web');
    const signalled = newApp();
    httpService(signalled, 'web', { stopSignal: 'SIGINT' });
    expect(podSpec(find(synth(plain).objects, 'Deployment', 'web')).terminationGracePeriodSeconds).toBe(30);
    expect(synth(signalled).objects).toEqual(synth(plain).objects);
  });
});

describe('autoscaling', () => {
  test('an autoscaled Deployment omits spec.replicas and gets an autoscaling/v2 HPA on cpu utilization', () => {
    const app = newApp({ namespace: 'shop' });
    httpService(app, 'web', { autoscaling: { minReplicas: 2, maxReplicas: 7, targetCpuPercent: 65 } });
    const { objects } = synth(app);
    expect(find(objects, 'Deployment', 'web').spec).not.toHaveProperty('replicas');
    const hpa = find(objects, 'HorizontalPodAutoscaler', 'web');
    expect(hpa.apiVersion).toBe('autoscaling/v2');
    expect(hpa.metadata.namespace).toBe('shop');
    expect(hpa.spec).toEqual({
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
      minReplicas: 2,
      maxReplicas: 7,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 65 } } }],
    });
  });

  test('a service without autoscaling has no HPA', () => {
    const app = newApp();
    httpService(app, 'web', { replicas: 2 });
    expect(all(synth(app).objects, 'HorizontalPodAutoscaler')).toHaveLength(0);
  });
});
