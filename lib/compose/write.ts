import * as fs from 'fs';
import * as path from 'path';
import { Application } from '../model';
import { ComposeRendering, toCompose } from './to-compose';
import { composeYaml } from './yaml';

/** What {@link writeCompose} wrote. */
export interface WrittenCompose {
  /** Absolute path of `<dir>/<baseName>.compose.yaml`. */
  readonly composeFile: string;
  readonly rendering: ComposeRendering;
}

/**
 * Writes `<dir>/<baseName>.compose.yaml` and the files it mounts under `<dir>/<baseName>/`. Everything is rendered
 * before anything is written, each file is replaced by a rename, and the compose file comes last, so a failed
 * render leaves the existing output untouched and the compose file never refers to a missing asset.
 */
export function writeCompose(application: Application, dir: string, baseName: string): WrittenCompose {
  if (!baseName || baseName !== path.basename(baseName) || baseName.startsWith('.')) {
    throw new Error(`compose: 'baseName' must be a plain file name, got ${JSON.stringify(baseName)}`);
  }
  const root = path.resolve(dir);
  const rendering = toCompose(application, { assetDir: baseName, projectDir: root });
  const text = composeYaml(rendering);
  for (const asset of rendering.files) writeFileAtomic(path.join(root, asset.path), asset.content, asset.mode);
  const composeFile = path.join(root, `${baseName}.compose.yaml`);
  writeFileAtomic(composeFile, text, 0o644);
  return { composeFile, rendering };
}

function writeFileAtomic(file: string, content: string, mode: number): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, content, { mode });
  fs.chmodSync(tmp, mode); // the umask must not make a config file unreadable for the container's uid
  fs.renameSync(tmp, file);
}
