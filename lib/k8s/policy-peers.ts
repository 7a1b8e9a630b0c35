/*
 * NetworkPolicies as plain Kubernetes objects: the peers they name (a service's pods, a namespace, the cluster DNS,
 * an address block), their ports and the policy itself. Plain ApiObjects holding the final JSON, not cdk8s-plus
 * NetworkPolicies: a large application has thousands of rules, and cdk8s-plus builds a construct and a lazy value
 * for each, then converts every field through typed functions; that made the policies a fifth of the synth.
 */
import { ApiObject } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { ResolvedPort, ResolvedService } from '../model';
import { objectMetadata } from './metadata';
import { PlainApiObject } from './plain-api-object';

type Peer = kplus.k8s.NetworkPolicyPeer;

/** The label every Namespace carries with its own name (Kubernetes 1.21+). */
const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/** Where the cluster DNS runs (kube-dns and CoreDNS both carry `k8s-app: kube-dns`). */
export const CLUSTER_DNS = { namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } } as const;

/** The pods of `svc` (its selector labels). */
export const podsPeer = (svc: ResolvedService): Peer => ({ podSelector: { matchLabels: { ...svc.selectorLabels } } });

/** Every pod of namespace `name` (the empty pod selector says "every pod", as cdk8s-plus writes it). */
export const namespacePeer = (name: string): Peer => ({
  namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: name } },
  podSelector: {},
});

/** The cluster DNS pods. */
export const dnsPeer = (): Peer => ({
  ...namespacePeer(CLUSTER_DNS.namespace),
  podSelector: { matchLabels: { ...CLUSTER_DNS.labels } },
});

/** The addresses of an IPv4 or IPv6 CIDR block. */
export const cidrPeer = (cidr: string): Peer => ({ ipBlock: { cidr } });

/** A port of a rule, as the JSON of a NetworkPolicyPort. */
export interface Port {
  readonly port: number;
  readonly protocol: 'TCP' | 'UDP';
}

/** A TCP port. */
export const tcpPort = (port: number): Port => ({ port, protocol: 'TCP' });

/** The ports of a rule, with their protocols. */
export function policyPorts(ports: readonly ResolvedPort[]): Port[] {
  return ports.map((p) => ({ port: p.port, protocol: p.protocol }));
}

/** An ingress rule: from `from` (any source when absent) to `ports`. */
export interface IngressRule {
  readonly from?: Peer[];
  readonly ports: Port[];
}

/** An egress rule: to `to`, on `ports` (every port when absent). */
export interface EgressRule {
  readonly to: Peer[];
  readonly ports?: Port[];
}

/** What a policy says besides its name and the pods it selects. */
export interface PolicyRules {
  readonly policyTypes: Array<'Ingress' | 'Egress'>;
  readonly ingress?: IngressRule[];
  readonly egress?: EgressRule[];
}

/** A NetworkPolicy `name` of the pods labelled `podLabels`, carrying `labels`. */
export function networkPolicy(
  scope: Construct,
  id: string,
  name: string,
  labels: Record<string, string>,
  namespace: string | undefined,
  podLabels: Record<string, string>,
  rules: PolicyRules,
): ApiObject {
  return new PlainApiObject(scope, id, {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: objectMetadata(name, labels, namespace),
    spec: { podSelector: { matchLabels: { ...podLabels } }, ...rules },
  });
}
