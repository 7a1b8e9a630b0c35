/** Severity of a diagnostic a backend reports. */
export enum DiagnosticLevel {
  WARNING = 'warning',
  ERROR = 'error',
}

/** Something a backend could not express exactly, reported instead of silently dropped. */
export interface Diagnostic {
  readonly level: DiagnosticLevel;
  /** Target that reports it: 'kubernetes', 'docker' (Pulumi) or 'compose'. */
  readonly target: string;
  /** Service (or gateway) name. */
  readonly service: string;
  /** Field of the definition, e.g. 'autoscaling'. */
  readonly field: string;
  readonly message: string;
}

/**
 * The stable id of a diagnostic: its target family ('k8s' or 'docker', the latter for Pulumi and compose alike)
 * and its field without sidecar names, e.g. 'k8s-ingressFrom', 'docker-sidecars.ports'.
 */
export function diagnosticId(d: Pick<Diagnostic, 'target' | 'field'>): string {
  return `${d.target === 'kubernetes' ? 'k8s' : 'docker'}-${d.field.replace(/\[[^\]]*\]/g, '')}`;
}

/**
 * `warning [compose] service 'web': 'autoscaling' ... (docker-autoscaling)`: a warning ends with the id that
 * `acknowledge(id, why)` takes.
 */
export function formatDiagnostic(d: Diagnostic): string {
  const line = formatDiagnosticLine(d);
  return d.level === DiagnosticLevel.WARNING ? `${line} (${diagnosticId(d)})` : line;
}

/** The line of a diagnostic without the acknowledgement id (for reports nothing can acknowledge: compose import). */
export function formatDiagnosticLine(d: Pick<Diagnostic, 'target' | 'service' | 'field' | 'message'> & { readonly level: string }): string {
  return `${d.level} [${d.target}] service '${d.service}': '${d.field}' ${d.message}`;
}

/** Thrown by a backend for a setting its target cannot express and that must not be approximated. */
export class UnsupportedError extends Error {
  constructor(public readonly diagnostic: Diagnostic) {
    super(formatDiagnostic(diagnostic));
    this.name = 'UnsupportedError';
  }
}
