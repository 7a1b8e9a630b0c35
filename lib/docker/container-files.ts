import * as docker from '@pulumi/docker';
import * as pulumi from '@pulumi/pulumi';
import { DockerContainerPlan } from '../docker-plan';
import { loggingArgs } from './container-args';
import { FilePlacement } from './file-placement';
import { childName } from './names';
import { SecretValues } from './secrets';

/** What a service container needs to receive its config and secret files. */
export interface ContainerFiles {
  /** Uploads into the container itself (writable root filesystem). */
  readonly uploads: docker.types.input.ContainerUpload[];
  /** Mounts of the volumes holding its files (read-only root filesystem). */
  readonly volumes: docker.types.input.ContainerVolume[];
  /** Labels that change when the files do, so the container is replaced and reads them again. */
  readonly labels: docker.types.input.ContainerLabel[];
  /** The seed container that fills those volumes; the container is created after it. */
  readonly seed?: docker.Container;
}

/** Shared inputs of {@link createContainerFiles}. */
export interface ContainerFilesContext {
  readonly component: string;
  readonly parent: pulumi.Resource;
  readonly secrets: SecretValues;
  /** The container's image reference (the seed uses the same image, so Docker copies its files into new volumes). */
  readonly image: pulumi.Input<string>;
  /** Docker name of a persistent plan volume, by key. */
  readonly volumeName: (key: string) => pulumi.Input<string>;
}

/** Label whose value is the seed container's id. */
export const FILES_LABEL = 'microservice-constructs.files-seed';

/** Creates what brings `c`'s config and secret files into it, as `placement` (from `placeFiles`) decided. */
export function createContainerFiles(ctx: ContainerFilesContext, c: DockerContainerPlan, placement: FilePlacement): ContainerFiles {
  const content = new Map<string, pulumi.Input<string>>([
    ...c.configMounts.map((m) => [m.target, m.file.content] as const),
    ...c.secretMounts.map((m) => [m.target, ctx.secrets.of(m.secret)] as const),
  ]);
  const uploadsOf = (files: string[]) => files.map((file): docker.types.input.ContainerUpload => ({ file, content: content.get(file)! }));
  switch (placement.kind) {
    case 'none':
      return { uploads: [], volumes: [], labels: [] };
    case 'upload':
      return { uploads: uploadsOf(placement.files), volumes: [], labels: [] };
    case 'seed': {
      const opts = { parent: ctx.parent, deleteBeforeReplace: true };
      const mounts = placement.volumes.map((v) => ({
        ...v,
        volumeName:
          v.persistentVolume !== undefined
            ? ctx.volumeName(v.persistentVolume)
            : new docker.Volume(
                childName(ctx.component, 'files', c.key, v.mountPath),
                { name: `${c.containerName}-files${v.mountPath.replace(/[^a-z0-9]+/gi, '-')}` },
                opts,
              ).name,
      }));
      // Created, never started: a writable container to upload into, sharing the volumes.
      const seed = new docker.Container(
        childName(ctx.component, 'files', c.key),
        {
          name: `${c.containerName}-files`,
          image: ctx.image,
          start: false,
          mustRun: false,
          networkMode: 'none',
          volumes: mounts.map((m) => ({ volumeName: m.volumeName, containerPath: m.mountPath })),
          uploads: uploadsOf(mounts.flatMap((m) => m.files)),
          labels: Object.entries(c.labels).map(([label, value]) => ({ label, value })),
          // Else the daemon's log options, which the provider reads back as a diff on hosts that set log-opts.
          ...loggingArgs(c),
        },
        opts,
      );
      return {
        uploads: [],
        volumes: mounts
          .filter((m) => m.persistentVolume === undefined)
          .map((m) => ({ volumeName: m.volumeName, containerPath: m.mountPath, readOnly: true })),
        labels: [{ label: FILES_LABEL, value: seed.id }],
        seed,
      };
    }
  }
}
