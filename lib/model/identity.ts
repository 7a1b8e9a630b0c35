/* Service identity: the name every target uses, the env prefix dependents see, and the labels on its objects. */
import { IConstruct } from 'constructs';
import { envPrefix, isDnsLabel, isLabelKey, isLabelValue, serviceNameFromPath } from './names';
import { OptionNames, Report, show } from './validation';

export const MANAGED_BY = 'microservice-constructs';
export const LABEL_NAME = 'app.kubernetes.io/name';
export const LABEL_PART_OF = 'app.kubernetes.io/part-of';
export const LABEL_MANAGED_BY = 'app.kubernetes.io/managed-by';
export const LABEL_COMPONENT = 'app.kubernetes.io/component';
/** Labels the model sets itself; selectors depend on them, so users must not override them. */
const RESERVED_LABELS = [LABEL_NAME, LABEL_PART_OF, LABEL_MANAGED_BY];

/** Name and labels of a service. */
export interface ServiceIdentityProps {
  /**
   * Service name, a DNS-1123 label unique in the application; also its DNS name in every target.
   * @default - derived from the construct path below the application
   */
  readonly name?: string;
  /** Extra labels on every object of this service. @default {} */
  readonly labels?: Record<string, string>;
}

export const IDENTITY_OPTIONS: OptionNames<ServiceIdentityProps> = { name: true, labels: true };

export interface ResolvedServiceIdentity {
  readonly name: string;
  /** Construct path below the application (for messages). */
  readonly path: string;
  /** `<DEP>` prefix of the variables dependents get, e.g. `USER_DB`. */
  readonly envPrefix: string;
  /** Standard and user labels of this service's objects. */
  readonly labels: Record<string, string>;
  /** Labels that select this service's pods/containers. */
  readonly selectorLabels: Record<string, string>;
}

/** The construct path without the application's own id: `shop/users` -> `users`. @internal */
export function pathBelowRoot(c: IConstruct): string {
  return c.node.scopes
    .slice(1)
    .map((x) => x.node.id)
    .join('/');
}

/** The service name of a construct: its `name` prop, else derived from its path below the application. @internal */
export function serviceNameOf(construct: IConstruct, props: ServiceIdentityProps): string {
  // A non-string name (plain JavaScript) is reported where the service resolves; messages still need a string.
  return props.name === undefined ? serviceNameFromPath(pathBelowRoot(construct)) : String(props.name);
}

/** The labels on every object of application `app`. @internal */
export function applicationLabels(app: string, labels: Record<string, string> | undefined): Record<string, string> {
  return { ...(labels ?? {}), [LABEL_PART_OF]: app, [LABEL_MANAGED_BY]: MANAGED_BY };
}

/** @internal */
export function resolveServiceIdentity(
  construct: IConstruct,
  name: string,
  props: ServiceIdentityProps,
  appName: string,
  appLabels: Record<string, string>,
  report: Report,
): ResolvedServiceIdentity {
  if (props.name !== undefined && typeof props.name !== 'string') report(`'name' must be a string, got ${show(props.name)}`);
  // Starting with a letter: Kubernetes Service names are DNS-1035 labels and the name prefixes env variables.
  if (!(isDnsLabel(name) && /^[a-z]/.test(name))) {
    report(`'name' must be a DNS-1123 label starting with a letter (lowercase alphanumerics and '-', <= 63 characters), got ${show(name)}`);
  }
  labelRules(props.labels, 'labels', report);
  return {
    name,
    path: pathBelowRoot(construct),
    envPrefix: envPrefix(name),
    labels: { ...appLabels, ...(props.labels ?? {}), [LABEL_NAME]: name },
    selectorLabels: { [LABEL_NAME]: name, [LABEL_PART_OF]: appName },
  };
}

/** Rules of a label map (service or application `labels`). @internal */
export function labelRules(labels: Record<string, string> | undefined, where: string, report: Report): void {
  for (const [k, v] of Object.entries(labels ?? {})) {
    if (RESERVED_LABELS.includes(k))
      report(`'${where}' must not set ${show(k)} (the model sets it and selectors rely on it), got ${show(v)}`);
    if (!isLabelKey(k)) report(`'${where}' key must be a Kubernetes label key, got ${show(k)}`);
    if (typeof v !== 'string' || !isLabelValue(v))
      report(`'${where}.${k}' must be a Kubernetes label value (<= 63 characters), got ${show(v)}`);
  }
}
