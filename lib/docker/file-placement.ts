import * as path from 'path';
import { DiagnosticLevel, UnsupportedError } from '../model';
import { DockerContainerPlan } from '../docker-plan';

/**
 * A volume that receives config/secret files: filled through a created-only "seed" container that mounts it,
 * then mounted by the service container.
 */
export interface FileVolume {
  /** Where both containers mount it: the files' parent directory, or the persistent volume's target. */
  readonly mountPath: string;
  /** Key of the container's persistent plan volume that already covers `mountPath`; undefined: a new volume. */
  readonly persistentVolume?: string;
  /** Absolute paths of the files it receives. */
  readonly files: string[];
}

/** How a container gets its config and secret files. */
export type FilePlacement =
  | { readonly kind: 'none' }
  /** Pulumi `uploads` straight into the container: its root filesystem is writable. */
  | { readonly kind: 'upload'; readonly files: string[] }
  /** Uploads into volumes through a seed container: the container's root filesystem is read-only. */
  | { readonly kind: 'seed'; readonly volumes: FileVolume[] };

/**
 * Decides how the files of container `c` reach it.
 *
 * The Docker provider uploads every file with one archive extracted at `/`, and Docker refuses any archive
 * extraction at `/` into a container whose root filesystem is read-only ("container rootfs is marked read-only"),
 * even when the file's directory is a mounted volume. A container with a writable root therefore gets plain
 * uploads; a read-only one gets volumes at the files' directories (or the persistent volume already there),
 * filled by uploading into a writable, never-started seed container that mounts the same volumes. Docker copies
 * the image's files into a new, empty volume when it is first mounted, so the image's other files in that
 * directory stay visible.
 *
 * A file inside a tmpfs cannot be uploaded at all (the tmpfs is mounted over it at start): an error.
 */
export function placeFiles(c: DockerContainerPlan): FilePlacement {
  const files = [
    ...c.configMounts.map((m) => ({ target: m.target, field: 'configFiles' })),
    ...c.secretMounts.map((m) => ({ target: m.target, field: 'secretFiles' })),
  ];
  if (files.length === 0) return { kind: 'none' };
  const fail = (field: string, message: string): never => {
    throw new UnsupportedError({ level: DiagnosticLevel.ERROR, target: 'docker', service: c.service, field, message });
  };
  for (const f of files) {
    const tmpfs = c.tmpfs.find((t) => isWithin(f.target, t));
    if (tmpfs) fail(f.field, `puts '${f.target}' inside the tmpfs '${tmpfs}', which hides uploaded files; mount it elsewhere`);
  }
  if (!c.readOnly) return { kind: 'upload', files: files.map((f) => f.target) };

  const volumes: Array<{ mountPath: string; persistentVolume?: string; files: string[] }> = [];
  // Shallow files first, so a deeper directory reuses the volume created for its parent.
  const byDepth = [...files].sort((a, b) => depth(a.target) - depth(b.target) || a.target.localeCompare(b.target));
  for (const f of byDepth) {
    const dir = path.posix.dirname(f.target);
    // The deepest mount covering the directory is what the container sees there.
    const candidates = [
      ...c.volumeMounts.map((m) => ({ mountPath: m.target, persistentVolume: m.volume as string | undefined })),
      ...volumes.filter((v) => !v.persistentVolume),
    ].filter((m) => isWithin(dir, m.mountPath));
    const mount = candidates.sort((a, b) => depth(b.mountPath) - depth(a.mountPath))[0];
    const existing = mount && volumes.find((v) => v.mountPath === mount.mountPath);
    if (existing) {
      existing.files.push(f.target);
    } else if (mount) {
      volumes.push({ mountPath: mount.mountPath, persistentVolume: mount.persistentVolume, files: [f.target] });
    } else {
      if (dir === '/')
        fail(
          f.field,
          `puts '${f.target}' directly in '/', where no volume can be mounted on a read-only root filesystem; use a subdirectory`,
        );
      volumes.push({ mountPath: dir, files: [f.target] });
    }
  }
  return { kind: 'seed', volumes };
}

/** Whether `p` is `dir` or below it. */
function isWithin(p: string, dir: string): boolean {
  const d = path.posix.normalize(dir).replace(/\/+$/, '');
  const q = path.posix.normalize(p);
  return d === '' || q === d || q.startsWith(d + '/');
}

function depth(p: string): number {
  return path.posix.normalize(p).split('/').length;
}
