import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { ProbeKind, ResolvedProbe, ResolvedProbes } from '../model';

/** The container fields of the three probes, in the model's terms. */
const PROBES = [
  ['liveness', 'livenessProbe'],
  ['readiness', 'readinessProbe'],
  ['startup', 'startupProbe'],
] as const;

type PlusProbes = Pick<kplus.ContainerProps, 'liveness' | 'readiness' | 'startup'>;

/** What cdk8s-plus-27 cannot express: a gRPC action, HTTP headers. */
const patched = (p: ResolvedProbe) => p.kind === ProbeKind.GRPC || (p.kind === ProbeKind.HTTP && p.headers !== undefined);

/** The probes cdk8s-plus can express (http without headers, tcp, command), as container props. */
export function containerProbes(c: ResolvedProbes): PlusProbes {
  const out: { -readonly [K in keyof PlusProbes]: PlusProbes[K] } = {};
  for (const [prop, field] of PROBES) {
    const p = c[field];
    if (p && !patched(p)) out[prop] = plusProbe(p);
  }
  return out;
}

/**
 * gRPC probes and HTTP probes with headers as Kubernetes JSON keyed by container field (cdk8s's typed form:
 * the workload's typed ApiObject converts its JSON after the patches); the workload patches them in.
 */
export function patchedProbes(c: ResolvedProbes): Array<[string, Record<string, unknown>]> {
  return PROBES.flatMap(([, field]) => {
    const p = c[field];
    if (!p || !patched(p)) return [];
    const action =
      p.kind === ProbeKind.GRPC
        ? { grpc: { port: p.port } }
        : {
            httpGet: {
              path: p.path,
              port: kplus.k8s.IntOrString.fromNumber(p.port!),
              scheme: 'HTTP',
              httpHeaders: Object.entries(p.headers!).map(([name, value]) => ({ name, value })),
            },
          };
    return [[field, { ...action, ...timing(p) }] as [string, Record<string, unknown>]];
  });
}

function plusProbe(p: ResolvedProbe): kplus.Probe {
  const options = {
    initialDelaySeconds: Duration.seconds(p.initialDelaySeconds),
    periodSeconds: Duration.seconds(p.periodSeconds),
    timeoutSeconds: Duration.seconds(p.timeoutSeconds),
    failureThreshold: p.failureThreshold,
  };
  switch (p.kind) {
    case ProbeKind.HTTP:
      return kplus.Probe.fromHttpGet(p.path!, { ...options, port: p.port });
    case ProbeKind.TCP:
      return kplus.Probe.fromTcpSocket({ ...options, port: p.port });
    default:
      return kplus.Probe.fromCommand(p.command!, options);
  }
}

function timing(p: ResolvedProbe) {
  return {
    initialDelaySeconds: p.initialDelaySeconds,
    periodSeconds: p.periodSeconds,
    timeoutSeconds: p.timeoutSeconds,
    failureThreshold: p.failureThreshold,
  };
}
