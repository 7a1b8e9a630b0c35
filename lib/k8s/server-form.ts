/*
 * The rendered objects in the form the API server stores them, so a second `kubectl apply` of unchanged YAML
 * reports every object `unchanged` and GitOps tools see no drift. The server drops what its Go types mark
 * `omitempty` when the value is the zero value of a non-pointer field (`minReadySeconds: 0`, `hostNetwork: false`,
 * `externalIPs: []`, ...) and stores quantities in canonical form (`1024Mi` as `1Gi`); a manifest that still
 * carries them differs from the live object forever.
 */

/**
 * Fields of the Kubernetes API types that are non-pointer and `omitempty`: their zero value is never stored, so
 * writing it is the same as leaving it out. Pointer fields (`privileged`, `automountServiceAccountToken`,
 * `backoffLimit`, `replicas`, `runAsUser`, ...) keep a zero value and are not listed: there it means something.
 */
export const SERVER_DROPPED_ZERO_FIELDS: ReadonlyMap<string, false | 0 | ''> = new Map<string, false | 0 | ''>([
  // Deployment, StatefulSet, DaemonSet, ReplicaSet
  ['minReadySeconds', 0],
  // PodSpec
  ['hostNetwork', false],
  ['hostPID', false],
  ['hostIPC', false],
  // Container
  ['stdin', false],
  ['stdinOnce', false],
  ['tty', false],
  // Probe
  ['initialDelaySeconds', 0],
  // VolumeMount and the PersistentVolumeClaim, ConfigMap... volume sources (not `csi`, whose readOnly is a pointer)
  ['readOnly', false],
  ['subPath', ''],
]);

/** Map-valued fields: their entries are user data (`data: {key: ''}` is kept by the server), never fields. */
const MAP_FIELDS = new Set([
  'labels',
  'annotations',
  'data',
  'binaryData',
  'stringData',
  'matchLabels',
  'nodeSelector',
  'selector',
  'parameters',
]);

/** Fields that hold a resource quantity map (container resources, claim requests, HPA targets not included). */
const QUANTITY_MAPS = new Set(['requests', 'limits', 'capacity', 'hard']);

const BINARY = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];
const DECIMAL: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const DECIMAL_SUFFIX: Record<number, string> = Object.fromEntries(Object.entries(DECIMAL).map(([s, e]) => [e, s]));

/** `n * 10^e` in the decimal form the server writes: the largest power of 1000 that keeps the number whole. */
function decimalForm(n: bigint, e: number): string | undefined {
  if (n === 0n) return '0';
  const down = ((e % 3) + 3) % 3;
  n *= 10n ** BigInt(down);
  e -= down;
  while (e < 18 && n % 1000n === 0n) {
    n /= 1000n;
    e += 3;
  }
  return e in DECIMAL_SUFFIX ? `${n}${DECIMAL_SUFFIX[e]}` : undefined;
}

/**
 * The canonical form the API server stores a quantity in (as resource.Quantity's CanonicalizeBytes writes it):
 * the largest suffix of the same family that keeps the number whole (`1024Mi` -> `1Gi`, `1.5Gi` -> `1536Mi`,
 * `1000m` -> `1`, `0.5` -> `500m`, `2000` -> `2k`); binary amounts under 1024 or with a fraction of a unit are
 * written in decimal. Forms this does not know (exponents, signs) are returned unchanged.
 */
export function canonicalQuantity(q: string): string {
  const m = /^(\d+)(?:\.(\d+))?(n|u|m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/.exec(q);
  if (!m) return q;
  const fraction = m[2] ?? '';
  const n = BigInt(m[1] + fraction);
  const suffix = m[3] ?? '';
  const binary = BINARY.indexOf(suffix);
  if (binary <= 0) return decimalForm(n, (DECIMAL[suffix] ?? 0) - fraction.length) ?? q;
  // n / 10^fraction.length * 1024^binary bytes
  const scaled = n * 1024n ** BigInt(binary);
  const divisor = 10n ** BigInt(fraction.length);
  if (scaled % divisor !== 0n) {
    // a fraction of a byte: the server writes the exact value in decimal
    const e = fraction.length;
    return decimalForm(scaled, -e) ?? q;
  }
  let bytes = scaled / divisor;
  if (bytes < 1024n) return decimalForm(bytes, 0) ?? q;
  let i = 0;
  while (i < BINARY.length - 1 && bytes % 1024n === 0n) {
    bytes /= 1024n;
    i++;
  }
  return `${bytes}${BINARY[i]}`;
}

/**
 * `obj` without the values the API server would drop and with quantities in canonical form (a new object; the
 * input is not changed). Empty lists go too: the built-in types store an empty list as no list.
 */
export function toServerForm<T>(obj: T): T {
  const out = strip(obj, undefined) as any;
  if (out?.kind === 'StatefulSet' && Array.isArray(out.spec?.volumeClaimTemplates)) {
    out.spec.volumeClaimTemplates = out.spec.volumeClaimTemplates.map(claimTemplateInServerForm);
  }
  return out;
}

/**
 * A StatefulSet's claim template as the server stores it. `volumeClaimTemplates` is a list without a merge key, so
 * kubectl compares it whole: unless every field the server adds is written too (apiVersion and kind, a null
 * creationTimestamp, the default volumeMode and the Pending status), each apply replaces the list and reports the
 * StatefulSet `configured`.
 */
function claimTemplateInServerForm(t: any): any {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    ...t,
    metadata: { creationTimestamp: null, ...t.metadata },
    spec: { volumeMode: 'Filesystem', ...t.spec },
    status: { phase: 'Pending', ...t.status },
  };
}

function strip(value: unknown, key: string | undefined): unknown {
  if (Array.isArray(value)) return value.map((v) => strip(v, undefined));
  if (value === null || typeof value !== 'object') return value;
  const mapField = key !== undefined && MAP_FIELDS.has(key);
  const quantities = key !== undefined && QUANTITY_MAPS.has(key);
  const out: Record<string, unknown> = {};
  // for...in over plain JSON objects (own keys only): a third of Object.entries' time on large charts.
  for (const k in value as Record<string, unknown>) {
    const v = (value as Record<string, unknown>)[k];
    if (mapField && typeof v !== 'object') out[k] = v;
    else if (quantities && typeof v === 'string') out[k] = canonicalQuantity(v);
    else if (Array.isArray(v) && v.length === 0) continue;
    else if (SERVER_DROPPED_ZERO_FIELDS.get(k) === v && v !== undefined && key !== 'csi') continue;
    else out[k] = strip(v, k);
  }
  return out;
}
