import * as docker from '@pulumi/docker';
import * as pulumi from '@pulumi/pulumi';
import { Application, Diagnostic, EnvSource, formatDiagnostic } from '../model';
import { DockerContainerPlan, DockerPlan, dockerEnvValue, planDocker } from '../docker-plan';
import { assertProviderExpressible, awaitedHealthy, plainContainerArgs, REPLACE_ON_CHANGES, waitTimeoutSeconds } from './container-args';
import { createContainerFiles } from './container-files';
import { placeFiles } from './file-placement';
import { createImages, distinctImages, ImageResource } from './images';
import { childName } from './names';
import { SecretValues } from './secrets';
import { serviceOutputs, ServiceOutputs } from './service-outputs';

/** Properties of a {@link DockerApplication}. */
export interface DockerApplicationProps {
  /** The application to run. It is validated and planned before any resource is registered. */
  readonly application: Application;
  /**
   * Config that holds the secrets' values, under each secret's `configKey`
   * (`pulumi config set --secret <configKey> <value>`).
   * @default new pulumi.Config() - the current project's config
   */
  readonly secretsConfig?: pulumi.Config;
  /**
   * Overrides the application's `publishAddress` (the model's setting, decided in the Docker plan shared with
   * compose; ports that set their own keep it), e.g. from the Pulumi config.
   * @default - the application's `publishAddress`, else '127.0.0.1'
   */
  readonly publishAddress?: string;
  /**
   * Platform (`os/arch`) of the Docker host, for images that are built or pulled. The provider would otherwise
   * use the platform of the machine that runs `pulumi`.
   * @default 'linux/amd64'
   */
  readonly platform?: string;
  /**
   * Keep the persistent (data) volumes in Docker when Pulumi deletes them: on `pulumi destroy`, and when a
   * rename of the application, service or volume replaces them. Pulumi forgets them; remove them with
   * `docker volume rm`.
   * @default false - `pulumi destroy` removes the volumes and their data
   */
  readonly retainDataVolumes?: boolean;
  /**
   * Directory that build contexts are recorded relative to.
   * @default process.cwd() - the Pulumi project directory, where `pulumi` runs the program
   */
  readonly projectDir?: string;
}

/** Default of {@link DockerApplicationProps.platform}. */
export const DEFAULT_PLATFORM = 'linux/amd64';

/**
 * An {@link Application} as Pulumi-managed Docker resources: images, one network per service, volumes and one
 * container per replica, sidecar and gateway, exactly as `planDocker` plans them for the compose backend too.
 *
 * Every Docker object has a fixed name from the plan, so replacements delete the old object first.
 */
export class DockerApplication extends pulumi.ComponentResource {
  /** Pulumi type token of the component. */
  public static readonly TYPE = 'microservice-constructs:docker:Application';

  /** The Docker plan this component translates. */
  public readonly plan: DockerPlan;
  /** What Docker cannot express exactly; each is also logged as a Pulumi warning. */
  public readonly diagnostics: Diagnostic[];
  /** Container names, published URLs and network names of every service and of the gateway. */
  public readonly services: Record<string, ServiceOutputs>;
  /** Containers by plan key (`web`, `web-2`, `web-2-proxy`, `gateway`). */
  public readonly containers: ReadonlyMap<string, docker.Container>;
  /** Networks by plan key (the service name). */
  public readonly networks: ReadonlyMap<string, docker.Network>;
  /** Persistent volumes by plan key. */
  public readonly volumes: ReadonlyMap<string, docker.Volume>;
  /** Image resources by image reference. */
  public readonly images: ReadonlyMap<string, docker.Image | docker.RemoteImage>;

  constructor(name: string, props: DockerApplicationProps, opts?: pulumi.ComponentResourceOptions) {
    // Decide everything first: an invalid or unsupported definition throws before anything is registered.
    const plan = planDocker(props.application.resolve(), 'docker', { publishAddress: props.publishAddress });
    assertProviderExpressible(plan);
    const imageSpecs = distinctImages(plan);
    const placements = new Map(plan.containers.map((c) => [c.key, placeFiles(c)]));
    const secrets = SecretValues.read(props.secretsConfig ?? new pulumi.Config(), plan);
    super(DockerApplication.TYPE, name, {}, opts);
    this.plan = plan;
    this.diagnostics = plan.diagnostics;
    for (const d of plan.diagnostics) pulumi.log.warn(formatDiagnostic(d), this);

    // Fixed Docker names cannot exist twice, so a replacement must delete before it creates.
    const childOpts = { parent: this, deleteBeforeReplace: true };
    const images = createImages(name, imageSpecs, this, {
      platform: props.platform ?? DEFAULT_PLATFORM,
      projectDir: props.projectDir ?? process.cwd(),
    });
    const networks = new Map(
      plan.networks.map((n) => [
        n.key,
        new docker.Network(childName(name, 'network', n.key), { name: n.name, internal: n.internal }, childOpts),
      ]),
    );
    const volumeOpts = { ...childOpts, retainOnDelete: props.retainDataVolumes ?? false };
    const volumes = new Map(
      plan.volumes.map((v) => [v.key, new docker.Volume(childName(name, 'volume', v.key), { name: v.name }, volumeOpts)]),
    );
    const healthyAwaited = awaitedHealthy(plan);
    const containers = new Map<string, docker.Container>();

    // Plan order puts dependencies (and a sidecar's service container) first.
    for (const c of plan.containers) {
      const image = imageOf(images, c);
      const files = createContainerFiles(
        { component: name, parent: this, secrets, image, volumeName: (key) => volumes.get(key)!.name },
        c,
        placements.get(c.key)!,
      );
      const plain = plainContainerArgs(c);
      const container = new docker.Container(
        childName(name, 'container', c.key),
        {
          ...plain,
          image,
          envs: c.env.map((v) =>
            v.source === EnvSource.SECRET
              ? pulumi.interpolate`${v.name}=${secrets.of(v.secret!)}`
              : `${v.name}=${dockerEnvValue(v, unreachable)}`,
          ),
          networksAdvanced: c.networks.map((n) => ({ name: networks.get(n.network)!.name, aliases: n.aliases })),
          networkMode: c.networkModeOf !== undefined ? pulumi.interpolate`container:${containers.get(c.networkModeOf)!.id}` : undefined,
          volumes: [
            ...c.volumeMounts.map((m) => ({ volumeName: volumes.get(m.volume)!.name, containerPath: m.target, readOnly: m.readOnly })),
            ...files.volumes,
          ],
          uploads: files.uploads,
          labels: [...plain.labels, ...files.labels],
          // Dependents are created only once this container reports healthy.
          wait: healthyAwaited.has(c.key) || undefined,
          waitTimeout: healthyAwaited.has(c.key) ? waitTimeoutSeconds(c.healthcheck!) : undefined,
        },
        {
          ...childOpts,
          replaceOnChanges: REPLACE_ON_CHANGES,
          dependsOn: [...c.dependsOn.map((d) => containers.get(d.key)!), ...(files.seed ? [files.seed] : [])],
        },
      );
      containers.set(c.key, container);
    }

    this.services = serviceOutputs(plan);
    this.containers = containers;
    this.networks = networks;
    this.volumes = volumes;
    this.images = new Map([...images].map(([ref, i]) => [ref, i.resource]));
    this.registerOutputs({ services: this.services });
  }
}

function imageOf(images: Map<string, ImageResource>, c: DockerContainerPlan): pulumi.Output<string> {
  return images.get(c.image.reference)!.ref;
}

function unreachable(): never {
  throw new Error('secret values are read from Pulumi config, not through dockerEnvValue');
}
