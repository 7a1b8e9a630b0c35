/*
 * A real Kubernetes API server (and node) as the judge of the Kubernetes output: helpers for the suites in
 * test/k8s-real, run by `npm run test:k8s` against the cluster of scripts/kube-local.sh (Kubernetes 1.20.2 on
 * 127.0.0.1). Without a cluster the suites skip with a message; with REQUIRE_KUBERNETES=1 (as in CI) they fail.
 *
 * Where to find the cluster: KUBECONFIG, KUBECTL (the kubectl of the server's version) and
 * KUBE_LOCAL_DOCKER_HOST (the node's own dockerd, where images are loaded) as `scripts/kube-local.sh env` prints
 * them; unset, the defaults of scripts/kube-local.sh.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments, stringify } from 'yaml';
import { ensureImages, PYTHON_IMAGE, REDIS_IMAGE, run, RunResult, sleep, waitFor } from '../e2e/engine';

export const ROOT = path.resolve(__dirname, '..', '..');
const CACHE = process.env.KUBE_LOCAL_DIR ?? '/var/tmp/k8s-local';
export const KUBECONFIG = process.env.KUBECONFIG ?? path.join(CACHE, 'run', 'admin.kubeconfig');
export const KUBECTL =
  process.env.KUBECTL ?? (fs.existsSync(path.join(CACHE, 'bin', 'kubectl')) ? path.join(CACHE, 'bin', 'kubectl') : 'kubectl');
export const NODE_DOCKER_HOST = process.env.KUBE_LOCAL_DOCKER_HOST ?? 'unix:///run/k8s-local-docker.sock';

/** Long timeout of a test that waits for pods. */
export const POD_TIMEOUT = 300_000;

// ---------------------------------------------------------------------------------------------------------------
// cluster detection

interface ClusterStatus {
  readonly available: boolean;
  readonly reason?: string;
  readonly version?: string;
}

let status: ClusterStatus | undefined;

/** Whether a Kubernetes API server answers (checked once per test file). */
export function cluster(): ClusterStatus {
  if (status) return status;
  const r = spawnSync(KUBECTL, ['get', '--raw', '/version', '--request-timeout=10s'], {
    encoding: 'utf8',
    timeout: 20_000,
    env: { ...process.env, KUBECONFIG },
  });
  if (r.error || r.status !== 0) {
    const why = r.error ? r.error.message : (r.stderr || r.stdout).trim().split('\n').pop();
    status = {
      available: false,
      reason: `no Kubernetes API server answers ${KUBECTL} with KUBECONFIG=${KUBECONFIG} (${why}); start one with scripts/kube-local.sh up`,
    };
  } else {
    status = { available: true, version: JSON.parse(r.stdout).gitVersion };
  }
  return status;
}

/** `REQUIRE_KUBERNETES=1` (as in CI): a missing cluster is an error, not a reason to skip. */
export function kubernetesRequired(): boolean {
  return ['1', 'true', 'yes'].includes((process.env.REQUIRE_KUBERNETES ?? '').toLowerCase());
}

/** `describe` for tests that need the cluster: run, skip with a message, or fail with REQUIRE_KUBERNETES=1. */
export function describeWithCluster(name: string, body: () => void): void {
  const s = cluster();
  if (s.available) {
    describe(`${name} (Kubernetes ${s.version})`, body);
    return;
  }
  if (kubernetesRequired()) {
    describe(name, () => {
      test('a Kubernetes API server answers (REQUIRE_KUBERNETES=1)', () => {
        throw new Error(`REQUIRE_KUBERNETES=1 but ${s.reason}`);
      });
    });
    return;
  }
  // stderr directly: jest drops console output of a suite whose tests are all skipped
  process.stderr.write(`k8s-real: skipping '${name}': ${s.reason}; set REQUIRE_KUBERNETES=1 to make this a failure\n`);
  describe.skip(name, body);
}

// ---------------------------------------------------------------------------------------------------------------
// kubectl

/** `kubectl args` against the cluster; rejects on a non-zero exit unless `allowFailure`. */
export function kubectl(args: string[], options: { input?: string; allowFailure?: boolean; timeoutMs?: number } = {}): Promise<RunResult> {
  return run(KUBECTL, args, {
    env: { KUBECONFIG },
    timeoutMs: options.timeoutMs ?? 120_000,
    input: options.input,
    allowFailure: options.allowFailure,
  });
}

/** `docker args` on the node's own dockerd (never the machine's main engine). */
export function nodeDocker(args: string[], timeoutMs = 600_000): Promise<RunResult> {
  return run('docker', args, { env: { DOCKER_HOST: NODE_DOCKER_HOST }, timeoutMs });
}

/**
 * Builds the e2e suite's python and redis images (FROM its debootstrap base) on the node's dockerd. Only those:
 * the node's builds cannot reach the Debian mirror, which the Prometheus image's build needs.
 */
export async function ensureNodeImages(): Promise<void> {
  const saved = process.env.DOCKER_HOST;
  process.env.DOCKER_HOST = NODE_DOCKER_HOST;
  try {
    await ensureImages([PYTHON_IMAGE, REDIS_IMAGE]);
  } finally {
    if (saved === undefined) delete process.env.DOCKER_HOST;
    else process.env.DOCKER_HOST = saved;
  }
}

/** One line of `kubectl apply` output: `<kind>[.<group>]/<name> <verb>`. */
export interface Applied {
  readonly object: string;
  readonly verb: string;
}

/** The objects `kubectl apply` reports, with what it did to each (`created`, `configured`, `unchanged`). */
export function appliedObjects(stdout: string): Applied[] {
  return stdout
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => {
      const m = /^(\S+) (created|configured|unchanged)( \(server dry run\))?$/.exec(l);
      if (!m) throw new Error(`unexpected kubectl apply output: ${l}`);
      return { object: m[1], verb: m[2] };
    });
}

// ---------------------------------------------------------------------------------------------------------------
// manifests

/** A Kubernetes object as rendered. */
export type K8sObject = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; [k: string]: any };
  [k: string]: any;
};

/** The documents of a multi-document YAML file. */
export function readObjects(file: string): K8sObject[] {
  return parseAllDocuments(fs.readFileSync(file, 'utf8'))
    .map((d) => d.toJS())
    .filter(Boolean);
}

/**
 * `npm run synth` into a fresh directory (the same main.ts that writes dist/, so dist/ itself, which others may
 * be reading, is left alone); returns the directory.
 */
export function synthStacks(env: Record<string, string> = {}, stacks: string[] = []): string {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-k8s-real-'));
  const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'run-ts.js'), 'main.ts', '--outdir', outdir, ...stacks], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, ...env },
  });
  if (r.status !== 0) throw new Error(`npm run synth failed: ${r.stderr || r.stdout}`);
  return outdir;
}

/** What the 1.20 test server lacks of the 1.27 API the backend renders for. */
export interface Conversion {
  readonly object: string;
  readonly change: string;
}

/**
 * The objects for a 1.20 server: only what 1.20 cannot take is converted, each change listed; everything else
 * is returned as it was. autoscaling/v2 HorizontalPodAutoscaler (1.23+) -> autoscaling/v2beta2, the same schema
 * for what we render; gRPC probes (1.24+) -> a tcpSocket probe on the same port.
 */
export function for120(objects: K8sObject[]): { objects: K8sObject[]; conversions: Conversion[] } {
  const conversions: Conversion[] = [];
  const converted = objects.map((o) => {
    const id = `${o.kind}/${o.metadata.name}`;
    if (o.kind === 'HorizontalPodAutoscaler' && o.apiVersion === 'autoscaling/v2') {
      conversions.push({ object: id, change: 'autoscaling/v2 -> autoscaling/v2beta2' });
      return { ...o, apiVersion: 'autoscaling/v2beta2' };
    }
    const text = JSON.stringify(o);
    if (!text.includes('"grpc":{')) return o;
    const copy = JSON.parse(text);
    for (const c of [...(copy.spec?.template?.spec?.containers ?? []), ...(copy.spec?.template?.spec?.initContainers ?? [])]) {
      for (const field of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
        const probe = c[field];
        if (!probe?.grpc) continue;
        const { grpc, ...timing } = probe;
        c[field] = { ...timing, tcpSocket: { port: grpc.port } };
        conversions.push({ object: id, change: `${c.name}.${field} grpc -> tcpSocket` });
      }
    }
    return copy;
  });
  return { objects: converted, conversions };
}

/** Objects as a YAML stream for `kubectl apply -f -`. */
export function yamlStream(objects: K8sObject[]): string {
  // YAML 1.1, as kubectl reads it: strings such as "yes" stay quoted
  return objects.map((o) => stringify(o, { version: '1.1' })).join('---\n');
}

// ---------------------------------------------------------------------------------------------------------------
// cluster state

const MANAGED = 'app.kubernetes.io/managed-by=microservice-constructs';

/** Every namespaced kind the server lists and deletes, so kinds the backend starts to render are covered too. */
async function namespacedKinds(): Promise<string> {
  const r = await kubectl(['api-resources', '--namespaced=true', '--verbs=list,delete', '-o', 'name']);
  return r.stdout
    .split('\n')
    .map((s) => s.trim())
    .filter((s) => s && !s.startsWith('events'))
    .join(',');
}

/**
 * Back to an empty cluster: deletes every object the backend renders (by its managed-by label) in every
 * namespace, the namespaces it created, and the test's PersistentVolumes; waits until they are gone.
 */
export async function emptyCluster(): Promise<void> {
  const NAMESPACED_KINDS = await namespacedKinds();
  await kubectl(['delete', NAMESPACED_KINDS, '-A', '-l', MANAGED, '--wait=false', '--ignore-not-found'], { allowFailure: true });
  await kubectl(['delete', 'namespaces', '-l', MANAGED, '--wait=false', '--ignore-not-found'], { allowFailure: true });
  await kubectl(['delete', 'pods', '-A', '-l', MANAGED, '--grace-period=0', '--force', '--ignore-not-found'], { allowFailure: true });
  await waitFor(
    'an empty cluster',
    async () => {
      const left = await kubectl(['get', `namespaces,${NAMESPACED_KINDS}`, '-A', '-l', MANAGED, '-o', 'name'], { allowFailure: true });
      const pods = await kubectl(['get', 'pods', '-A', '-o', 'name'], { allowFailure: true });
      return left.stdout.trim() === '' && pods.stdout.trim() === '' ? true : undefined;
    },
    180_000,
    1000,
  );
  await kubectl(['delete', 'pv', '-l', 'k8s-real-test=1', '--ignore-not-found'], { allowFailure: true });
}

/** Keeps pods from being scheduled (server-side checks need no pods) or lets them run again. */
export async function schedulePods(on: boolean): Promise<void> {
  const nodes = (await kubectl(['get', 'nodes', '-o', 'name'])).stdout.trim().split('\n').filter(Boolean);
  for (const n of nodes) await kubectl([on ? 'uncordon' : 'cordon', n]);
}

/** The node's name (the one node of the local cluster). */
export async function nodeName(): Promise<string> {
  const nodes = (await kubectl(['get', 'nodes', '-o', 'jsonpath={.items[*].metadata.name}'])).stdout.trim().split(' ').filter(Boolean);
  if (nodes.length !== 1) throw new Error(`expected one node, found ${nodes.length}: ${nodes.join(', ')}`);
  return nodes[0];
}

/** Names of the Ready pods matching `selector` in `namespace`. */
export async function readyPods(selector: string, namespace = 'default'): Promise<string[]> {
  const r = await kubectl(['get', 'pods', '-n', namespace, '-l', selector, '-o', 'json']);
  return JSON.parse(r.stdout)
    .items.filter(
      (p: any) => !p.metadata.deletionTimestamp && (p.status.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True'),
    )
    .map((p: any) => p.metadata.name);
}

/**
 * Waits until exactly `count` pods matching `selector` are Ready; fails at once when the kubelet refused a pod
 * (it sets status.reason: AppArmor, UnexpectedAdmissionError, OutOfcpu, ...), else after `timeoutMs` with the
 * pods' states and the namespace's events.
 */
export async function waitForReadyPods(selector: string, count: number, namespace = 'default', timeoutMs = 240_000): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  let problem = `timed out after ${timeoutMs} ms waiting for ${count} Ready pod(s) ${selector}`;
  for (;;) {
    const r = await kubectl(['get', 'pods', '-n', namespace, '-l', selector, '-o', 'json'], { allowFailure: true });
    const pods = r.code === 0 ? JSON.parse(r.stdout).items : [];
    const refused = pods.find((p: any) => p.status?.reason && !p.metadata.deletionTimestamp);
    if (refused) {
      problem = `the kubelet refused pod ${refused.metadata.name}: ${refused.status.reason}: ${refused.status.message}`;
      break;
    }
    const ready = await readyPods(selector, namespace);
    if (ready.length === count) return ready;
    if (Date.now() >= deadline) break;
    await sleep(1000);
  }
  const pods = await kubectl(['get', 'pods', '-n', namespace, '-o', 'wide'], { allowFailure: true });
  const events = await kubectl(['get', 'events', '-n', namespace, '--sort-by=.lastTimestamp'], { allowFailure: true });
  throw new Error(`${problem}\n${pods.stdout}\n${events.stdout.split('\n').slice(-25).join('\n')}`);
}

/**
 * A PersistentVolume on this machine for one claim (the local cluster has no provisioner): a `local` volume in
 * `dir` on the one node, pre-bound to the claim so no other claim takes it. Like a provisioned volume, it gets
 * the pod's fsGroup ownership. Labelled for {@link emptyCluster}.
 */
export async function createVolumeFor(claim: string, namespace: string, size: string, dir: string): Promise<void> {
  fs.mkdirSync(dir, { recursive: true });
  const pv = {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name: `k8s-real-${namespace}-${claim}`, labels: { 'k8s-real-test': '1' } },
    spec: {
      capacity: { storage: size },
      accessModes: ['ReadWriteOnce'],
      persistentVolumeReclaimPolicy: 'Retain',
      claimRef: { namespace, name: claim },
      local: { path: dir },
      nodeAffinity: {
        required: {
          nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: [await nodeName()] }] }],
        },
      },
    },
  };
  await kubectl(['apply', '-f', '-'], { input: JSON.stringify(pv) });
}

export { sleep, waitFor };
