/*
 * Runs the Pulumi Docker backend against `pulumi.runtime.setMocks` and records every resource: its type, Pulumi
 * name, resolved inputs (secrets stay wrapped as RPC secrets) and its dependsOn, seen through a transformation.
 */
import * as pulumi from '@pulumi/pulumi';
import { DockerApplication, DockerApplicationProps } from '../../lib/docker';
import { Application, EnvSource, ResolvedApplication } from '../../lib/model';
import { deploy } from '../../pulumi/program';
import { STACKS } from '../../stacks';

export const PROJECT = 'microservice-constructs';
export const T = {
  container: 'docker:index/container:Container',
  network: 'docker:index/network:Network',
  volume: 'docker:index/volume:Volume',
  image: 'docker:index/image:Image',
  remoteImage: 'docker:index/remoteImage:RemoteImage',
  component: DockerApplication.TYPE,
};

export interface Recorded {
  readonly type: string;
  /** Pulumi resource name. */
  readonly name: string;
  readonly inputs: Record<string, any>;
  /** Pulumi names of the resources in `dependsOn`. */
  dependsOn: string[];
  /** Pulumi type of the parent, or undefined for a root resource. */
  parentType?: string;
  /** The resource options that decide how Pulumi replaces and deletes it. */
  opts?: { replaceOnChanges?: string[]; deleteBeforeReplace?: boolean; retainOnDelete?: boolean };
}

let records: Recorded[] = [];

/** Forgets what was recorded so far. */
export function resetRecords(): void {
  records = [];
}

/** Everything the mocks saw since the last reset. */
export function recorded(): Recorded[] {
  return records;
}

/** The id the mocks give a resource: its Pulumi name. */
export const mockId = (pulumiName: string) => `${pulumiName}-id`;
/** The `imageId` / `repoDigest` the mocks give an image of `reference`. */
export const mockImageRef = (reference: string) => `sha256:${reference}`;

export async function installMocks(): Promise<void> {
  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        const rec = records.find((r) => r.type === args.type && r.name === args.name);
        if (rec) (rec as { inputs: Record<string, any> }).inputs = args.inputs;
        else records.push({ type: args.type, name: args.name, inputs: args.inputs, dependsOn: [] });
        const state: Record<string, any> = { ...args.inputs };
        if (args.type === T.remoteImage) state.imageId = mockImageRef(args.inputs.name);
        if (args.type === T.image) state.repoDigest = mockImageRef(args.inputs.imageName);
        return { id: mockId(args.name), state };
      },
      call: (args) => args.inputs,
    },
    PROJECT,
    'test',
  );
}

/** Sets `microservice-constructs:<key>`. */
export function setConfig(key: string, value: string): void {
  pulumi.runtime.setConfig(`${PROJECT}:${key}`, value);
}

/** The value the tests give secret `configKey`. */
export const secretValue = (configKey: string) => `s3cret-${configKey}`;

/** Sets every secret config key `model` reads. */
export function setSecrets(model: ResolvedApplication): void {
  for (const s of model.services) {
    for (const v of [...s.env, ...s.sidecars.flatMap((sc) => sc.env)])
      if (v.source === EnvSource.SECRET) setConfig(v.secret!.configKey, secretValue(v.secret!.configKey));
    for (const f of s.secretFiles) setConfig(f.secret.configKey, secretValue(f.secret.configKey));
  }
}

/** What one rendering registered. */
export class Rendering {
  constructor(
    public readonly app: DockerApplication,
    public readonly records: Recorded[],
  ) {}

  public ofType(type: string): Recorded[] {
    return this.records.filter((r) => r.type === type);
  }

  /** Containers that run (the seed containers, created only to receive files, excluded), by Docker name. */
  public get containers(): Map<string, Recorded> {
    return new Map(
      this.ofType(T.container)
        .filter((r) => r.inputs.start !== false)
        .map((r) => [r.inputs.name, r]),
    );
  }

  /** Seed containers, by Docker name. */
  public get seeds(): Map<string, Recorded> {
    return new Map(
      this.ofType(T.container)
        .filter((r) => r.inputs.start === false)
        .map((r) => [r.inputs.name, r]),
    );
  }

  public byName(pulumiName: string): Recorded {
    const r = this.records.find((x) => x.name === pulumiName);
    if (!r) throw new Error(`no resource named ${pulumiName}`);
    return r;
  }

  /** Docker names of the resources `r` depends on. */
  public dockerDependencies(r: Recorded): string[] {
    return r.dependsOn.map((n) => this.byName(n).inputs.name).sort();
  }
}

/**
 * Renders with `create` (which builds a DockerApplication from its options), waits until every resource is
 * registered and returns what was recorded.
 */
export async function render(create: (opts: pulumi.ComponentResourceOptions) => DockerApplication): Promise<Rendering> {
  records = [];
  const resources: pulumi.Resource[] = [];
  const names = new Map<pulumi.Resource, string>();
  const record: pulumi.ResourceTransformation = (args) => {
    names.set(args.resource, args.name);
    resources.push(args.resource);
    const deps = (args.opts.dependsOn ?? []) as pulumi.Resource[];
    const parent = args.opts.parent as (pulumi.Resource & { __pulumiType?: string }) | undefined;
    records.push({
      type: args.type,
      name: args.name,
      inputs: {},
      dependsOn: [...(Array.isArray(deps) ? deps : [deps])].map((d) => names.get(d) ?? '<unknown>'),
      parentType: parent ? (parent as any).__pulumiType : undefined,
      opts: {
        replaceOnChanges: args.opts.replaceOnChanges,
        deleteBeforeReplace: (args.opts as pulumi.CustomResourceOptions).deleteBeforeReplace,
        retainOnDelete: args.opts.retainOnDelete,
      },
    });
    return undefined;
  };
  const app = create({ transformations: [record] });
  // A resource's URN resolves once the (mock) monitor registered it, i.e. after newResource saw its inputs.
  await new Promise<void>((resolve) => pulumi.all(resources.map((r) => r.urn)).apply(() => resolve()));
  return new Rendering(app, records);
}

/** Renders `application` directly (no program, no config besides secrets). */
export function renderApplication(application: Application, props: Omit<DockerApplicationProps, 'application'> = {}): Promise<Rendering> {
  setSecrets(application.resolve());
  return render((opts) => new DockerApplication(application.name, { ...props, application }, opts));
}

/** Renders `stack` through the program, as `pulumi config set stack <stack> && pulumi up` does. */
export async function renderStack(stack: string): Promise<{ model: ResolvedApplication; r: Rendering }> {
  const model = STACKS[stack]().resolve();
  setConfig('stack', stack);
  setSecrets(model);
  return { model, r: await render((opts) => deploy(opts)) };
}
