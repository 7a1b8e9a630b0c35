/*
 * Where the files a compose file mounts live, relative to the compose file's directory:
 *   <assetDir>/<service>/<fileName>        config files, written by this backend
 *   <assetDir>/secrets/<secret>/<key>      secret files, provided by the user (never written by us)
 */
import * as path from 'path';
import { ResolvedConfigFile, ResolvedSecretRef } from '../model';

/** Config files are read by the container's uid, which does not own them on the host: world-readable. */
export const CONFIG_FILE_MODE = 0o644;

/** The asset paths of one rendering. */
export class AssetLayout {
  private readonly dir: string;

  /** `assetDir` is relative to the compose file's directory and must stay below it. */
  constructor(assetDir: string) {
    const dir = path.posix.normalize(assetDir.replace(/\\/g, '/')).replace(/\/+$/, '');
    if (!assetDir || path.posix.isAbsolute(dir) || dir === '..' || dir.startsWith('../')) {
      throw new Error(`compose: 'assetDir' must be a relative directory below the compose file's, got ${JSON.stringify(assetDir)}`);
    }
    this.dir = dir;
  }

  /**
   * Path of each config file of a container, by file id. Files of one service that share a file name are told
   * apart by their id.
   */
  public configFiles(service: string, files: ResolvedConfigFile[]): Map<string, string> {
    const count = (name: string) => files.filter((f) => f.fileName === name).length;
    return new Map(files.map((f) => [f.id, this.join(service, count(f.fileName) > 1 ? `${f.id}-${f.fileName}` : f.fileName)]));
  }

  /** Path of the file the user provides for a secret key. */
  public secretFile(secret: ResolvedSecretRef): string {
    return this.join('secrets', secret.name, secret.key);
  }

  private join(...parts: string[]): string {
    return path.posix.join(this.dir, ...parts);
  }
}

/** How the compose file refers to an asset: relative paths must start with `./` or they name a volume. */
export function composePath(assetPath: string): string {
  return `./${assetPath}`;
}

/** Key of a secret in the top-level `secrets:`; `_` cannot occur in secret names, so keys never collide. */
export function secretKey(secret: ResolvedSecretRef): string {
  return `${secret.name}_${secret.key}`;
}
