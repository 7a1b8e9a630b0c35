/** Pulumi resource names of the children of a DockerApplication (Docker object names come from the plan). */

/** `<component>-<part>-...`, with characters Pulumi names and URNs dislike replaced: `shop`, `image`, `redis:7` -> `shop-image-redis-7`. */
export function childName(component: string, ...parts: string[]): string {
  return [component, ...parts].map((p) => p.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '')).join('-');
}
