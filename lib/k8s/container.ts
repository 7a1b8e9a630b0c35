import * as kplus from 'cdk8s-plus-27';
import { ResolvedContainer } from '../model';
import { envVariables } from './env';
import { References } from './references';
import { containerResources } from './resources';
import { containerSecurityContext } from './security';

/** What the model's container does not say itself: its probes and mounts, as the pod renders them. */
export interface ContainerExtras extends Pick<kplus.ContainerProps, 'liveness' | 'readiness' | 'startup'> {
  /** @default [] */
  readonly volumeMounts?: kplus.VolumeMount[];
}

/** Props of a main or sidecar container, straight from the resolved model. */
export function containerProps(c: ResolvedContainer, refs: References, extras: ContainerExtras = {}): kplus.ContainerProps {
  return {
    name: c.name,
    image: c.image.reference,
    // The Kubernetes default for a pinned tag; cdk8s-plus's `Always` would break images loaded into kind/minikube.
    imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
    command: c.command,
    args: c.args,
    // `ports`, not `portNumber`: the latter makes cdk8s-plus invent a startup probe.
    ports: c.ports.map((p) => ({ number: p.port, name: p.name, protocol: kplus.Protocol[p.protocol] })),
    envVariables: envVariables(c.env, refs),
    resources: containerResources(c.resources),
    securityContext: containerSecurityContext(c.security),
    ...extras,
  };
}
