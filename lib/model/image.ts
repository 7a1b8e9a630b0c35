/* Container images: the Image value class, the reference grammar and pinning rules, and the resolved reference. */
import * as fs from 'fs';
import * as path from 'path';
import { OptionNames, Report, show, unknownOptionRules } from './validation';

/** Options for {@link Image.fromRegistry}. */
export interface RegistryImageOptions {
  /**
   * Accept a reference without a tag or with the `:latest` tag. Unpinned images make deployments
   * unrepeatable, so they are refused unless this is set.
   * @default false
   */
  readonly allowUnpinned?: boolean;
}

/** Options for {@link Image.fromDockerfile}. */
export interface DockerfileImageOptions {
  /**
   * Path of the Dockerfile, relative to the build context.
   * @default 'Dockerfile'
   */
  readonly dockerfile?: string;
  /**
   * Build arguments (`--build-arg`).
   * @default - none
   */
  readonly buildArgs?: Record<string, string>;
  /**
   * Target stage of a multi-stage build.
   * @default - the last stage
   */
  readonly target?: string;
  /**
   * The image reference the build is tagged with; Kubernetes pulls this reference, so push it to a registry
   * your cluster can reach.
   * @default '<application>/<service>:dev'
   */
  readonly tag?: string;
}

/** Build settings of an image built from a Dockerfile. */
export interface ImageBuild {
  /** Build context directory, as given (relative paths resolve against the working directory). */
  readonly context: string;
  readonly dockerfile: string;
  readonly buildArgs: Record<string, string>;
  readonly target?: string;
}

/** A container image: pulled from a registry or built from a Dockerfile. */
export class Image {
  /** An image pulled from a registry, e.g. `Image.fromRegistry('redis:7-alpine')`. */
  public static fromRegistry(reference: string, options: RegistryImageOptions = {}): Image {
    return new Image(reference, undefined, options.allowUnpinned ?? false, options);
  }

  /** An image built from a Dockerfile in `context`, e.g. `Image.fromDockerfile('./web')`. */
  public static fromDockerfile(context: string, options: DockerfileImageOptions = {}): Image {
    const build: ImageBuild = {
      context,
      dockerfile: options.dockerfile ?? 'Dockerfile',
      buildArgs: { ...(options.buildArgs ?? {}) },
      target: options.target,
    };
    return new Image(options.tag, build, false, options);
  }

  private constructor(
    /** The registry reference, or the build's tag (undefined: derived from application and service). */
    public readonly reference: string | undefined,
    /** Build settings when the image is built from a Dockerfile. */
    public readonly build: ImageBuild | undefined,
    /** Whether an unpinned reference (no tag, `:latest`) is accepted. */
    public readonly allowUnpinned: boolean,
    /** The options as given, checked for unknown names when the service resolves. @internal */
    public readonly options: object = {},
  ) {}
}

export interface ResolvedImage {
  /** Reference to run (registry reference after `imageOverrides`, or the build tag). */
  readonly reference: string;
  /** Build settings; `context` is an absolute path. */
  readonly build?: {
    readonly context: string;
    readonly dockerfile: string;
    readonly buildArgs: Record<string, string>;
    readonly target?: string;
  };
}

/** The tag of an image built for `service` when the user gives none. */
export const DEFAULT_BUILD_TAG = (app: string, service: string): string => `${app}/${service}:dev`;

const REGISTRY_OPTIONS: OptionNames<RegistryImageOptions> = { allowUnpinned: true };
const DOCKERFILE_OPTIONS: OptionNames<DockerfileImageOptions> = { dockerfile: true, buildArgs: true, target: true, tag: true };

/** Docker image reference grammar (distribution/reference): `[domain[:port]/]path[:tag][@digest]`. */
const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const IMAGE_REFERENCE = new RegExp(
  `^(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*(?::[0-9]+)?/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*` +
    '(?::([\\w][\\w.-]{0,127}))?(@[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,})?$',
);

/**
 * Resolves the image of a container; `where` is the field ('image', 'sidecars[envoy].image') and `buildName` the
 * name its default build tag carries.
 * @internal
 */
export function resolveImage(
  image: Image | undefined,
  where: string,
  appName: string,
  buildName: string,
  overrides: Record<string, string> | undefined,
  report: Report,
): ResolvedImage {
  if (!image) {
    report(`'${where}' is required`);
    return { reference: '' };
  }
  if (!(image instanceof Image)) {
    report(`'${where}' must be an Image (Image.fromRegistry or Image.fromDockerfile), got ${show(image)}`);
    return { reference: '' };
  }
  unknownOptionRules(image.options, image.build ? DOCKERFILE_OPTIONS : REGISTRY_OPTIONS, where, report);
  if (image.build) {
    if (!image.build.context) report(`'${where}' build context must not be empty`);
    else {
      const dockerfile = path.resolve(image.build.context, image.build.dockerfile);
      if (!fs.existsSync(dockerfile)) report(`'${where}' Dockerfile not found, got ${show(dockerfile)}`);
    }
    if (image.reference !== undefined) referenceRules(image.reference, where, false, report);
    return {
      reference: image.reference ?? DEFAULT_BUILD_TAG(appName, buildName),
      build: {
        context: path.resolve(image.build.context || '.'),
        dockerfile: image.build.dockerfile,
        buildArgs: { ...image.build.buildArgs },
        target: image.build.target,
      },
    };
  }
  const ref = image.reference ?? '';
  referenceRules(ref, where, image.allowUnpinned, report);
  return { reference: overrides?.[ref] ?? ref };
}

/** Rules of an image reference: the grammar, and a pinned tag or digest unless `allowUnpinned`. @internal */
export function referenceRules(ref: string, where: string, allowUnpinned: boolean, report: Report): void {
  if (typeof ref !== 'string' || !ref.trim()) return report(`'${where}' must not be empty`);
  const match = ref.length <= 512 ? IMAGE_REFERENCE.exec(ref) : null;
  if (!match) return report(`'${where}' is not a valid image reference, got ${show(ref)}`);
  const [, tag, digest] = match;
  if (digest || allowUnpinned) return;
  if (tag === undefined) return report(`'${where}' must pin a tag (e.g. redis:7.2), got ${show(ref)}`);
  if (tag === 'latest') return report(`'${where}' must not use the ':latest' tag, got ${show(ref)}`);
}
