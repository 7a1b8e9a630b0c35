/* Monitoring: the Prometheus metrics endpoint of a service. */
import { ResolvedPort } from './ports';
import { OptionNames, Report, show, unknownOptionRules } from './validation';

/** A Prometheus metrics endpoint. */
export interface MetricsProps {
  /** Port serving metrics; one of the service's ports. */
  readonly port: number;
  /** @default '/metrics' */
  readonly path?: string;
}

export interface ResolvedMetrics {
  readonly port: number;
  readonly path: string;
}

/** @internal */
const METRICS_OPTIONS: OptionNames<MetricsProps> = { port: true, path: true };

export function resolveMetrics(m: MetricsProps | undefined, ports: ResolvedPort[], report: Report): ResolvedMetrics | undefined {
  if (!m) return undefined;
  unknownOptionRules(m, METRICS_OPTIONS, 'metrics', report);
  if (!ports.some((p) => p.port === m.port))
    report(`'metrics.port' must be one of the service's ports ${show(ports.map((p) => p.port))}, got ${show(m.port)}`);
  if (m.path !== undefined && !m.path.startsWith('/')) report(`'metrics.path' must start with '/', got ${show(m.path)}`);
  return { port: m.port, path: m.path ?? '/metrics' };
}
