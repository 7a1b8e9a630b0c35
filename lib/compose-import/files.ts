/*
 * Read access to the compose project's directory. Only files below `baseDir` are read (a compose file naming
 * `/etc/shadow` or `../secrets` must not pull it into the outputs), symlinks included.
 */
import * as fs from 'fs';
import * as path from 'path';

/** Limits of a directory carried over as config files: anything larger is a source tree or data, not config. */
export const CONFIG_DIR_LIMITS = { files: 32, totalBytes: 512 * 1024 };
/** Largest single file carried over as a config file (a ConfigMap holds at most 1 MiB). */
export const CONFIG_FILE_MAX_BYTES = 512 * 1024;

/** A file found below the project directory. */
export interface ProjectFile {
  /** Path relative to the mounted directory ('' for a mounted file). */
  readonly relative: string;
  /** The text; undefined for a file that was not read because it holds a credential. */
  readonly content?: string;
}

/** Tells which files must not be read (credentials), by path relative to the looked-up path ('' for itself). */
export type Unreadable = (relative: string) => boolean;

/** What a host path of the compose file is, seen from the project directory. */
export type HostPathLookup =
  | { readonly kind: 'file'; readonly file: ProjectFile; readonly absolute: string }
  | { readonly kind: 'directory'; readonly files: ProjectFile[]; readonly absolute: string }
  | { readonly kind: 'unusable'; readonly reason: string };

/** The compose project's directory, or none (nothing is read). */
export class ProjectFiles {
  private readonly root: string | undefined;

  constructor(baseDir: string | undefined) {
    if (baseDir !== undefined && !fs.statSync(path.resolve(baseDir), { throwIfNoEntry: false })?.isDirectory()) {
      throw new Error(`compose import: 'baseDir' must be a directory, got ${JSON.stringify(baseDir)}`);
    }
    this.root = baseDir === undefined ? undefined : fs.realpathSync(path.resolve(baseDir));
  }

  /** Whether a base directory was given. */
  public get available(): boolean {
    return this.root !== undefined;
  }

  /** Absolute path of `p` (relative to the project), or undefined when it is not below the project directory. */
  public resolve(p: string): string | undefined {
    if (this.root === undefined || p.startsWith('~')) return undefined;
    const absolute = path.resolve(this.root, p);
    return this.inside(absolute) ? absolute : undefined;
  }

  /** The text of file `p`, or a reason why it cannot be read. */
  public readText(p: string): { content: string } | { reason: string } {
    const found = this.lookup(p);
    if (found.kind === 'unusable') return { reason: found.reason };
    if (found.kind === 'directory') return { reason: `${JSON.stringify(p)} is a directory` };
    return { content: found.file.content! };
  }

  /** A host path as config: one text file, or a small directory of text files. */
  public lookup(p: string, unreadable: Unreadable = () => false): HostPathLookup {
    if (this.root === undefined) return { kind: 'unusable', reason: 'no baseDir was given, so no file is read' };
    const absolute = this.resolve(p);
    if (absolute === undefined) return { kind: 'unusable', reason: `${JSON.stringify(p)} is outside the project directory` };
    if (!fs.existsSync(absolute)) return { kind: 'unusable', reason: `${JSON.stringify(p)} does not exist below the project directory` };
    const real = fs.realpathSync(absolute);
    if (!this.inside(real)) return { kind: 'unusable', reason: `${JSON.stringify(p)} links outside the project directory` };
    const stat = fs.statSync(real);
    if (stat.isFile()) {
      const file = unreadable('') ? { relative: '' } : readSmallText(real, '');
      return typeof file === 'string' ? { kind: 'unusable', reason: `${JSON.stringify(p)} ${file}` } : { kind: 'file', file, absolute };
    }
    if (!stat.isDirectory()) return { kind: 'unusable', reason: `${JSON.stringify(p)} is not a regular file or directory` };
    const files = this.readSmallDir(real, unreadable);
    return typeof files === 'string' ? { kind: 'unusable', reason: `${JSON.stringify(p)} ${files}` } : { kind: 'directory', files, absolute };
  }

  private readSmallDir(dir: string, unreadable: Unreadable): ProjectFile[] | string {
    const found: ProjectFile[] = [];
    let total = 0;
    const walk = (sub: string): string | undefined => {
      for (const entry of fs.readdirSync(path.join(dir, sub), { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
        const relative = path.posix.join(sub, entry.name);
        const full = fs.realpathSync(path.join(dir, relative));
        if (!this.inside(full)) return `holds ${relative}, which links outside the project directory`;
        if (fs.statSync(full).isDirectory()) {
          const problem = walk(relative);
          if (problem) return problem;
          continue;
        }
        const file = unreadable(relative) ? { relative } : readSmallText(full, relative);
        if (typeof file === 'string') return `holds ${relative}, which ${file}`;
        total += Buffer.byteLength(file.content ?? '');
        found.push(file);
        if (found.length > CONFIG_DIR_LIMITS.files || total > CONFIG_DIR_LIMITS.totalBytes) {
          return `holds more than ${CONFIG_DIR_LIMITS.files} files or ${CONFIG_DIR_LIMITS.totalBytes / 1024} KiB: not config files (a source tree or data?)`;
        }
      }
      return undefined;
    };
    return walk('') ?? found;
  }

  private inside(absolute: string): boolean {
    const rel = path.relative(this.root!, absolute);
    return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
  }
}

function readSmallText(file: string, relative: string): ProjectFile | string {
  const size = fs.statSync(file).size;
  if (size > CONFIG_FILE_MAX_BYTES) return `is larger than ${CONFIG_FILE_MAX_BYTES / 1024} KiB`;
  const buffer = fs.readFileSync(file);
  if (buffer.includes(0)) return 'is a binary file';
  return { relative, content: buffer.toString('utf8') };
}
