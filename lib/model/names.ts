/** Naming rules shared by every target. */

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const IANA_SVC_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;
const LABEL_KEY = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$/;

/**
 * An environment variable name as Kubernetes accepts it (`[-._a-zA-Z][-._a-zA-Z0-9]*`), and so Docker and compose:
 * real applications read names a shell cannot (Elasticsearch's `discovery.type`); they reach the process all the same.
 */
export function isEnvName(name: string): boolean {
  return ENV_NAME.test(name);
}

/** A Kubernetes label key (optional DNS prefix, name of <= 63 characters). */
export function isLabelKey(key: string): boolean {
  return LABEL_KEY.test(key);
}

/** A Kubernetes label value (<= 63 characters of [-A-Za-z0-9_.]). */
export function isLabelValue(value: string): boolean {
  return LABEL_VALUE.test(value);
}

/** A DNS-1123 label: lowercase alphanumerics and '-', at most 63 characters. */
export function isDnsLabel(name: string): boolean {
  return name.length <= 63 && DNS_LABEL.test(name);
}

/** A DNS-1123 subdomain: dot-separated labels, at most 253 characters. */
export function isDnsSubdomain(name: string): boolean {
  return name.length <= 253 && DNS_SUBDOMAIN.test(name);
}

/** An IANA service name (Kubernetes port name): at most 15 characters, a letter, no '--'. */
export function isPortName(name: string): boolean {
  return name.length <= 15 && IANA_SVC_NAME.test(name) && /[a-z]/.test(name) && !name.includes('--');
}

/** The service name derived from a construct path below the application: `shop/Users` -> `shop-users`. */
export function serviceNameFromPath(path: string): string {
  return path
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** The prefix of the variables a dependency injects: `user-db` -> `USER_DB`. */
export function envPrefix(serviceName: string): string {
  return serviceName.toUpperCase().replace(/[^A-Z0-9]/g, '_');
}

/** The variable name a secret key is read from where the target interpolates variables (compose). */
export function secretVariable(secretName: string, key: string): string {
  return `${secretName}_${key}`.toUpperCase().replace(/[^A-Z0-9]/g, '_');
}

/** The Pulumi config key holding a secret key's value. */
export function secretConfigKey(secretName: string, key: string): string {
  return `${secretName}.${key}`.replace(/[^A-Za-z0-9._-]/g, '-');
}

/** The default name of a port: `port-<n>`, `port-<n>-udp` for UDP, so TCP and UDP on one number do not clash. */
export function defaultPortName(port: number, protocol: string | undefined): string {
  return protocol === 'UDP' ? `port-${port}-udp` : `port-${port}`;
}
