/*
 * A throw-away consumer project outside the repo: it installs the packed tarball the way a user would
 * (`npm install <tgz>` plus the peer dependencies) and compiles and runs code against it.
 */
import { spawnSync, SpawnSyncReturns } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export const REPO = path.resolve(__dirname, '..', '..');

/** Runs a command, throwing with its output when it fails. */
export function run(command: string, args: string[], cwd: string, timeoutMs = 300_000): SpawnSyncReturns<string> {
  const r = spawnSync(command, args, { cwd, encoding: 'utf8', timeout: timeoutMs, env: cleanEnv(), maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) {
    throw new Error(
      `${command} ${args.join(' ')} (in ${cwd}) failed with ${r.status ?? r.signal}:\n${r.stdout}\n${r.stderr}\n${r.error ?? ''}`,
    );
  }
  return r;
}

/** The environment without the npm_* variables of an enclosing `npm test`, which would steer the inner npm. */
function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
}

/** The version installed in this repo, so the consumer gets what the tests ran with (and the npm cache has it). */
export function installedVersion(pkg: string): string {
  return JSON.parse(fs.readFileSync(path.join(REPO, 'node_modules', pkg, 'package.json'), 'utf8')).version;
}

/** Top-level entries a checkout may have that the pack copy leaves out (installed or generated). */
const NOT_COPIED = new Set(['node_modules', '.git', 'out', 'dist', '.build', 'coverage', 'docs']);

/**
 * `npm pack` of the repo: the tarball's path and the files it holds. It packs a copy of the working tree (with the
 * repo's node_modules linked), so the prepack build never rewrites this checkout's out/ under other tests.
 */
export function pack(): { tarball: string; files: string[] } {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'msc-pack-'));
  const copy = path.join(work, 'repo');
  fs.cpSync(REPO, copy, {
    recursive: true,
    filter: (src) => {
      const rel = path.relative(REPO, src);
      return !NOT_COPIED.has(rel.split(path.sep)[0]) && !rel.endsWith('.tgz') && !rel.split(path.sep).includes('.cache');
    },
  });
  fs.symlinkSync(path.join(REPO, 'node_modules'), path.join(copy, 'node_modules'), 'dir');
  // Synth output as a developer's checkout has it: the package must not pick it up.
  fs.mkdirSync(path.join(copy, 'dist'));
  fs.writeFileSync(path.join(copy, 'dist', 'shop.k8s.yaml'), 'kind: List\n');
  const r = run('npm', ['pack', '--json', '--pack-destination', work], copy);
  // Lifecycle scripts (prepack's build) print before the JSON.
  const json = JSON.parse(r.stdout.slice(r.stdout.indexOf('[')));
  return { tarball: path.join(work, json[0].filename), files: json[0].files.map((f: { path: string }) => f.path) };
}

/** A new project in the temp directory with `files` (relative path -> content). */
export function createProject(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'msc-consumer-'));
  for (const [rel, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), content);
  }
  return dir;
}
