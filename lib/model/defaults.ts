/** Every default of the model, in one place. */
import { ResolvedLogging, ResolvedResources, ResolvedSecurity } from './resolved';

export const DEFAULT_SECURITY: ResolvedSecurity = {
  user: 10001,
  group: 10001,
  runAsNonRoot: true,
  readOnlyRootFilesystem: true,
  writablePaths: ['/tmp'],
  allowPrivilegeEscalation: false,
  capabilitiesDrop: ['ALL'],
  capabilitiesAdd: [],
};

export const DEFAULT_RESOURCES: ResolvedResources = {
  cpuRequestMillis: 100,
  cpuLimitMillis: 500,
  memoryRequestMiB: 128,
  memoryLimitMiB: 256,
};

export const DEFAULT_PROBE_TIMING = {
  initialDelaySeconds: 0,
  periodSeconds: 10,
  timeoutSeconds: 3,
  failureThreshold: 3,
};

export const DEFAULT_VOLUME_SIZE = '1Gi';
export const DEFAULT_WAIT_IMAGE = 'busybox:1.36.1';
export const DEFAULT_TARGET_CPU_PERCENT = 80;
export const DEFAULT_GATEWAY_NAME = 'gateway';
export const DEFAULT_GATEWAY_IMAGE = 'nginx:1.27-alpine';
export const DEFAULT_GATEWAY_PUBLISH = 8080;
export const GATEWAY_LISTEN_PORT = 8080;
export const DEFAULT_INGRESS_CONTROLLER_NAMESPACE = 'ingress-nginx';
export const DEFAULT_LOGGING: ResolvedLogging = {
  driver: 'json-file',
  options: { 'max-size': '10m', 'max-file': '3' },
};
export const DEFAULT_BUILD_TAG = (app: string, service: string) => `${app}/${service}:dev`;

export const MANAGED_BY = 'microservice-constructs';
export const LABEL_NAME = 'app.kubernetes.io/name';
export const LABEL_PART_OF = 'app.kubernetes.io/part-of';
export const LABEL_MANAGED_BY = 'app.kubernetes.io/managed-by';
export const LABEL_COMPONENT = 'app.kubernetes.io/component';
