/*
 * The decisions of compose import that are tables rather than code: which names hold secrets, which images listen
 * where, which capabilities Docker grants. Grammar checks mirror lib/model/validation.ts so that an import never
 * produces a definition the model rejects.
 */
import { isLabelKey, isLabelValue, LABEL_MANAGED_BY, LABEL_NAME, LABEL_PART_OF } from '../model';

/**
 * Variable names whose values are credentials: they become secret references, never plaintext. A superset of the
 * model's rule (it adds any `KEY`), excluding names that hold a path or a name rather than the value itself.
 */
const SECRET_NAME = /(PASSWORD|PASSWD|SECRET|TOKEN|KEY|CREDENTIALS?)(?!.*_(FILE|PATH|NAME|USER|HOST|URL)$)/i;

/** Whether variable `name` looks like it holds a credential (unless the user listed it in `notSecret`). */
export function isSecretName(name: string, notSecret: ReadonlySet<string> = NONE): boolean {
  return SECRET_NAME.test(name) && !notSecret.has(name);
}

const NONE: ReadonlySet<string> = new Set();

/** File names whose content is a credential: mounted from a secret reference, never read into the outputs. */
const SECRET_FILE = /(password|passwd|secret|token|credential|\.key$|\.pem$|\.p12$|\.pfx$|id_rsa|id_ed25519)/i;

/** Whether a bind-mounted file looks like it holds a credential. */
export function isSecretFile(fileName: string): boolean {
  return SECRET_FILE.test(fileName);
}

const RESERVED_LABELS = [LABEL_NAME, LABEL_PART_OF, LABEL_MANAGED_BY];

/** Why label `key=value` cannot be a Kubernetes label, or undefined when it can. */
export function labelProblem(key: string, value: string): string | undefined {
  if (RESERVED_LABELS.includes(key)) return 'is set by the model itself';
  if (!isLabelKey(key)) return 'is not a Kubernetes label key';
  if (!isLabelValue(value)) return 'has a value that is not a Kubernetes label value (<= 63 characters of [-A-Za-z0-9_.])';
  return undefined;
}

/**
 * `name` as a DNS-1123 label starting with a letter (service, volume and application names): lowercase, runs of
 * other characters become '-', at most 63 characters.
 */
export function toDnsLabel(name: string, fallback: string): string {
  let label = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (!/^[a-z]/.test(label)) label = label ? `${fallback}-${label}` : fallback;
  return label.slice(0, 63).replace(/-+$/, '');
}

/** `name` made unique among `taken` by a numeric suffix; adds it to `taken`. */
export function uniqueName(name: string, taken: Set<string>): string {
  let candidate = name;
  for (let n = 2; taken.has(candidate); n++) candidate = `${name.slice(0, 60 - String(n).length)}-${n}`;
  taken.add(candidate);
  return candidate;
}

/** Secret keys the model accepts. */
export function toSecretKey(name: string): string {
  return name.replace(/[^-._a-zA-Z0-9]+/g, '-') || 'value';
}

/**
 * The port official images listen on, for services the compose file gives no `ports`/`expose` (compose networks
 * reach every port; the model needs a declared port to connect a dependent).
 */
const WELL_KNOWN_PORTS: Record<string, number> = {
  cassandra: 9042,
  consul: 8500,
  couchdb: 5984,
  elasticsearch: 9200,
  etcd: 2379,
  grafana: 3000,
  httpd: 80,
  influxdb: 8086,
  kibana: 5601,
  mariadb: 3306,
  memcached: 11211,
  minio: 9000,
  mongo: 27017,
  mysql: 3306,
  nats: 4222,
  neo4j: 7687,
  nginx: 80,
  postgres: 5432,
  prometheus: 9090,
  rabbitmq: 5672,
  redis: 6379,
  traefik: 80,
  zookeeper: 2181,
};

/** The port the image listens on when it is an official image we know, e.g. `mongo:4.2` -> 27017. */
export function wellKnownPort(imageReference: string | undefined): number | undefined {
  if (!imageReference) return undefined;
  const repository = imageReference.split('@')[0].replace(/:[^/:]*$/, '');
  const official = repository.replace(/^(docker\.io\/)?(library\/)?/, '');
  const name = official.includes('/') ? official.split('/').pop()! : official;
  return Object.prototype.hasOwnProperty.call(WELL_KNOWN_PORTS, name) ? WELL_KNOWN_PORTS[name] : undefined;
}

/** The capabilities Docker grants a container by default (what `ImportSecurity.COMPOSE` adds back). */
export const DOCKER_DEFAULT_CAPABILITIES = [
  'AUDIT_WRITE',
  'CHOWN',
  'DAC_OVERRIDE',
  'FOWNER',
  'FSETID',
  'KILL',
  'MKNOD',
  'NET_BIND_SERVICE',
  'NET_RAW',
  'SETFCAP',
  'SETGID',
  'SETPCAP',
  'SETUID',
  'SYS_CHROOT',
];

/** The Docker defaults of a compose health check, used where the file leaves a timing out. */
export const COMPOSE_HEALTHCHECK_DEFAULTS = { intervalSeconds: 30, timeoutSeconds: 30, retries: 3, startPeriodSeconds: 0 };

/** Users every image knows by name. */
export const WELL_KNOWN_USERS: Record<string, number> = { root: 0, nobody: 65534 };
