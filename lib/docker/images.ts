import * as path from 'path';
import * as docker from '@pulumi/docker';
import * as pulumi from '@pulumi/pulumi';
import { ResolvedImage } from '../model';
import { DockerPlan } from '../docker-plan';
import { childName } from './names';

/** An image resource and the value a container's `image` takes from it. */
export interface ImageResource {
  readonly resource: docker.Image | docker.RemoteImage;
  /** Changes whenever the image does, so its containers are replaced on a rebuild or a new pull. */
  readonly ref: pulumi.Output<string>;
}

/** The distinct images of the plan, by reference; the same reference built two ways is an error. */
export function distinctImages(plan: DockerPlan): Map<string, ResolvedImage> {
  const images = new Map<string, ResolvedImage>();
  for (const c of plan.containers) {
    const seen = images.get(c.image.reference);
    if (seen && JSON.stringify(seen.build) !== JSON.stringify(c.image.build)) {
      throw new Error(
        `service '${c.service}': image '${c.image.reference}' is also built or pulled with other settings by another service; give ` +
          `each build its own tag`,
      );
    }
    images.set(c.image.reference, c.image);
  }
  return images;
}

/** How images are built and pulled. */
export interface ImageOptions {
  /**
   * Platform of the Docker host (`os/arch`): the provider otherwise builds and pulls for the machine that runs
   * `pulumi`, which is wrong for a remote `DOCKER_HOST` of another architecture.
   */
  readonly platform: string;
  /**
   * Directory that build contexts are made relative to (the Pulumi project directory, where `pulumi` runs the
   * program), so the state holds the same paths in every checkout of the project.
   */
  readonly projectDir: string;
}

/** One image resource per image of {@link distinctImages}, keyed by reference. */
export function createImages(
  component: string,
  images: Map<string, ResolvedImage>,
  parent: pulumi.Resource,
  options: ImageOptions,
): Map<string, ImageResource> {
  return new Map([...images.values()].map((image) => [image.reference, createImage(component, image, parent, options)]));
}

/** `p` relative to `dir` (`.` for `dir` itself), or `p` unchanged when it is outside `dir`. */
export function projectRelative(dir: string, p: string): string {
  const rel = path.relative(dir, p);
  if (rel === '') return '.';
  return rel.startsWith('..') || path.isAbsolute(rel) ? p : rel;
}

function createImage(component: string, image: ResolvedImage, parent: pulumi.Resource, options: ImageOptions): ImageResource {
  const name = childName(component, 'image', image.reference);
  if (!image.build) {
    // Kept on destroy: other stacks or containers on the host may use the same image.
    const remote = new docker.RemoteImage(name, { name: image.reference, keepLocally: true, platform: options.platform }, { parent });
    return { resource: remote, ref: remote.imageId };
  }
  const context = projectRelative(options.projectDir, image.build.context);
  const built = new docker.Image(
    name,
    {
      imageName: image.reference,
      build: {
        context,
        // The provider resolves `dockerfile` against the working directory, not the context.
        dockerfile: path.join(context, image.build.dockerfile),
        args: image.build.buildArgs,
        target: image.build.target,
        platform: options.platform,
      },
      skipPush: true,
    },
    { parent },
  );
  // For a local build, repoDigest is the built image's ID: new with every build that changes the image.
  return { resource: built, ref: built.repoDigest };
}
