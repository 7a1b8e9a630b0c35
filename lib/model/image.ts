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
    return new Image(reference, undefined, options.allowUnpinned ?? false);
  }

  /** An image built from a Dockerfile in `context`, e.g. `Image.fromDockerfile('./web')`. */
  public static fromDockerfile(context: string, options: DockerfileImageOptions = {}): Image {
    const build: ImageBuild = {
      context,
      dockerfile: options.dockerfile ?? 'Dockerfile',
      buildArgs: { ...(options.buildArgs ?? {}) },
      target: options.target,
    };
    return new Image(options.tag, build, false);
  }

  private constructor(
    /** The registry reference, or the build's tag (undefined: derived from application and service). */
    public readonly reference: string | undefined,
    /** Build settings when the image is built from a Dockerfile. */
    public readonly build: ImageBuild | undefined,
    /** Whether an unpinned reference (no tag, `:latest`) is accepted. */
    public readonly allowUnpinned: boolean,
  ) {}
}
