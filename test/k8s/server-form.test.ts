/*
 * Idempotent output without a cluster: the rendered YAML carries nothing the API server drops or rewrites, so a
 * second `kubectl apply` reports every object `unchanged` (test/k8s-real proves it on a real server). The rule is
 * by allow-list: a zero value (false, 0, "", []) may only appear in a field the Kubernetes types declare as a
 * pointer, where the server keeps it because it means something.
 */
import { canonicalQuantity, SERVER_DROPPED_ZERO_FIELDS, toServerForm } from '../../lib/k8s/server-form';
import { EnvValue, Probe, RestartPolicy, ServiceType } from '../../lib/model';
import { STACKS } from '../../stacks';
import { httpService, newApp, synth, worker } from './helpers';
import { K8sObject } from './validate-k8s';

/** Pointer fields of the API types (`*bool`, `*int32`, `*int64`): the server stores their zero value. */
const POINTER_FIELDS = new Set([
  'allowPrivilegeEscalation',
  'automountServiceAccountToken',
  'privileged',
  'readOnlyRootFilesystem',
  'runAsNonRoot',
  'immutable',
  'setHostnameAsFQDN',
  'backoffLimit',
  'replicas',
  'runAsUser',
  'runAsGroup',
  'fsGroup',
  'terminationGracePeriodSeconds',
  'parallelism',
  'completions',
  'optional',
  'defaultMode',
  'shareProcessNamespace',
  'enableServiceLinks',
  'activeDeadlineSeconds',
  'partition',
]);
/** Map-valued fields: their entries are data, an empty string there is kept. */
const MAP_FIELDS = new Set(['labels', 'annotations', 'data', 'binaryData', 'matchLabels', 'nodeSelector', 'selector']);

/** Every place in `objects` where the server would drop or rewrite what we wrote. */
function serverRewrites(objects: K8sObject[]): string[] {
  const found: string[] = [];
  const walk = (v: unknown, path: string, key: string, parent: string) => {
    if (Array.isArray(v)) {
      if (v.length === 0) found.push(`${path}: [] (an empty list is stored as none)`);
      v.forEach((x, i) => walk(x, `${path}[${i}]`, '', key));
    } else if (v !== null && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) walk(x, `${path}.${k}`, k, key);
    } else if ((v === false || v === 0 || v === '') && !MAP_FIELDS.has(parent) && !POINTER_FIELDS.has(key)) {
      found.push(`${path}: ${JSON.stringify(v)} (a zero value the server drops)`);
    } else if (typeof v === 'string' && (parent === 'requests' || parent === 'limits') && canonicalQuantity(v) !== v) {
      found.push(`${path}: ${v} (stored as ${canonicalQuantity(v)})`);
    }
  };
  for (const o of objects) walk(o, `${o.kind}/${o.metadata.name}`, '', '');
  return found;
}

/** An application that touches every zero-prone field the backend renders. */
function zeroProne() {
  const app = newApp({ namespace: 'zero' });
  const db = httpService(app, 'db', {
    replicas: 2,
    volumes: [
      { name: 'data', mountPath: '/data', size: '1.5Gi' },
      { name: 'cache', mountPath: '/cache', scratch: true },
    ],
    readinessProbe: Probe.tcp({ port: 8080 }),
    livenessProbe: Probe.command(['true'], { initialDelaySeconds: 0 }),
  });
  httpService(app, 'web', {
    dependsOn: [db],
    serviceType: ServiceType.NODE_PORT,
    ports: [{ port: 8080, name: 'http', publish: 30080 }],
    configFiles: [{ mountPath: '/etc/web/a.conf', content: 'a' }],
    env: { EMPTY: EnvValue.fromValue('x'), TOKEN: EnvValue.fromSecret('s', 'k') },
    stopGracePeriodSeconds: 0,
    readinessProbe: Probe.http('/healthz'),
  });
  httpService(app, 'api', {
    autoscaling: { minReplicas: 1, maxReplicas: 3 },
    volumes: [{ name: 'logs', mountPath: '/logs', readOnly: true }],
  });
  worker(app, 'idle', { replicas: 0 });
  worker(app, 'migrate', { restartPolicy: RestartPolicy.NEVER });
  return app;
}

describe('the rendered objects are in the form the API server stores them', () => {
  test.each(Object.keys(STACKS))('stack %s: no dropped zero values, empty lists or non-canonical quantities', (stack) => {
    expect(serverRewrites(synth(STACKS[stack]()).objects)).toEqual([]);
  });

  test('an application with every zero-prone field', () => {
    const { objects } = synth(zeroProne());
    expect(serverRewrites(objects)).toEqual([]);
    // what must stay: zero values of pointer fields mean something to the server
    const job = objects.find((o) => o.kind === 'Job')!;
    expect(job.spec.backoffLimit).toBe(0);
    expect(objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'idle')!.spec.replicas).toBe(0);
    expect(
      objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'web')!.spec.template.spec.terminationGracePeriodSeconds,
    ).toBe(0);
  });

  test('the checker itself finds what the server would drop', () => {
    const bad = [
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'x', labels: { empty: '' } },
        spec: { externalIPs: [], hostNetwork: false, minReadySeconds: 0, resources: { limits: { memory: '1024Mi' } } },
      },
    ];
    expect(serverRewrites(bad)).toEqual([
      'Service/x.spec.externalIPs: [] (an empty list is stored as none)',
      'Service/x.spec.hostNetwork: false (a zero value the server drops)',
      'Service/x.spec.minReadySeconds: 0 (a zero value the server drops)',
      'Service/x.spec.resources.limits.memory: 1024Mi (stored as 1Gi)',
    ]);
  });
});

describe('toServerForm', () => {
  test('drops zero values of non-pointer omitempty fields and empty lists, keeps pointer zeros and map entries', () => {
    const input = {
      kind: 'Deployment',
      metadata: { labels: { a: '' }, annotations: {} },
      spec: {
        minReadySeconds: 0,
        replicas: 0,
        template: {
          spec: {
            hostNetwork: false,
            automountServiceAccountToken: false,
            containers: [
              {
                name: 'c',
                args: [],
                stdin: false,
                livenessProbe: { initialDelaySeconds: 0, periodSeconds: 5 },
                volumeMounts: [{ name: 'v', mountPath: '/v', readOnly: false, subPath: '' }],
                securityContext: { privileged: false },
              },
            ],
            volumes: [
              { name: 'v', persistentVolumeClaim: { claimName: 'c', readOnly: false } },
              { name: 'w', csi: { driver: 'd', readOnly: false } },
              { name: 't', emptyDir: {} },
            ],
          },
        },
      },
    };
    expect(toServerForm(input)).toEqual({
      kind: 'Deployment',
      metadata: { labels: { a: '' }, annotations: {} },
      spec: {
        replicas: 0,
        template: {
          spec: {
            automountServiceAccountToken: false,
            containers: [
              {
                name: 'c',
                livenessProbe: { periodSeconds: 5 },
                volumeMounts: [{ name: 'v', mountPath: '/v' }],
                securityContext: { privileged: false },
              },
            ],
            volumes: [
              { name: 'v', persistentVolumeClaim: { claimName: 'c' } },
              { name: 'w', csi: { driver: 'd', readOnly: false } },
              { name: 't', emptyDir: {} },
            ],
          },
        },
      },
    });
    expect(input.spec.minReadySeconds).toBe(0); // the input is not changed
  });

  test('a non-zero value of a listed field is kept', () => {
    for (const [field, zero] of SERVER_DROPPED_ZERO_FIELDS) {
      const other = zero === false ? true : zero === 0 ? 5 : 'x';
      expect(toServerForm({ [field]: other })).toEqual({ [field]: other });
      expect(toServerForm({ [field]: zero })).toEqual({});
    }
  });

  test.each([
    ['1024Mi', '1Gi'],
    ['1.5Gi', '1536Mi'],
    ['500Mi', '500Mi'],
    ['2000m', '2'],
    ['1000m', '1'],
    ['250m', '250m'],
    ['0.5', '500m'],
    ['2000', '2k'],
    ['10G', '10G'],
    ['0.5Ki', '512'],
    ['0', '0'],
    ['1e3', '1e3'],
  ])('quantity %s is stored as %s', (q, canonical) => {
    expect(canonicalQuantity(q)).toBe(canonical);
    expect(toServerForm({ resources: { requests: { storage: q }, limits: { memory: q } } })).toEqual({
      resources: { requests: { storage: canonical }, limits: { memory: canonical } },
    });
  });
});
