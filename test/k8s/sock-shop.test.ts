/*
 * Sock Shop as shipped (stacks/sock-shop.ts) against the authors' own Kubernetes manifests
 * (/work/shared/real-world/sock-shop/complete-demo.yaml, or SOCK_SHOP_YAML), service by service. Every field either
 * matches or is listed below as an intended difference with its reason; a listed difference that no longer differs
 * fails too, so the list stays true.
 */
import * as fs from 'fs';
import { parseAllDocuments } from 'yaml';
import { sockShop } from '../../stacks/sock-shop';
import { K8sObject } from './validate-k8s';
import { synth } from './helpers';

const ORIGINAL = process.env.SOCK_SHOP_YAML ?? '/work/shared/real-world/sock-shop/complete-demo.yaml';
const HAVE_ORIGINAL = fs.existsSync(ORIGINAL);
const describeIfOriginal = HAVE_ORIGINAL ? describe : describe.skip;

type Field =
  | 'image'
  | 'containerPorts'
  | 'servicePorts'
  | 'env'
  | 'resources'
  | 'capabilities'
  | 'user'
  | 'writablePaths'
  | 'readOnlyRoot'
  | 'sidecars'
  | 'nodeSelector';

const TMP = 'an in-memory /tmp is writable in every container here (the default); the original mounts one for some services only';
const PINNED = "the original pulls 'mongo' unpinned; every image here is pinned, to mongo:3.4 as in the authors' own compose file";
const STORE =
  'started as root with CHOWN/SETGID/SETUID so the entrypoint can drop to the image user; ' +
  'here it starts as that user (999), which the restricted Pod Security profile admits and needs no capability';
/** Intended differences: service -> field -> reason. */
const INTENDED: Record<string, Partial<Record<Field, string>>> = {
  catalogue: { writablePaths: TMP },
  'front-end': { writablePaths: TMP },
  payment: { writablePaths: TMP },
  user: { writablePaths: TMP },
  'carts-db': {
    image: PINNED,
    resources: 'the original sets none; every container here gets the application default requests and limits',
    capabilities: STORE,
    user: STORE,
    writablePaths:
      '/data/db is a VOLUME of the mongo image (writable in the original); with a read-only root it is listed as a writable path',
  },
  'orders-db': {
    image: PINNED,
    resources: 'the original sets none; every container here gets the application default requests and limits',
    capabilities: STORE,
    user: STORE,
    writablePaths:
      '/data/db is a VOLUME of the mongo image (writable in the original); with a read-only root it is listed as a writable path',
  },
  'user-db': {
    resources: 'the original sets none; every container here gets the application default requests and limits',
    capabilities: STORE,
    user: STORE,
    writablePaths: '/data/db is a VOLUME of the image (writable in the original); with a read-only root it is listed as a writable path',
  },
  'session-db': {
    resources: 'the original sets none; every container here gets the application default requests and limits',
    capabilities: STORE,
    user: STORE,
    writablePaths: `/data is where redis writes (a VOLUME of the image); with a read-only root it is listed as a writable path; ${TMP}`,
  },
  rabbitmq: {
    resources: 'the original sets none; every container here gets the application default requests and limits',
    capabilities: `${STORE} (the original also adds DAC_OVERRIDE)`,
    user: STORE,
    writablePaths:
      `the entrypoint writes /etc/rabbitmq and /var/lib/rabbitmq (a VOLUME of the image): with a read-only root they ` +
      `are listed as writable paths; ${TMP}`,
    servicePorts:
      'the Service carries every container port of the main container (15672 management too) and no sidecar port: ' +
      'the exporter (9090) is scraped from the pod via prometheus annotations, not through the Service',
    sidecars:
      'the exporter sidecar is hardened like every container (non-root 10001, read-only root with a writable /tmp, drop ALL), ' +
      "the original gives it no securityContext; its image is pinned (v0.29.0), the original pulls 'kbudde/rabbitmq-exporter' unpinned",
  },
  'catalogue-db': {
    resources: 'the original sets none; every container here gets the application default requests and limits',
    env:
      "MYSQL_ROOT_PASSWORD is a secretKeyRef (secret 'catalogue-db', key 'root-password'), never a plaintext value in YAML; " +
      "the original writes 'fake_password'",
    capabilities:
      'the original has no securityContext (all default capabilities, root); here the mysql user (999) with every capability dropped',
    user: 'the original runs as the image default (root); here the mysql user 999',
    readOnlyRoot:
      'the original leaves the root filesystem writable; here it is read-only with the data, socket and temporary directories writable',
    writablePaths: 'read-only root: /var/lib/mysql, /var/run/mysqld and /tmp are the writable paths MySQL needs',
  },
  'queue-master': {
    capabilities:
      'the original has no securityContext; here it is hardened like the other Java services (drop ALL, add NET_BIND_SERVICE for port 80)',
    user: 'the original runs as the image default; here non-root 10001 like the other Java services',
    readOnlyRoot: 'the original leaves the root filesystem writable; here it is read-only like the other Java services',
    writablePaths: 'read-only root: /tmp is writable, as for the other Java services',
  },
};

/** Env variables every dependent gets for each dependency (`<DEP>_HOST`, `<DEP>_PORT`, `<DEP>_URL`): an addition, never a change. */
const DISCOVERY = /_(HOST|PORT|URL)$/;

interface Seen {
  image: string;
  containerPorts: number[];
  servicePorts: Array<[number, number]>;
  env: Record<string, unknown>;
  resources: unknown;
  capabilities: { add: string[]; drop: string[] };
  user: unknown;
  writablePaths: string[];
  readOnlyRoot: boolean;
  sidecars: unknown;
  nodeSelector: unknown;
}

function view(objects: K8sObject[], name: string, original: boolean): Seen {
  const dep = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === name)!;
  const svc = objects.find((o) => o.kind === 'Service' && o.metadata.name === name);
  const pod = dep.spec.template.spec;
  const [c, ...sidecars] = pod.containers;
  const named = new Map<string, number>(
    pod.containers.flatMap((x: any) => (x.ports ?? []).filter((p: any) => p.name).map((p: any) => [p.name, p.containerPort])),
  );
  const emptyDirs = new Set((pod.volumes ?? []).filter((v: any) => v.emptyDir).map((v: any) => v.name));
  const sec = c.securityContext ?? {};
  const upper = (xs: string[] | undefined) => (xs ?? []).map((x) => x.toUpperCase()).sort();
  return {
    image: c.image,
    containerPorts: (c.ports ?? []).map((p: any) => p.containerPort).sort(),
    servicePorts: (svc?.spec.ports ?? [])
      .map((p: any): [number, number] => [p.port, typeof p.targetPort === 'string' ? named.get(p.targetPort)! : p.targetPort])
      .sort(),
    env: Object.fromEntries(
      (c.env ?? []).filter((v: any) => original || !DISCOVERY.test(v.name)).map((v: any) => [v.name, v.value ?? v.valueFrom]),
    ),
    resources: c.resources && normalizeResources(c.resources),
    capabilities: { add: upper(sec.capabilities?.add), drop: upper(sec.capabilities?.drop) },
    user: sec.runAsUser ?? pod.securityContext?.runAsUser,
    writablePaths: (c.volumeMounts ?? [])
      .filter((m: any) => emptyDirs.has(m.name))
      .map((m: any) => m.mountPath)
      .sort(),
    readOnlyRoot: sec.readOnlyRootFilesystem === true,
    sidecars: sidecars.map((s: any) => ({
      name: s.name,
      image: s.image,
      ports: (s.ports ?? []).map((p: any) => p.containerPort),
      securityContext: s.securityContext,
    })),
    nodeSelector: pod.nodeSelector,
  };
}

const quantity = (q: string | number) => String(q);
function normalizeResources(r: any) {
  const side = (x: any) => (x ? { cpu: quantity(x.cpu), memory: quantity(x.memory) } : undefined);
  return { limits: side(r.limits), requests: side(r.requests) };
}

describeIfOriginal('Sock Shop against complete-demo.yaml', () => {
  const original = HAVE_ORIGINAL
    ? (parseAllDocuments(fs.readFileSync(ORIGINAL, 'utf8'))
        .map((d) => d.toJS())
        .filter(Boolean) as K8sObject[])
    : [];
  const { objects } = synth(sockShop());
  const names = original.filter((o) => o.kind === 'Deployment').map((o) => o.metadata.name as string);

  test('the same services, every object in namespace sock-shop, and the Namespace object', () => {
    const ours = objects
      .filter((o) => o.kind === 'Deployment')
      .map((o) => o.metadata.name)
      .sort();
    expect(ours).toEqual([...names].sort());
    expect(objects.find((o) => o.kind === 'Namespace')!.metadata.name).toBe('sock-shop');
    for (const o of objects.filter((x) => x.kind !== 'Namespace'))
      expect([o.kind, o.metadata.name, o.metadata.namespace]).toEqual([o.kind, o.metadata.name, 'sock-shop']);
  });

  test('the front-end is NodePort 30001: Service port 80 -> container port 8079', () => {
    const fe = objects.find((o) => o.kind === 'Service' && o.metadata.name === 'front-end')!;
    expect(fe.spec.type).toBe('NodePort');
    expect(fe.spec.ports).toEqual([expect.objectContaining({ port: 80, targetPort: 8079, nodePort: 30001 })]);
  });

  const fields: Field[] = [
    'image',
    'containerPorts',
    'servicePorts',
    'env',
    'resources',
    'capabilities',
    'user',
    'writablePaths',
    'readOnlyRoot',
    'sidecars',
    'nodeSelector',
  ];
  test.each(names.map((n) => [n]))('%s matches the original or differs as listed', (name) => {
    const theirs = view(original, name, true) as unknown as Record<Field, unknown>;
    const ours = view(objects, name, false) as unknown as Record<Field, unknown>;
    for (const field of fields) {
      const reason = INTENDED[name]?.[field];
      const same = JSON.stringify(ours[field]) === JSON.stringify(theirs[field]);
      // The field and its reason are part of the assertion, so a failure says which field of which service.
      expect({ name, field, same, reason: same ? undefined : reason }).toEqual({ name, field, same: !reason, reason });
    }
  });
});

describeIfOriginal('Sock Shop: what the rendering adds to the original', () => {
  const { objects } = synth(sockShop());
  const pod = (name: string) => objects.find((o) => o.kind === 'Deployment' && o.metadata.name === name)!.spec.template.spec;

  test('NetworkPolicies from the dependency graph (the original has none): default deny, the front-end open to outside', () => {
    const policies = objects.filter((o) => o.kind === 'NetworkPolicy').map((o) => o.metadata.name);
    expect(policies).toContain('sock-shop-default-deny');
    expect(objects.find((o) => o.metadata.name === 'front-end-ingress')!.spec.ingress).toContainEqual({
      ports: [{ port: 8079, protocol: 'TCP' }],
    });
  });

  test('dependents wait for their dependencies with init containers and get <DEP>_HOST/_PORT (the original relies on retries)', () => {
    expect(pod('orders').initContainers.map((c: any) => c.name)).toEqual([
      'wait-for-orders-db',
      'wait-for-carts',
      'wait-for-user',
      'wait-for-payment',
      'wait-for-shipping',
    ]);
    expect(pod('user').containers[0].env).toContainEqual({ name: 'mongo', value: 'user-db:27017' });
  });

  test('pods carry app.kubernetes.io labels instead of the original name label, and their own ServiceAccount', () => {
    for (const name of ['carts', 'front-end']) {
      const labels = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === name)!.spec.template.metadata.labels;
      expect(labels['app.kubernetes.io/name']).toBe(name);
      expect([pod(name).serviceAccountName, pod(name).automountServiceAccountToken]).toEqual([name, false]);
    }
  });
});
