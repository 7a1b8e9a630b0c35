/*
 * The peers NetworkPolicies name: a service's pods, a namespace, the cluster DNS. One construct per peer for the
 * whole chart, shared by every policy and rule that names it (a peer is only its selector), instead of one per rule:
 * at 1,000 services that is thousands of constructs fewer to build and walk.
 */
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { Protocol, ResolvedPort, ResolvedService } from '../model';

/** Where the cluster DNS runs (kube-dns and CoreDNS both carry `k8s-app: kube-dns`). */
export const CLUSTER_DNS = { namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } } as const;

/** The chart's policy peers, each created on first use. */
export class PolicyPeers {
  private readonly pods = new Map<string, kplus.Pods>();
  private readonly namespaces = new Map<string, kplus.Namespaces>();
  private clusterDns?: kplus.Pods;

  constructor(private readonly scope: Construct) {}

  /** The pods of `svc` (its selector labels). */
  public podsOf(svc: ResolvedService): kplus.Pods {
    let peer = this.pods.get(svc.name);
    if (!peer) {
      peer = kplus.Pods.select(this.scope, `Peer:Pods:${svc.name}`, { labels: svc.selectorLabels });
      this.pods.set(svc.name, peer);
    }
    return peer;
  }

  /** Every pod of namespace `name`. */
  public namespace(name: string): kplus.Namespaces {
    let peer = this.namespaces.get(name);
    if (!peer) {
      peer = kplus.Namespaces.select(this.scope, `Peer:Namespace:${name}`, { names: [name] });
      this.namespaces.set(name, peer);
    }
    return peer;
  }

  /** The cluster DNS pods. */
  public dns(): kplus.Pods {
    this.clusterDns ??= kplus.Pods.select(this.scope, 'Peer:Dns', {
      labels: { ...CLUSTER_DNS.labels },
      namespaces: kplus.Namespaces.select(this.scope, 'Peer:DnsNamespace', { names: [CLUSTER_DNS.namespace] }),
    });
    return this.clusterDns;
  }
}

/** The ports of a rule, with their protocols. */
export function policyPorts(ports: readonly ResolvedPort[]): kplus.NetworkPolicyPort[] {
  return ports.map((p) => (p.protocol === Protocol.UDP ? kplus.NetworkPolicyPort.udp(p.port) : kplus.NetworkPolicyPort.tcp(p.port)));
}
