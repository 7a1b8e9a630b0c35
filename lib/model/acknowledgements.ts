/*
 * Acknowledged warnings: every diagnostic has a stable id, shown in its message; `app.acknowledge(id, why)` (or
 * `service.acknowledge(id, why)`) silences it with the reason kept in the code, like aws-cdk's
 * `Annotations.acknowledgeWarning`. Errors cannot be acknowledged.
 */
import { Diagnostic, diagnosticId, DiagnosticLevel } from './diagnostic';
import { show } from './validation';

/** A warning someone has read, and why it may stand. */
export interface Acknowledgement {
  /** The diagnostic id, e.g. 'docker-livenessProbe'. */
  readonly id: string;
  readonly reason: string;
  /** The service it applies to; none: the whole application. */
  readonly service?: string;
}

const ID = /^(k8s|docker)-[A-Za-z][A-Za-z.]*$/;

/** Rules of one `acknowledge(id, why)` call; `where` names its owner. @internal */
export function acknowledgementRules(id: unknown, reason: unknown, where: string): string | undefined {
  if (typeof id !== 'string' || !ID.test(id))
    return `${where}: 'acknowledge' id must look like 'k8s-<field>' or 'docker-<field>' (shown in the warning), got ${show(id)}`;
  if (typeof reason !== 'string' || reason.trim() === '')
    return `${where}: 'acknowledge' of '${id}' needs the reason the warning may stand, got ${show(reason)}`;
  return undefined;
}

/** Whether warning `d` is acknowledged, for its service or the whole application. @internal */
export function isAcknowledged(acks: readonly Acknowledgement[], d: Diagnostic): boolean {
  if (d.level !== DiagnosticLevel.WARNING) return false;
  const id = diagnosticId(d);
  return acks.some((a) => a.id === id && (a.service === undefined || a.service === d.service));
}
