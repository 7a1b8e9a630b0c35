/* A container: what the main container of a service and each of its sidecars have in common. */
import { EndpointResolver, EnvValue, ResolvedEnvVar, resolveEnv } from './env';
import { Image, ResolvedImage, resolveImage } from './image';
import { PortProps, ResolvedPort, resolvePorts } from './ports';
import { PROBES_OPTIONS, ProbesProps, ResolvedProbes, resolveProbes } from './probes';
import { ResolvedResources, resolveResources, ResourceLevel, ResourcesProps, resourcesRules } from './resources';
import { ResolvedSecurity, resolveSecurity, SecurityProps } from './security';
import { FILES_OPTIONS, FilesProps, ResolvedFiles, resolveFiles, VolumeProps } from './storage';
import { OptionNames, Report, stringList } from './validation';

/**
 * Properties every container has: the service's main container and its sidecars (probes and files included, so a
 * sidecar proxy is checked and configured like the main container).
 */
export interface ContainerProps extends ProbesProps, FilesProps {
  /** The container image. */
  readonly image: Image;
  /** Overrides the image's entrypoint. @default - image entrypoint */
  readonly command?: string[];
  /** Overrides the image's cmd. @default - image cmd */
  readonly args?: string[];
  /** @default {} */
  readonly env?: Record<string, EnvValue>;
  /** @default [] */
  readonly ports?: PortProps[];
  /** @default - the service's, else the application's defaults */
  readonly resources?: ResourcesProps;
  /** @default - the service's, else the application's security */
  readonly security?: SecurityProps;
}

export const CONTAINER_OPTIONS: OptionNames<ContainerProps> = {
  image: true,
  command: true,
  args: true,
  env: true,
  ports: true,
  resources: true,
  security: true,
  ...PROBES_OPTIONS,
  ...FILES_OPTIONS,
};

export interface ResolvedContainer extends ResolvedProbes, ResolvedFiles {
  readonly name: string;
  readonly image: ResolvedImage;
  readonly command?: string[];
  readonly args?: string[];
  readonly env: ResolvedEnvVar[];
  readonly ports: ResolvedPort[];
  readonly resources: ResolvedResources;
  readonly security: ResolvedSecurity;
}

/** What a container inherits: the application's settings and, for a sidecar, its service's. @internal */
export interface ContainerScope {
  readonly appName: string;
  readonly imageOverrides?: Record<string, string>;
  readonly config: Record<string, string>;
  /** Name of this container's level in messages: 'the service', 'the sidecar'. */
  readonly level: string;
  /** Less specific resource levels, most specific first. */
  readonly inheritedResources: ResourceLevel[];
  readonly inheritedSecurity: ResolvedSecurity;
  /** Resolves `EnvValue.fromEndpoint` values. */
  readonly endpoint?: EndpointResolver;
}

/**
 * Resolves a container named `name`; `prefix` starts its fields in messages ('' for the service,
 * 'sidecars[envoy].' for a sidecar), `buildName` names its default build tag and its files, and `volumes` are the
 * volumes it mounts besides its files (the main container's).
 * @internal
 */
export function resolveContainer(
  name: string,
  p: ContainerProps,
  prefix: string,
  buildName: string,
  scope: ContainerScope,
  report: Report,
  volumes?: readonly VolumeProps[],
): ResolvedContainer {
  const image = resolveImage(p.image, `${prefix}image`, scope.appName, buildName, scope.imageOverrides, report);
  const ports = resolvePorts(p.ports, `${prefix}ports`, report);
  const env = resolveEnv(p.env, `${prefix}env`, scope.config, report, scope.endpoint);
  resourcesRules(p.resources, `${prefix}resources`, report);
  const resources = resolveResources([[scope.level, p.resources], ...scope.inheritedResources], `${prefix}resources`, report);
  const security = resolveSecurity(scope.inheritedSecurity, p.security, `${prefix}security`, report);
  const command = stringList(p.command, `${prefix}command`, report);
  if (command && command.length === 0) report(`'${prefix}command' must not be empty, got []`);
  const args = stringList(p.args, `${prefix}args`, report);
  const probes = resolveProbes(p, ports, report, prefix, scope.level);
  const files = resolveFiles(buildName, p, prefix, security, volumes, report);
  return { name, image, command, args, env, ports, resources, security, ...probes, ...files };
}
