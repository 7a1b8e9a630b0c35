/*
 * Validates synthesized objects: the Kubernetes OpenAPI schema (kubernetes-models 4.5.1) plus the API server's
 * rules the schema leaves out (names, labels, references between pod parts), so "valid" means `kubectl apply`
 * would accept it. Unknown kinds fail: every kind the backend renders must be listed here.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
import { isDnsLabel, isDnsSubdomain, isPortName } from '../../lib/model';

/** A synthesized object. */
export type K8sObject = { apiVersion: string; kind: string; metadata: any; spec?: any; [k: string]: any };

interface Validatable {
  validate(): void;
}

const MODELS: Record<string, () => new (data: any) => Validatable> = {
  'v1/Namespace': () => require('kubernetes-models/v1/Namespace').Namespace,
  'v1/ConfigMap': () => require('kubernetes-models/v1/ConfigMap').ConfigMap,
  'v1/PersistentVolumeClaim': () => require('kubernetes-models/v1/PersistentVolumeClaim').PersistentVolumeClaim,
  'v1/Service': () => require('kubernetes-models/v1/Service').Service,
  'v1/ServiceAccount': () => require('kubernetes-models/v1/ServiceAccount').ServiceAccount,
  'apps/v1/Deployment': () => require('kubernetes-models/apps/v1/Deployment').Deployment,
  'apps/v1/StatefulSet': () => require('kubernetes-models/apps/v1/StatefulSet').StatefulSet,
  'batch/v1/Job': () => require('kubernetes-models/batch/v1/Job').Job,
  'autoscaling/v2/HorizontalPodAutoscaler': () =>
    require('kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler').HorizontalPodAutoscaler,
  'networking.k8s.io/v1/Ingress': () => require('kubernetes-models/networking.k8s.io/v1/Ingress').Ingress,
  'networking.k8s.io/v1/NetworkPolicy': () => require('kubernetes-models/networking.k8s.io/v1/NetworkPolicy').NetworkPolicy,
};

const LABEL_KEY = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$/;
const DNS_1035 = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;
const POD_KINDS = new Set(['Deployment', 'StatefulSet', 'Job']);

/** Throws one error listing every problem of every object. */
export function validateObjects(objects: K8sObject[]): void {
  const errors = objects.flatMap((o) => objectErrors(o).map((e) => `${o.kind} '${o.metadata?.name}': ${e}`));
  const seen = new Set<string>();
  for (const o of objects) {
    const key = `${o.apiVersion}/${o.kind}/${o.metadata?.namespace ?? ''}/${o.metadata?.name}`;
    if (seen.has(key)) errors.push(`${o.kind} '${o.metadata?.name}': rendered twice`);
    seen.add(key);
  }
  if (errors.length > 0) throw new Error(errors.join('\n'));
}

/** The problems of one object; an unknown apiVersion/kind is one. */
export function objectErrors(o: K8sObject): string[] {
  const model = MODELS[`${o.apiVersion}/${o.kind}`];
  if (!model) return [`unknown kind ${o.apiVersion}/${o.kind}`];
  const errors: string[] = [];
  try {
    new (model())(o).validate();
  } catch (e) {
    errors.push(`schema: ${(e as Error).message}`);
  }
  errors.push(...metadataErrors(o.metadata, o.kind === 'Service' ? 'dns-1035' : 'subdomain'));
  if (POD_KINDS.has(o.kind)) errors.push(...podErrors(o));
  if (o.kind === 'Service')
    errors.push(
      ...unique(
        (o.spec?.ports ?? []).map((p: any) => p.name),
        'service port name',
      ),
    );
  return errors;
}

function metadataErrors(m: any, nameRule: 'dns-1035' | 'subdomain'): string[] {
  const errors: string[] = [];
  const name = m?.name ?? '';
  if (nameRule === 'dns-1035' ? !(name.length <= 63 && DNS_1035.test(name)) : !isDnsSubdomain(name))
    errors.push(`invalid name ${JSON.stringify(name)}`);
  if (m?.namespace !== undefined && !isDnsLabel(m.namespace)) errors.push(`invalid namespace ${JSON.stringify(m.namespace)}`);
  errors.push(...labelErrors(m?.labels));
  return errors;
}

function labelErrors(labels: Record<string, string> | undefined): string[] {
  return Object.entries(labels ?? {}).flatMap(([k, v]) => [
    ...(LABEL_KEY.test(k) ? [] : [`invalid label key ${JSON.stringify(k)}`]),
    ...(typeof v === 'string' && LABEL_VALUE.test(v) ? [] : [`invalid label value ${JSON.stringify(v)} of ${k}`]),
  ]);
}

/** The pod template rules the API server enforces on workloads. */
function podErrors(o: K8sObject): string[] {
  const template = o.spec?.template ?? {};
  const pod = template.spec ?? {};
  const errors = labelErrors(template.metadata?.labels);
  const selector: Record<string, string> = o.spec?.selector?.matchLabels ?? {};
  for (const [k, v] of Object.entries(selector)) {
    if (template.metadata?.labels?.[k] !== v) errors.push(`selector ${k}=${v} does not match the pod template labels`);
  }
  const containers: any[] = [...(pod.initContainers ?? []), ...(pod.containers ?? [])];
  errors.push(
    ...unique(
      containers.map((c) => c.name),
      'container name',
    ),
  );
  const volumes: any[] = pod.volumes ?? [];
  errors.push(
    ...unique(
      volumes.map((v) => v.name),
      'pod volume name',
    ),
  );
  const claimNames = (o.spec?.volumeClaimTemplates ?? []).map((t: any) => t.metadata?.name);
  errors.push(...unique(claimNames, 'claim template name'));
  for (const name of [...volumes.map((v) => v.name), ...claimNames])
    if (!isDnsLabel(name ?? '')) errors.push(`invalid volume name ${JSON.stringify(name)}`);
  for (const name of claimNames)
    if (volumes.some((v) => v.name === name)) errors.push(`volume ${name} is both a pod volume and a claim template`);
  const mountable = new Set([...volumes.map((v) => v.name), ...claimNames]);
  for (const c of containers) {
    if (!isDnsLabel(c.name ?? '')) errors.push(`invalid container name ${JSON.stringify(c.name)}`);
    const mounts: any[] = c.volumeMounts ?? [];
    for (const m of mounts) if (!mountable.has(m.name)) errors.push(`container ${c.name} mounts unknown volume ${m.name}`);
    errors.push(
      ...unique(
        mounts.map((m) => m.mountPath),
        `mount path of ${c.name}`,
      ),
    );
    const ports: any[] = c.ports ?? [];
    errors.push(
      ...unique(
        ports.map((p) => p.name).filter((n) => n !== undefined),
        `port name of ${c.name}`,
      ),
    );
    for (const p of ports)
      if (p.name !== undefined && !isPortName(p.name)) errors.push(`invalid port name ${JSON.stringify(p.name)} in ${c.name}`);
    const env: any[] = c.env ?? [];
    errors.push(
      ...unique(
        env.map((e) => e.name),
        `env name of ${c.name}`,
      ),
    );
    for (const e of env) if (!ENV_NAME.test(e.name)) errors.push(`invalid env name ${JSON.stringify(e.name)} in ${c.name}`);
  }
  return errors;
}

function unique(values: string[], what: string): string[] {
  const dupes = values.filter((v, i) => values.indexOf(v) !== i);
  return [...new Set(dupes)].map((d) => `duplicate ${what} ${JSON.stringify(d)}`);
}
