import { Protocol } from '../model';
import { DockerPlan, hostAddress } from '../docker-plan';

/** What `pulumi stack output` shows of one service (or of the gateway). */
export interface ServiceOutputs {
  /** Docker container names: replicas, then sidecars, in plan order. */
  readonly containers: string[];
  /**
   * `http://<address>:<port>` for each published TCP port, as seen from the Docker host: the address it is published
   * on (`127.0.0.1` by default; `localhost` for a port published on every interface).
   */
  readonly urls: string[];
  /** Names of the Docker networks its containers join. */
  readonly networks: string[];
}

/** The outputs of every service and of the gateway, keyed by service name, in plan order. */
export function serviceOutputs(plan: DockerPlan): Record<string, ServiceOutputs> {
  const networkName = new Map(plan.networks.map((n) => [n.key, n.name]));
  const out: Record<string, { containers: string[]; urls: string[]; networks: string[] }> = {};
  for (const c of plan.containers) {
    const o = (out[c.service] ??= { containers: [], urls: [], networks: [] });
    o.containers.push(c.containerName);
    for (const p of c.ports) {
      const url = `http://${hostOf(p.publishAddress)}:${p.publish}`;
      if (p.publish !== undefined && p.protocol === Protocol.TCP && !o.urls.includes(url)) o.urls.push(url);
    }
    for (const n of c.networks) {
      const name = networkName.get(n.network)!;
      if (!o.networks.includes(name)) o.networks.push(name);
    }
  }
  return out;
}

/** The host part of a URL reaching a port published on `address` from the Docker host itself. */
function hostOf(address: string | undefined): string {
  if (address === undefined || address === '0.0.0.0' || address === '::') return 'localhost';
  return hostAddress(address);
}
