import { Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { ApplicationChart } from '../../lib/k8s';
import { Application, ApplicationProps, Image, Microservice, MicroserviceProps } from '../../lib/model';
import { K8sObject, validateObjects } from './validate-k8s';

export const IMAGE = Image.fromRegistry('nginx:1.27-alpine');

/** A fresh application named `app`. */
export function newApp(props: ApplicationProps = {}, name = 'app'): Application {
  return new Application(name, props);
}

/** A valid HTTP service on port 8080; `props` override any field. */
export function httpService(scope: Construct, id: string, props: Partial<MicroserviceProps> = {}): Microservice {
  return new Microservice(scope, id, { image: IMAGE, ports: [{ port: 8080, name: 'http' }], ...props });
}

/** A valid service without ports. */
export function worker(scope: Construct, id: string, props: Partial<MicroserviceProps> = {}): Microservice {
  return new Microservice(scope, id, { image: IMAGE, ...props });
}

export interface Synthesized {
  readonly chart: ApplicationChart;
  readonly objects: K8sObject[];
}

/** Renders `app` and validates every object (schema and API server rules) before any test looks at it. */
export function synth(app: Application): Synthesized {
  const chart = new ApplicationChart(Testing.app(), 'test', { application: app });
  const objects = Testing.synth(chart) as K8sObject[];
  validateObjects(objects);
  return { chart, objects };
}

/** The objects of `kind`. */
export function all(objects: K8sObject[], kind: string): K8sObject[] {
  return objects.filter((o) => o.kind === kind);
}

/** The one object of `kind` called `name`; fails the test when there is none. */
export function find(objects: K8sObject[], kind: string, name: string): K8sObject {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (!found) throw new Error(`no ${kind} '${name}' among ${objects.map((o) => `${o.kind}/${o.metadata.name}`).join(', ')}`);
  return found;
}

/** The pod spec of a workload. */
export function podSpec(workload: K8sObject): any {
  return workload.spec.template.spec;
}

/** The container `name` of a workload (default: the main container, named after the workload). */
export function container(workload: K8sObject, name: string = workload.metadata.name): any {
  const c = [...podSpec(workload).containers, ...(podSpec(workload).initContainers ?? [])].find((x: any) => x.name === name);
  if (!c) throw new Error(`no container '${name}' in ${workload.kind} '${workload.metadata.name}'`);
  return c;
}

/** The pod volume a container mounts at `path`. */
export function volumeAt(workload: K8sObject, path: string, containerName?: string): { mount: any; volume: any } {
  const mount = (container(workload, containerName).volumeMounts ?? []).find((m: any) => m.mountPath === path);
  if (!mount) throw new Error(`nothing mounted at ${path}`);
  return { mount, volume: (podSpec(workload).volumes ?? []).find((v: any) => v.name === mount.name) };
}
