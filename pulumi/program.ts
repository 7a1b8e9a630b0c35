import * as pulumi from '@pulumi/pulumi';
import { DockerApplication } from '../lib/docker';
import { STACKS } from '../stacks';

/** Config keys of the program, in the `microservice-constructs` namespace. */
export const CONFIG_STACK = 'stack';
export const CONFIG_IMAGE_OVERRIDES = 'imageOverrides';
export const CONFIG_PLATFORM = 'platform';
export const CONFIG_PUBLISH_ADDRESS = 'publishAddress';
export const CONFIG_RETAIN_DATA_VOLUMES = 'retainDataVolumes';

/**
 * The Pulumi program: runs the application of `stacks/` named by config `stack` as Docker containers.
 * Optional config `imageOverrides` (a JSON object, reference -> reference) goes to the stack's factory;
 * `platform`, `publishAddress` and `retainDataVolumes` to the {@link DockerApplication}.
 */
export function deploy(opts?: pulumi.ComponentResourceOptions): DockerApplication {
  const config = new pulumi.Config();
  const stack = config.require(CONFIG_STACK);
  const factory = Object.prototype.hasOwnProperty.call(STACKS, stack) ? STACKS[stack] : undefined;
  if (!factory) {
    throw new pulumi.RunError(
      `config '${config.name}:${CONFIG_STACK}' must be one of ${Object.keys(STACKS).join(', ')}, got '${stack}'; ` +
        `run 'pulumi config set ${CONFIG_STACK} <name>'`,
    );
  }
  const imageOverrides = readImageOverrides(config);
  const application = factory(imageOverrides ? { imageOverrides } : {});
  const platform = config.get(CONFIG_PLATFORM, { pattern: /^[a-z0-9]+\/[a-z0-9_]+(\/[a-z0-9]+)?$/ });
  const publishAddress = config.get(CONFIG_PUBLISH_ADDRESS);
  const retainDataVolumes = config.getBoolean(CONFIG_RETAIN_DATA_VOLUMES);
  return new DockerApplication(application.name, { application, secretsConfig: config, platform, publishAddress, retainDataVolumes }, opts);
}

function readImageOverrides(config: pulumi.Config): Record<string, string> | undefined {
  const value = config.getObject<unknown>(CONFIG_IMAGE_OVERRIDES);
  if (value === undefined) return undefined;
  const isMap =
    typeof value === 'object' && value !== null && !Array.isArray(value) && Object.values(value).every((v) => typeof v === 'string');
  if (!isMap) {
    throw new pulumi.RunError(
      `config '${config.name}:${CONFIG_IMAGE_OVERRIDES}' must be a JSON object of image references, got ${JSON.stringify(value)}`,
    );
  }
  return value as Record<string, string>;
}
