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
      throw new Error(`service '${c.service}': image '${c.image.reference}' is also built or pulled with other settings by another service; give each build its own tag`);
    }
    images.set(c.image.reference, c.image);
  }
  return images;
}

/** One image resource per image of {@link distinctImages}, keyed by reference. */
export function createImages(component: string, images: Map<string, ResolvedImage>, parent: pulumi.Resource): Map<string, ImageResource> {
  return new Map([...images.values()].map((image) => [image.reference, createImage(component, image, parent)]));
}

function createImage(component: string, image: ResolvedImage, parent: pulumi.Resource): ImageResource {
  const name = childName(component, 'image', image.reference);
  if (!image.build) {
    // Kept on destroy: other stacks or containers on the host may use the same image.
    const remote = new docker.RemoteImage(name, { name: image.reference, keepLocally: true }, { parent });
    return { resource: remote, ref: remote.imageId };
  }
  const built = new docker.Image(name, {
    imageName: image.reference,
    build: {
      context: image.build.context,
      // The provider resolves `dockerfile` against the working directory, not the context.
      dockerfile: path.join(image.build.context, image.build.dockerfile),
      args: image.build.buildArgs,
      target: image.build.target,
    },
    skipPush: true,
  }, { parent });
  // For a local build, repoDigest is the built image's ID: new with every build that changes the image.
  return { resource: built, ref: built.repoDigest };
}
