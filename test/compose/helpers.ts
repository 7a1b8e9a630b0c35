import { execFile, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { promisify } from 'util';
import { ComposeRendering, ComposeService, toCompose, writeCompose } from '../../lib/compose';
import { Application } from '../../lib/model';

export { BUILD_CONTEXT, httpService, IMAGE, newApp, worker } from '../model/helpers';

/** The repository root: build contexts in renderings are relative to it when it is the project dir. */
export const REPO = path.join(__dirname, '..', '..');

/** `toCompose` with the repository as project dir, so renderings do not depend on where jest runs. */
export function render(app: Application, assetDir?: string): ComposeRendering {
  return toCompose(app, { projectDir: REPO, assetDir });
}

/** The service `key` of a rendering; fails the test when it is missing. */
export function svc(r: ComposeRendering, key: string): ComposeService {
  const s = r.file.services[key];
  if (!s) throw new Error(`no compose service '${key}' (services: ${Object.keys(r.file.services).join(', ')})`);
  return s;
}

/** Network keys a service joins, in order. */
export function networksOf(s: ComposeService): string[] {
  return Object.keys(s.networks ?? {});
}

/** Whether docker-compose can be run; REQUIRE_DOCKER=1 turns its absence into a failure. */
export const DOCKER_COMPOSE = spawnSync('docker-compose', ['version'], { stdio: 'ignore' }).status === 0;
if (!DOCKER_COMPOSE) {
  const message = 'docker-compose is not installed: the docker-compose config checks are skipped';
  if (process.env.REQUIRE_DOCKER === '1') throw new Error(`${message} (REQUIRE_DOCKER=1)`);
  // eslint-disable-next-line no-console
  console.warn(message);
}

/** `it` when docker-compose is available, else `it.skip`. */
export const itWithCompose = DOCKER_COMPOSE ? it : it.skip;

const run = promisify(execFile);

/** A value for every secret variable, so docker-compose has nothing to warn about. */
export function secretEnvironment(r: ComposeRendering): Record<string, string> {
  return Object.fromEntries(r.secretVariables.map((v) => [v.name, `value-of-${v.name.toLowerCase()}`]));
}

/**
 * Writes `app` with `writeCompose` into a fresh temp dir and runs `docker-compose config -q` on it. Resolves with
 * docker-compose's stderr (expected to be empty); rejects with its message when docker-compose refuses the file.
 */
export async function dockerComposeConfig(
  app: Application,
  args: string[] = ['config', '-q'],
): Promise<{ stdout: string; stderr: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'compose-test-'));
  try {
    const { composeFile, rendering } = writeCompose(app, dir, app.name);
    try {
      return await run('docker-compose', ['-f', composeFile, ...args], {
        cwd: dir,
        env: { PATH: process.env.PATH, ...secretEnvironment(rendering) },
      });
    } catch (e) {
      const err = e as { stderr?: string; message: string };
      throw new Error(`docker-compose refused ${app.name}: ${err.stderr || err.message}\n${fs.readFileSync(composeFile, 'utf8')}`);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
