/* Lifecycle: what restarts a service's container and how it is stopped. */
import { inRange, OptionNames, Report, show } from './validation';

/** What happens when the main process exits. */
export enum RestartPolicy {
  /** Always restart: a long-running service (Kubernetes Deployment/StatefulSet). */
  ALWAYS = 'always',
  /** Restart only after a failure: a run-to-completion task (Kubernetes Job). */
  ON_FAILURE = 'on-failure',
  /** Never restart: a one-shot task (Kubernetes Job with restartPolicy Never). */
  NEVER = 'never',
}

/** Restart and stop behaviour of a service. */
export interface LifecycleProps {
  /** @default RestartPolicy.ALWAYS */
  readonly restartPolicy?: RestartPolicy;
  /**
   * Signal that stops the main container, e.g. 'SIGINT' for a process that ignores SIGTERM (python as PID 1).
   * Docker and compose send it; Kubernetes always sends SIGTERM, so there it is reported (make the process exit
   * on SIGTERM, or stop it from a preStop hook).
   * @default - the image's STOPSIGNAL, else SIGTERM
   */
  readonly stopSignal?: string;
  /**
   * Seconds a stopping container (and its sidecars) gets to exit before it is killed: Docker's stop timeout,
   * compose's `stop_grace_period`, Kubernetes' `terminationGracePeriodSeconds`.
   * @default - each target's own: 10 in Docker and compose, 30 in Kubernetes
   */
  readonly stopGracePeriodSeconds?: number;
}

export interface ResolvedLifecycle {
  readonly restartPolicy: RestartPolicy;
  /** Signal that stops the main container; undefined: the image's STOPSIGNAL, else SIGTERM. */
  readonly stopSignal?: string;
  /** Seconds the service's containers get to exit when stopped; undefined: each target's own default. */
  readonly stopGracePeriodSeconds?: number;
}

export const LIFECYCLE_OPTIONS: OptionNames<LifecycleProps> = { restartPolicy: true, stopSignal: true, stopGracePeriodSeconds: true };

/** A signal name as Docker takes it for STOPSIGNAL (`SIGINT`, `SIGRTMIN`, `SIGUSR1`). */
const SIGNAL = /^SIG[A-Z0-9]+$/;

/** @internal */
export function resolveLifecycle(p: LifecycleProps, report: Report): ResolvedLifecycle {
  const { restartPolicy, stopSignal, stopGracePeriodSeconds: grace } = p;
  if (restartPolicy !== undefined && !Object.values(RestartPolicy).includes(restartPolicy)) {
    report(`'restartPolicy' must be one of ${Object.values(RestartPolicy).join(', ')}, got ${show(restartPolicy)}`);
  }
  if (stopSignal !== undefined && !(typeof stopSignal === 'string' && SIGNAL.test(stopSignal))) {
    report(`'stopSignal' must be a signal name like SIGINT (^SIG[A-Z0-9]+$), got ${show(stopSignal)}`);
  }
  if (grace !== undefined && !inRange(grace, 0, 2147483647)) report(`'stopGracePeriodSeconds' must be an integer >= 0, got ${show(grace)}`);
  return { restartPolicy: restartPolicy ?? RestartPolicy.ALWAYS, stopSignal, stopGracePeriodSeconds: grace };
}
