/* Scaling: a fixed replica count or CPU autoscaling. */
import { RestartPolicy } from './lifecycle';
import { inRange, isInt, OptionNames, Report, show, unknownOptionRules } from './validation';

/** Autoscaling on CPU. */
export interface AutoscalingProps {
  /** Fewest replicas, >= 1. */
  readonly minReplicas: number;
  /** Most replicas, >= minReplicas. */
  readonly maxReplicas: number;
  /**
   * Target average CPU utilisation in percent of the request.
   * @default 80
   */
  readonly targetCpuPercent?: number;
}

/** How many instances of a service run. */
export interface ScalingProps {
  /**
   * Number of instances. Omitted in Kubernetes when autoscaled.
   * @default 1 (or autoscaling.minReplicas)
   */
  readonly replicas?: number;
  /** @default - no autoscaling */
  readonly autoscaling?: AutoscalingProps;
}

export interface ResolvedScaling {
  /** Fixed count; with autoscaling, its minReplicas. */
  readonly replicas: number;
  readonly autoscaling?: { readonly minReplicas: number; readonly maxReplicas: number; readonly targetCpuPercent: number };
}

export const DEFAULT_TARGET_CPU_PERCENT = 80;
/** Most instances of one service: beyond it Docker targets would plan (and compose write) a container each. */
export const MAX_REPLICAS = 1000;
export const SCALING_OPTIONS: OptionNames<ScalingProps> = { replicas: true, autoscaling: true };
const AUTOSCALING_OPTIONS: OptionNames<AutoscalingProps> = { minReplicas: true, maxReplicas: true, targetCpuPercent: true };

/** Resolves the scaling of a service that restarts by `restartPolicy`. @internal */
export function resolveScaling(p: ScalingProps, restartPolicy: RestartPolicy, report: Report): ResolvedScaling {
  const r = p.replicas;
  if (r !== undefined) {
    if (!isInt(r)) report(`'replicas' must be an integer, got ${show(r)}`);
    else if (r < 0) report(`'replicas' must be >= 0, got ${r}`);
    else if (r > MAX_REPLICAS) report(`'replicas' must be <= ${MAX_REPLICAS}, got ${r}`);
  }
  const a = p.autoscaling;
  if (!a) return { replicas: r ?? 1 };
  unknownOptionRules(a, AUTOSCALING_OPTIONS, 'autoscaling', report);
  if (r !== undefined) report(`'autoscaling' and 'replicas' are mutually exclusive, got replicas ${show(r)}`);
  if (!(isInt(a.minReplicas) && a.minReplicas >= 1))
    report(`'autoscaling.minReplicas' must be an integer >= 1, got ${show(a.minReplicas)}`);
  if (!isInt(a.maxReplicas)) report(`'autoscaling.maxReplicas' must be an integer, got ${show(a.maxReplicas)}`);
  else if (a.maxReplicas > MAX_REPLICAS) report(`'autoscaling.maxReplicas' must be <= ${MAX_REPLICAS}, got ${a.maxReplicas}`);
  if (a.minReplicas > a.maxReplicas)
    report(`'autoscaling.minReplicas' must be <= maxReplicas, got min ${a.minReplicas} > max ${a.maxReplicas}`);
  if (a.targetCpuPercent !== undefined && !inRange(a.targetCpuPercent, 1, 1000)) {
    report(`'autoscaling.targetCpuPercent' must be an integer in 1..1000, got ${show(a.targetCpuPercent)}`);
  }
  if (restartPolicy !== RestartPolicy.ALWAYS) report(`'autoscaling' needs restartPolicy ALWAYS, got ${show(restartPolicy)}`);
  const autoscaling = {
    minReplicas: a.minReplicas,
    maxReplicas: a.maxReplicas,
    targetCpuPercent: a.targetCpuPercent ?? DEFAULT_TARGET_CPU_PERCENT,
  };
  return { replicas: autoscaling.minReplicas, autoscaling };
}
