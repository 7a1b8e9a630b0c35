/** Transport protocol of a port. */
export enum Protocol {
  TCP = 'TCP',
  UDP = 'UDP',
}

/** What happens when the main process exits. */
export enum RestartPolicy {
  /** Always restart: a long-running service (Kubernetes Deployment/StatefulSet). */
  ALWAYS = 'always',
  /** Restart only after a failure: a run-to-completion task (Kubernetes Job). */
  ON_FAILURE = 'on-failure',
  /** Never restart: a one-shot task (Kubernetes Job with restartPolicy Never). */
  NEVER = 'never',
}

/** When a dependent may start. */
export enum DependencyCondition {
  /** As soon as the dependency's port accepts connections (Kubernetes) / its container started (Docker). */
  STARTED = 'started',
  /** Only once the dependency's health check passes. */
  HEALTHY = 'healthy',
}

/** How a Kubernetes Service is exposed. */
export enum ServiceType {
  CLUSTER_IP = 'ClusterIP',
  NODE_PORT = 'NodePort',
  LOAD_BALANCER = 'LoadBalancer',
}

/** Severity of a diagnostic a backend reports. */
export enum DiagnosticLevel {
  WARNING = 'warning',
  ERROR = 'error',
}
