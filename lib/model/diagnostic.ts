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

/** `warning [compose] service 'web': 'autoscaling' ...` */
export function formatDiagnostic(d: Diagnostic): string {
  return `${d.level} [${d.target}] service '${d.service}': '${d.field}' ${d.message}`;
}

/** Thrown by a backend for a setting its target cannot express and that must not be approximated. */
export class UnsupportedError extends Error {
  constructor(public readonly diagnostic: Diagnostic) {
    super(formatDiagnostic(diagnostic));
    this.name = 'UnsupportedError';
  }
}
