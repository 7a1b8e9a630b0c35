import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { ResolvedResources } from '../model';

/** Requests and limits, rendered as `<m>m` cpu and `<Mi>Mi` memory. */
export function containerResources(r: ResolvedResources): kplus.ContainerResources {
  return {
    cpu: { request: kplus.Cpu.millis(r.cpuRequestMillis), limit: kplus.Cpu.millis(r.cpuLimitMillis) },
    memory: { request: Size.mebibytes(r.memoryRequestMiB), limit: Size.mebibytes(r.memoryLimitMiB) },
  };
}
