/* Pod settings only Kubernetes has: the service account, pod annotations and node placement. */
import { isLabelKey, isLabelValue } from './names';
import { objectRule, OptionNames, Report, show, unknownOptionRules } from './validation';

/** The service account of a service's pods (Kubernetes; Docker targets have none and ignore it). */
export interface ServiceAccountProps {
  /**
   * Mount the service account token into the pods (for apps that call the Kubernetes API, or Workload
   * Identity / IRSA).
   * @default false
   */
  readonly automountToken?: boolean;
  /** Annotations of the ServiceAccount, e.g. `iam.gke.io/gcp-service-account` or `eks.amazonaws.com/role-arn`. @default {} */
  readonly annotations?: Record<string, string>;
}

/** Kubernetes pod settings of a service. */
export interface PodProps {
  /**
   * The service's own ServiceAccount (every workload gets one, named after the service).
   * @default - its own ServiceAccount, no token mounted
   */
  readonly serviceAccount?: ServiceAccountProps;
  /**
   * Annotations on the pods, e.g. `sidecar.istio.io/rewriteAppHTTPProbers`. Kubernetes only.
   * @default {}
   */
  readonly podAnnotations?: Record<string, string>;
  /**
   * Node labels the pods must be scheduled on (`nodeSelector`), e.g. `{ 'kubernetes.io/os': 'linux' }`.
   * Kubernetes only: Docker targets report it.
   * @default {}
   */
  readonly nodeSelector?: Record<string, string>;
}

export const POD_OPTIONS: OptionNames<PodProps> = { serviceAccount: true, podAnnotations: true, nodeSelector: true };
const SERVICE_ACCOUNT_OPTIONS: OptionNames<ServiceAccountProps> = { automountToken: true, annotations: true };

export interface ResolvedPod {
  readonly serviceAccount: { readonly automountToken: boolean; readonly annotations: Record<string, string> };
  readonly podAnnotations: Record<string, string>;
  readonly nodeSelector: Record<string, string>;
}

/** Annotation keys have the form of label keys; values are any string. */
function annotationRules(value: Record<string, string> | undefined, where: string, report: Report): Record<string, string> {
  if (!objectRule(value, where, report)) return {};
  for (const [k, v] of Object.entries(value!)) {
    if (!isLabelKey(k)) report(`'${where}' key must be a Kubernetes annotation key, got ${show(k)}`);
    if (typeof v !== 'string') report(`'${where}.${k}' must be a string, got ${show(v)}`);
  }
  return { ...value };
}

/** @internal */
export function resolvePod(p: PodProps, report: Report): ResolvedPod {
  const sa = p.serviceAccount;
  let automountToken = false;
  let annotations: Record<string, string> = {};
  if (objectRule(sa, 'serviceAccount', report)) {
    unknownOptionRules(sa, SERVICE_ACCOUNT_OPTIONS, 'serviceAccount', report);
    if (sa!.automountToken !== undefined && typeof sa!.automountToken !== 'boolean')
      report(`'serviceAccount.automountToken' must be a boolean, got ${show(sa!.automountToken)}`);
    automountToken = sa!.automountToken === true;
    annotations = annotationRules(sa!.annotations, 'serviceAccount.annotations', report);
  }
  const nodeSelector = objectRule(p.nodeSelector, 'nodeSelector', report) ? { ...p.nodeSelector } : {};
  for (const [k, v] of Object.entries(nodeSelector)) {
    if (!isLabelKey(k)) report(`'nodeSelector' key must be a Kubernetes label key, got ${show(k)}`);
    if (typeof v !== 'string' || !isLabelValue(v))
      report(`'nodeSelector.${k}' must be a Kubernetes label value (<= 63 characters), got ${show(v)}`);
  }
  return {
    serviceAccount: { automountToken, annotations },
    podAnnotations: annotationRules(p.podAnnotations, 'podAnnotations', report),
    nodeSelector,
  };
}
