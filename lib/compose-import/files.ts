/*
 * Read access to the compose project's directory. Only files below `baseDir` are read (a compose file naming
 * `/etc/shadow` or `../secrets` must not pull it into the outputs), symlinks included. Only regular files are read:
 * a named pipe, socket or device is never opened (reading a pipe would block the import forever), and a symlink
 * loop or a directory that links back to itself is reported, never followed.
 */
import * as fs from 'fs';
import * as path from 'path';

/** Limits of a directory carried over as config files: anything larger is a source tree or data, not config. */
export const CONFIG_DIR_LIMITS = { files: 32, totalBytes: 512 * 1024, entries: 256, depth: 8 };
/** Largest single file carried over as a config file (a ConfigMap holds at most 1 MiB). */
export const CONFIG_FILE_MAX_BYTES = 512 * 1024;

/** A file found below the project directory. */
export interface ProjectFile {
  /** Path relative to the mounted directory ('' for a mounted file). */
  readonly relative: string;
  /** The text; undefined for a file that was not read because it holds a credential. */
  readonly content?: string;
}

/** An entry of a mounted directory that is not read (a pipe, socket, device, symlink loop), and why. */
export interface SkippedEntry {
  readonly relative: string;
  readonly reason: string;
}

/** Tells which files must not be read (credentials), by path relative to the looked-up path ('' for itself). */
export type Unreadable = (relative: string) => boolean;

/** What a host path of the compose file is, seen from the project directory. */
export type HostPathLookup =
  | { readonly kind: 'file'; readonly file: ProjectFile; readonly absolute: string }
  | { readonly kind: 'directory'; readonly files: ProjectFile[]; readonly skipped: SkippedEntry[]; readonly absolute: string }
  | { readonly kind: 'unusable'; readonly reason: string };

/** A path below the project directory, its real path and what it is. */
type Located = { readonly absolute: string; readonly real: string; readonly stat: fs.Stats } | { readonly reason: string };

const show = (v: unknown) => JSON.stringify(v);

/** What a non-regular file is, in words. */
export function fileKind(stat: fs.Stats): string {
  if (stat.isFIFO()) return 'a named pipe';
  if (stat.isSocket()) return 'a socket';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  if (stat.isDirectory()) return 'a directory';
  if (stat.isSymbolicLink()) return 'a symbolic link';
  return 'not a regular file';
}

/** Why `p` cannot be resolved (a loop, a dangling link, ...), from the error of realpath/stat. */
function resolveProblem(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ELOOP') return 'is a symbolic link loop';
  if (code === 'ENOENT' || code === 'ENOTDIR') return 'does not exist (or is a dangling symbolic link)';
  if (code === 'ENAMETOOLONG') return 'has a path that is too long (a symbolic link loop?)';
  if (code === 'EACCES' || code === 'EPERM') return 'cannot be read (permission denied)';
  return `cannot be read (${code ?? (e as Error).message})`;
}

/** The compose project's directory, or none (nothing is read). */
export class ProjectFiles {
  private readonly root: string | undefined;

  constructor(baseDir: string | undefined) {
    if (baseDir !== undefined && !fs.statSync(path.resolve(baseDir), { throwIfNoEntry: false })?.isDirectory()) {
      throw new Error(`compose import: 'baseDir' must be a directory, got ${show(baseDir)}`);
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

  /**
   * Where `p` is, following symlinks: its real path must be below the project directory too. `what` names it in
   * the reason (default: `p` itself).
   */
  public locate(p: string, what = show(p)): Located {
    if (this.root === undefined) return { reason: 'no baseDir was given, so no file is read' };
    const absolute = this.resolve(p);
    if (absolute === undefined) return { reason: `${what} is outside the project directory` };
    let real: string;
    try {
      real = fs.realpathSync(absolute);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' && !fs.lstatSync(absolute, { throwIfNoEntry: false }))
        return { reason: `${what} does not exist below the project directory` };
      return { reason: `${what} ${resolveProblem(e)}` };
    }
    if (!this.inside(real)) return { reason: `${what} links outside the project directory` };
    try {
      return { absolute, real, stat: fs.statSync(real) };
    } catch (e) {
      return { reason: `${what} ${resolveProblem(e)}` };
    }
  }

  /** The text of file `p` (a regular file below the project directory), or a reason why it cannot be read. */
  public readText(p: string): { content: string } | { reason: string } {
    const found = this.lookup(p);
    if (found.kind === 'unusable') return { reason: found.reason };
    if (found.kind === 'directory') return { reason: `${show(p)} is a directory` };
    return { content: found.file.content! };
  }

  /** A host path as config: one text file, or a small directory of text files. */
  public lookup(p: string, unreadable: Unreadable = () => false): HostPathLookup {
    const found = this.locate(p);
    if ('reason' in found) return { kind: 'unusable', reason: found.reason };
    const { absolute, real, stat } = found;
    if (stat.isFile()) {
      const file = unreadable('') ? { relative: '' } : readSmallText(real, '');
      return typeof file === 'string' ? { kind: 'unusable', reason: `${show(p)} ${file}` } : { kind: 'file', file, absolute };
    }
    if (!stat.isDirectory()) return { kind: 'unusable', reason: `${show(p)} is ${fileKind(stat)}: only regular files are read` };
    const read = this.readSmallDir(real, unreadable);
    return typeof read === 'string' ? { kind: 'unusable', reason: `${show(p)} ${read}` } : { kind: 'directory', ...read, absolute };
  }

  private readSmallDir(dir: string, unreadable: Unreadable): { files: ProjectFile[]; skipped: SkippedEntry[] } | string {
    const files: ProjectFile[] = [];
    const skipped: SkippedEntry[] = [];
    const visited = new Set<string>([dir]);
    let total = 0;
    const tooLarge = () =>
      `holds more than ${CONFIG_DIR_LIMITS.files} files or ${CONFIG_DIR_LIMITS.totalBytes / 1024} KiB: not config files (a source ` +
      `tree or data?)`;
    const walk = (sub: string, realDir: string, depth: number): string | undefined => {
      const names = listDir(realDir, CONFIG_DIR_LIMITS.entries);
      if (typeof names !== 'string' && names.length > CONFIG_DIR_LIMITS.entries) return tooLarge();
      if (typeof names === 'string') return `${sub ? `holds ${sub}, which ` : ''}${names}`;
      for (const name of names) {
        const relative = path.posix.join(sub, name);
        const skip = (reason: string) => skipped.push({ relative, reason });
        let full: string;
        let stat: fs.Stats;
        try {
          full = fs.realpathSync(path.join(realDir, name));
        } catch (e) {
          skip(resolveProblem(e));
          continue;
        }
        if (!this.inside(full)) return `holds ${relative}, which links outside the project directory`;
        try {
          stat = fs.statSync(full);
        } catch (e) {
          skip(resolveProblem(e));
          continue;
        }
        if (stat.isDirectory()) {
          if (visited.has(full)) {
            skip('links back to a directory above it (a loop)');
            continue;
          }
          if (depth >= CONFIG_DIR_LIMITS.depth) return `nests directories deeper than ${CONFIG_DIR_LIMITS.depth} levels: not config files`;
          visited.add(full);
          const problem = walk(relative, full, depth + 1);
          if (problem) return problem;
          continue;
        }
        if (!stat.isFile()) {
          skip(`is ${fileKind(stat)}: only regular files are read`);
          continue;
        }
        const file = unreadable(relative) ? { relative } : readSmallText(full, relative);
        if (typeof file === 'string') return `holds ${relative}, which ${file}`;
        total += Buffer.byteLength(file.content ?? '');
        files.push(file);
        if (files.length > CONFIG_DIR_LIMITS.files || total > CONFIG_DIR_LIMITS.totalBytes) return tooLarge();
      }
      return undefined;
    };
    return walk('', dir, 0) ?? { files, skipped };
  }

  private inside(absolute: string): boolean {
    const rel = path.relative(this.root!, absolute);
    return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
  }
}

/** The sorted entry names of `dir`, reading at most `limit + 1` of them (a huge directory is not listed whole). */
function listDir(dir: string, limit: number): string[] | string {
  let handle: fs.Dir | undefined;
  try {
    handle = fs.opendirSync(dir);
    const names: string[] = [];
    for (let entry = handle.readSync(); entry !== null && names.length <= limit; entry = handle.readSync()) names.push(entry.name);
    return names.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  } catch (e) {
    return resolveProblem(e);
  } finally {
    handle?.closeSync();
  }
}

/**
 * The text of a regular file. It is opened without blocking and checked again on the open descriptor, so a file
 * swapped for a pipe between the check and the read is still never read.
 */
function readSmallText(file: string, relative: string): ProjectFile | string {
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0) | (fs.constants.O_NOFOLLOW ?? 0));
    const stat = fs.fstatSync(fd);
    if (!stat.isFile()) return `is ${fileKind(stat)}: only regular files are read`;
    if (stat.size > CONFIG_FILE_MAX_BYTES) return `is larger than ${CONFIG_FILE_MAX_BYTES / 1024} KiB`;
    const buffer = Buffer.alloc(stat.size);
    let read = 0;
    while (read < stat.size) {
      const n = fs.readSync(fd, buffer, read, stat.size - read, read);
      if (n === 0) break;
      read += n;
    }
    const content = buffer.subarray(0, read);
    if (content.includes(0)) return 'is a binary file';
    return { relative, content: content.toString('utf8') };
  } catch (e) {
    return resolveProblem(e);
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}
