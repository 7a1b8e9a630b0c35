/*
 * JSON patches for what cdk8s-plus-27 renders differently from the model or cannot render at all. Each one is
 * tested against the synthesized objects, so a cdk8s-plus upgrade that moves things breaks a test, not a cluster.
 */
import { ApiObject, JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';

/** A JSON pointer segment (RFC 6901). */
const pointer = (segment: string) => segment.replace(/~/g, '~0').replace(/\//g, '~1');

/**
 * Removes cdk8s-plus's `cdk8s.io/metadata.addr` label from the pod template: pods carry the resolved labels only,
 * and a construct-path hash would roll every pod whenever the construct tree is refactored.
 */
export function dropAddressLabel(workload: kplus.Workload): void {
  ApiObject.of(workload).addJsonPatch(JsonPatch.remove(`/spec/template/metadata/labels/${pointer(kplus.Pod.ADDRESS_LABEL)}`));
}

/** Sets probes cdk8s-plus cannot express on container `index` (0: the main container, then the sidecars). */
export function addContainerProbes(workload: kplus.Workload, index: number, probes: Array<[string, Record<string, unknown>]>): void {
  for (const [field, probe] of probes) {
    ApiObject.of(workload).addJsonPatch(JsonPatch.add(`/spec/template/spec/containers/${index}/${field}`, probe));
  }
}

/**
 * Adds volumeClaimTemplates (in cdk8s's typed form: the StatefulSet's typed ApiObject converts its JSON after the
 * patches) to a StatefulSet and drops their stand-in volumes, which are the first pod volumes
 * because cdk8s-plus lists volumes in mount order and the claim mounts are the main container's first.
 */
export function addClaimTemplates(statefulSet: kplus.StatefulSet, templates: kplus.k8s.KubePersistentVolumeClaimProps[]): void {
  const obj = ApiObject.of(statefulSet);
  for (let i = 0; i < templates.length; i++) obj.addJsonPatch(JsonPatch.remove('/spec/template/spec/volumes/0'));
  obj.addJsonPatch(JsonPatch.add('/spec/volumeClaimTemplates', templates));
}

/** Runs `instances` pods of a Job at once, each to completion (the model's replicas of a task). */
export function setJobInstances(job: kplus.Job, instances: number): void {
  ApiObject.of(job).addJsonPatch(JsonPatch.add('/spec/parallelism', instances), JsonPatch.add('/spec/completions', instances));
}

/** Schedules the pods on nodes with `labels` (cdk8s-plus writes node affinity, not the plain nodeSelector). */
export function setNodeSelector(workload: kplus.Workload, labels: Record<string, string>): void {
  ApiObject.of(workload).addJsonPatch(JsonPatch.add('/spec/template/spec/nodeSelector', { ...labels }));
}
