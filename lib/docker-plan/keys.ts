/** Container keys of the Docker plan: the compose service names and Pulumi resource names of the containers. */

/** The Docker/compose key of replica `index` (1-based): `web` alone, `web-1`..`web-n` when replicated. */
export function replicaKey(service: string, replicas: number, index: number): string {
  return replicas > 1 ? `${service}-${index}` : service;
}

/** The Docker/compose key of a sidecar next to replica `replica`: `web-1-proxy`. */
export function sidecarKey(replica: string, sidecar: string): string {
  return `${replica}-${sidecar}`;
}
