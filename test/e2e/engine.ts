/*
 * Real Docker engine helpers for the end-to-end tests: engine detection (skip, or fail with REQUIRE_DOCKER=1),
 * the locally built images that stand in for registry images (nothing can be pulled), and compose projects
 * that always clean up after themselves.
 *
 * Images built here are a cache shared by every test file and every run (label `mc-e2e.cache`):
 *   mc-e2e-base:bookworm  debootstrap minbase + redis-server, nginx-light, python3-flask, python3-redis,
 *                         python3-prometheus-client
 *   python:3.12-slim      FROM the base (the stacks' Dockerfiles build FROM it; pip is skipped offline)
 *   mc-e2e/redis:7.2      FROM the base, /data owned by 999:1000 like the official redis image
 *   mc-e2e/nginx:1.22     FROM the base (Debian's nginx-light), for the gateway
 *   mc-e2e/busybox:1.35   FROM scratch + the host's busybox-static
 *   mc-e2e/prometheus:2   FROM the base + the files of Debian's `prometheus` package (2.42), laid out like the
 *                         official prom/prometheus image: ENTRYPOINT /usr/bin/prometheus, USER 65534 (nobody),
 *                         busybox's wget (for a Docker health check on /-/ready),
 *                         /prometheus owned by 65534 (so a fresh named volume there is writable), config in
 *                         /etc/prometheus. The package is fetched with `apt-get download` and only its binary,
 *                         /etc/prometheus and /usr/share/prometheus are copied: `apt-get install` pulls in the
 *                         classic web UI's JavaScript libraries (218 MB in /usr/share/javascript; a 410 MB layer
 *                         instead of 50 MB; the HTTP API needs none of them), and `dpkg-deb -x` straight into /
 *                         replaces the merged-/usr symlinks (/lib, /bin) with directories.
 *                         A separate image rather than a base package: the base stays small, and a change to this
 *                         recipe rebuilds this image (seconds) instead of the base (debootstrap, minutes).
 * Each image carries the hash of its recipe (derived images: also the base's image id); a changed recipe rebuilds
 * it (and, for the base, everything built FROM it), an unchanged one is reused. The recipes fetch packages from
 * the Debian mirror, whose state the hash does not cover: clean the cache to pick up a point release.
 * Remove them (and whatever a killed run left behind) with `node scripts/run-ts.js test/e2e/clean-cache.ts`.
 */
import { spawn, spawnSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as net from 'net';
import * as http from 'http';
import * as os from 'os';
import * as path from 'path';
import { DEFAULT_MONITORING_IMAGE } from '../../lib/model/monitoring';

// ---------------------------------------------------------------------------------------------------------------
// processes

export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunOptions {
  /** Kill the process after this long (default 120 s). */
  readonly timeoutMs?: number;
  /** Text written to stdin. */
  readonly input?: string | Buffer;
  /** Working directory. */
  readonly cwd?: string;
  /** Extra environment. */
  readonly env?: Record<string, string>;
  /** Resolve with a non-zero code instead of rejecting. */
  readonly allowFailure?: boolean;
}

/** Runs `cmd args` (no shell), bounded by a timeout; rejects on non-zero exit unless `allowFailure`. */
export function run(cmd: string, args: string[], options: RunOptions = {}): Promise<RunResult> {
  const timeoutMs = options.timeoutMs ?? 120_000;
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      cwd: options.cwd,
      env: { ...process.env, ...(options.env ?? {}) },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(new Error(`${cmd} ${args.join(' ')}: ${e.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (process.env.MC_E2E_DEBUG)
        process.stderr.write(
          `[e2e] ${((Date.now() - started) / 1000).toFixed(1)} s, exit ${code}: ${cmd} ${args.join(' ').slice(0, 160)}\n`,
        );
      const result = {
        code: code ?? (signal ? 128 : 1),
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      };
      if (timedOut) {
        reject(new Error(`${cmd} ${args.join(' ')}: timed out after ${timeoutMs} ms\n${tail(result.stdout)}\n${tail(result.stderr)}`));
      } else if (result.code !== 0 && !options.allowFailure) {
        reject(new Error(`${cmd} ${args.join(' ')}: exit ${result.code}\n${tail(result.stdout)}\n${tail(result.stderr)}`));
      } else {
        resolve(result);
      }
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.input ?? '');
  });
}

/** `docker ...`. */
export function docker(args: string[], options: RunOptions = {}): Promise<RunResult> {
  return run('docker', args, options);
}

function tail(text: string, lines = 40): string {
  return text.split('\n').slice(-lines).join('\n');
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/**
 * Polls `probe` until it returns a value other than `undefined`, at most `timeoutMs`; throws with the last
 * error (or `what`) when time runs out.
 */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000, intervalMs = 500): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() >= deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${(last as Error).message ?? last}` : ''}`);
    }
    await sleep(intervalMs);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// engine detection

export interface EngineStatus {
  readonly available: boolean;
  readonly reason?: string;
}

let engineStatus: EngineStatus | undefined;

/** Whether a Docker engine and docker-compose answer (checked once per test file). */
export function engine(): EngineStatus {
  if (engineStatus) return engineStatus;
  const info = spawnSync('docker', ['info', '--format', '{{.ServerVersion}}'], { encoding: 'utf8', timeout: 20_000 });
  if (info.error || info.status !== 0 || !info.stdout.trim()) {
    const why = info.error ? info.error.message : (info.stderr || info.stdout).trim().split('\n').pop();
    engineStatus = { available: false, reason: `no Docker engine answers 'docker info' (${why})` };
    return engineStatus;
  }
  const compose = spawnSync('docker-compose', ['version', '--short'], { encoding: 'utf8', timeout: 20_000 });
  if (compose.error || compose.status !== 0) {
    engineStatus = { available: false, reason: `docker-compose is not installed (${compose.error?.message ?? compose.stderr.trim()})` };
    return engineStatus;
  }
  engineStatus = { available: true };
  return engineStatus;
}

/** Whether a missing engine is an error (`REQUIRE_DOCKER=1`, as in CI) rather than a reason to skip. */
export function dockerRequired(): boolean {
  return ['1', 'true', 'yes'].includes((process.env.REQUIRE_DOCKER ?? '').toLowerCase());
}

/**
 * `describe` for tests that need a real engine: runs them when the engine answers; otherwise skips them with a
 * message, or (with REQUIRE_DOCKER=1) fails.
 */
export function describeWithDocker(name: string, body: () => void): void {
  const status = engine();
  if (status.available) {
    describe(name, body);
    return;
  }
  if (dockerRequired()) {
    describe(name, () => {
      test('a Docker engine is available (REQUIRE_DOCKER=1)', () => {
        throw new Error(`REQUIRE_DOCKER=1 but ${status.reason}`);
      });
    });
    return;
  }
  // Written to stderr directly: jest drops console output of a suite whose tests are all skipped.
  process.stderr.write(`e2e: skipping '${name}': ${status.reason}; set REQUIRE_DOCKER=1 to make this a failure\n`);
  describe.skip(name, body);
}

/** Long per-test timeout of the engine tests. */
export const E2E_TIMEOUT = 300_000;
/** Timeout of a `beforeAll` that may build the base image (debootstrap takes minutes on a slow mirror). */
export const SETUP_TIMEOUT = 1_200_000;

// ---------------------------------------------------------------------------------------------------------------
// images

export const BASE_IMAGE = 'mc-e2e-base:bookworm';
export const PYTHON_IMAGE = 'python:3.12-slim';
export const REDIS_IMAGE = 'mc-e2e/redis:7.2';
export const NGINX_IMAGE = 'mc-e2e/nginx:1.22';
export const BUSYBOX_IMAGE = 'mc-e2e/busybox:1.35';
/** Prometheus from Debian bookworm's `prometheus` package, laid out like prom/prometheus (see the header). */
export const PROMETHEUS_IMAGE = 'mc-e2e/prometheus:2';
/** Where PROMETHEUS_IMAGE keeps its TSDB by default (owned by 65534, like the official image's). */
export const PROMETHEUS_DATA_DIR = '/prometheus';

/** The label every cached image carries; its value is the hash of the recipe that built it. */
export const CACHE_LABEL = 'mc-e2e.cache';
export const BASE_PACKAGES = ['redis-server', 'nginx-light', 'python3-flask', 'python3-redis', 'python3-prometheus-client'];
const SUITE = 'bookworm';
const PATH_ENV = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** `imageOverrides` that point the registry references the stacks use at the local images. */
export const IMAGE_OVERRIDES: Record<string, string> = {
  'redis:7.2-alpine': REDIS_IMAGE,
  'nginx:1.27-alpine': NGINX_IMAGE,
  'busybox:1.36.1': BUSYBOX_IMAGE,
  // Monitoring's default image (the shop's Prometheus); Debian's prometheus stands in for it.
  [DEFAULT_MONITORING_IMAGE]: PROMETHEUS_IMAGE,
};

interface ImageRecipe {
  readonly tag: string;
  /** Dockerfile text (FROM the base); the build context is empty unless `context` fills it. */
  readonly dockerfile: string;
  /** Fills the build context directory. */
  readonly context?: (dir: string) => void;
}

/** The Debian mirror apt is configured with (MC_E2E_DEBIAN_MIRROR overrides), else deb.debian.org. */
export function debianMirror(): string {
  if (process.env.MC_E2E_DEBIAN_MIRROR) return process.env.MC_E2E_DEBIAN_MIRROR;
  const candidates = ['/etc/apt/sources.list.d/debian.sources', '/etc/apt/sources.list'];
  for (const file of candidates) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    // deb822: `URIs: http://.../debian`; one-line: `deb [opts] http://.../debian bookworm main`.
    const uris = [...text.matchAll(/^\s*URIs:\s*(\S+)/gim)].map((m) => m[1]);
    const lines = [...text.matchAll(/^\s*deb\s+(?:\[[^\]]*\]\s+)?(\S+)\s+(\S+)/gim)]
      .filter((m) => !m[2].includes('security'))
      .map((m) => m[1]);
    const mirror = [...uris, ...lines].find((u) => /^https?:\/\//.test(u) && !u.includes('security'));
    if (mirror) return mirror.replace(/\/+$/, '');
  }
  return 'http://deb.debian.org/debian';
}

function recipeHash(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\0')).digest('hex').slice(0, 16);
}

const BASE_HASH = recipeHash('debootstrap', 'minbase', SUITE, ...BASE_PACKAGES);

function derivedRecipes(): ImageRecipe[] {
  const fromBase = (lines: string[]) => [`FROM ${BASE_IMAGE}`, `ENV ${PATH_ENV}`, ...lines].join('\n') + '\n';
  return [
    // The stacks' Python Dockerfiles: `python3 -c "import flask, redis"` succeeds, so pip is skipped.
    { tag: PYTHON_IMAGE, dockerfile: fromBase(['CMD ["python3"]']) },
    // Like the official image: redis runs as 999:1000 and owns /data, so a fresh named volume is writable.
    {
      tag: REDIS_IMAGE,
      dockerfile: fromBase(['RUN mkdir -p /data && chown 999:1000 /data', 'WORKDIR /data', 'EXPOSE 6379', 'CMD ["redis-server"]']),
    },
    { tag: NGINX_IMAGE, dockerfile: fromBase(['EXPOSE 80', 'STOPSIGNAL SIGQUIT', 'CMD ["nginx", "-g", "daemon off;"]']) },
    {
      tag: BUSYBOX_IMAGE,
      dockerfile: ['FROM scratch', 'COPY rootfs/ /', `ENV ${PATH_ENV}`, 'CMD ["sh"]'].join('\n') + '\n',
      context: (dir) => busyboxRootfs(path.join(dir, 'rootfs')),
    },
    {
      tag: PROMETHEUS_IMAGE,
      dockerfile: fromBase([
        'RUN set -e; apt-get update; cd /tmp; apt-get download prometheus busybox; dpkg-deb -x prometheus_*.deb pkg; ' +
          'cp -a pkg/usr/bin/prometheus /usr/bin/; cp -a pkg/etc/prometheus /etc/; cp -a pkg/usr/share/prometheus /usr/share/; ' +
          // busybox's wget, as prom/prometheus has it: a Docker health check can ask /-/ready.
          'dpkg-deb -x busybox_*.deb bb; cp bb/bin/busybox /usr/local/bin/; ln -s busybox /usr/local/bin/wget; ' +
          `rm -rf pkg bb prometheus_*.deb busybox_*.deb /var/lib/apt/lists/* /var/cache/apt/*.bin; mkdir -p ${PROMETHEUS_DATA_DIR}; ` +
          `chown 65534:65534 ${PROMETHEUS_DATA_DIR}`,
        'USER 65534:65534',
        `WORKDIR ${PROMETHEUS_DATA_DIR}`,
        'EXPOSE 9090',
        'ENTRYPOINT ["/usr/bin/prometheus"]',
        `CMD ["--config.file=/etc/prometheus/prometheus.yml", "--storage.tsdb.path=${PROMETHEUS_DATA_DIR}"]`,
      ]),
    },
  ];
}

/** A minimal root filesystem: the host's static busybox and one symlink per applet. */
function busyboxRootfs(root: string): void {
  const busybox = ['/bin/busybox', '/usr/bin/busybox'].find((p) => fs.existsSync(p));
  if (!busybox) throw new Error('busybox-static is not installed (apt-get install busybox-static)');
  const file = spawnSync('file', ['-L', busybox], { encoding: 'utf8' });
  if (file.status === 0 && !/statically linked|static-pie/.test(file.stdout)) {
    throw new Error(`${busybox} is not statically linked; install busybox-static`);
  }
  const list = spawnSync(busybox, ['--list'], { encoding: 'utf8' });
  if (list.status !== 0) throw new Error(`${busybox} --list failed: ${list.stderr}`);
  for (const d of ['bin', 'tmp', 'etc', 'www', 'data']) fs.mkdirSync(path.join(root, d), { recursive: true });
  fs.chmodSync(path.join(root, 'tmp'), 0o1777);
  fs.copyFileSync(busybox, path.join(root, 'bin', 'busybox'));
  fs.chmodSync(path.join(root, 'bin', 'busybox'), 0o755);
  for (const applet of list.stdout
    .split('\n')
    .map((s) => s.trim())
    .filter(Boolean)) {
    if (applet === 'busybox' || applet.includes('/')) continue;
    fs.symlinkSync('busybox', path.join(root, 'bin', applet));
  }
  fs.writeFileSync(path.join(root, 'etc', 'passwd'), 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n');
  fs.writeFileSync(path.join(root, 'etc', 'group'), 'root:x:0:\nnogroup:x:65534:\n');
}

async function imageLabel(tag: string): Promise<string | undefined> {
  const r = await docker(['image', 'inspect', '--format', `{{ index .Config.Labels "${CACHE_LABEL}" }}`, tag], {
    allowFailure: true,
    timeoutMs: 30_000,
  });
  return r.code === 0 ? r.stdout.trim() : undefined;
}

async function imageId(tag: string): Promise<string | undefined> {
  const r = await docker(['image', 'inspect', '--format', '{{.Id}}', tag], { allowFailure: true, timeoutMs: 30_000 });
  return r.code === 0 ? r.stdout.trim() : undefined;
}

/** The cache label a derived image should carry: its recipe and the base it was built on. */
function derivedHash(recipe: ImageRecipe, baseId: string): string {
  return recipeHash(recipe.dockerfile, baseId, recipe.context ? 'ctx' : '');
}

async function imagesUpToDate(recipes: readonly ImageRecipe[]): Promise<boolean> {
  if ((await imageLabel(BASE_IMAGE)) !== BASE_HASH) return false;
  const baseId = (await imageId(BASE_IMAGE))!;
  for (const r of recipes) {
    const label = await imageLabel(r.tag);
    if (label === undefined && r.tag === PYTHON_IMAGE && (await imageId(r.tag))) continue; // someone else's python
    if (label !== derivedHash(r, baseId)) return false;
  }
  return true;
}

const LOCK_DIR = path.join(os.tmpdir(), 'mc-e2e-images.lock');

/** A cross-process lock (test files run in parallel workers): mkdir is atomic; a dead owner's lock is taken over. */
async function withImageLock<T>(body: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + SETUP_TIMEOUT;
  for (;;) {
    try {
      fs.mkdirSync(LOCK_DIR);
      fs.writeFileSync(path.join(LOCK_DIR, 'pid'), String(process.pid));
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      let owner = NaN;
      try {
        owner = Number(fs.readFileSync(path.join(LOCK_DIR, 'pid'), 'utf8'));
      } catch {
        // the owner has not written its pid yet
      }
      if (Number.isInteger(owner) && owner > 0 && !alive(owner)) {
        fs.rmSync(LOCK_DIR, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${LOCK_DIR} (held by pid ${owner})`);
      await sleep(1000);
    }
  }
  try {
    return await body();
  } finally {
    fs.rmSync(LOCK_DIR, { recursive: true, force: true });
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const imagesReady = new Map<string, Promise<void>>();

/**
 * Makes sure the local images exist (all, or the derived images `tags` and the base), building what is missing or
 * stale; once per process, and only one process builds at a time.
 */
export function ensureImages(tags?: readonly string[]): Promise<void> {
  const recipes = () => derivedRecipes().filter((r) => !tags || tags.includes(r.tag));
  const key = tags ? [...tags].sort().join(',') : '*';
  let ready = imagesReady.get(key);
  if (!ready) {
    ready = (async () => {
      if (await imagesUpToDate(recipes())) return;
      await withImageLock(async () => {
        if (await imagesUpToDate(recipes())) return; // another worker built them while we waited
        await buildBase();
        const baseId = (await imageId(BASE_IMAGE))!;
        for (const r of recipes()) await buildDerived(r, baseId);
      });
    })();
    imagesReady.set(key, ready);
  }
  return ready;
}

async function buildBase(): Promise<void> {
  if ((await imageLabel(BASE_IMAGE)) === BASE_HASH) return;
  const mirror = debianMirror();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-e2e-rootfs-'));
  const started = Date.now();
  console.log(`building ${BASE_IMAGE}: debootstrap ${SUITE} from ${mirror} (about a minute) ...`);
  try {
    await run('debootstrap', ['--variant=minbase', `--include=${BASE_PACKAGES.join(',')}`, SUITE, dir, mirror], {
      timeoutMs: SETUP_TIMEOUT - 120_000,
    });
    // Services start as the user the definition gives; the packages' own daemons are never started here.
    fs.rmSync(path.join(dir, 'var', 'cache', 'apt', 'archives'), { recursive: true, force: true });
    fs.mkdirSync(path.join(dir, 'var', 'cache', 'apt', 'archives', 'partial'), { recursive: true });
    await run(
      'bash',
      [
        '-o',
        'pipefail',
        '-c',
        `tar -C "$1" --numeric-owner -c . | docker import -c "ENV ${PATH_ENV}" -c "LABEL ${CACHE_LABEL}=${BASE_HASH}" -c 'CMD ` +
          `["bash"]' - "$2"`,
        'import',
        dir,
        BASE_IMAGE,
      ],
      { timeoutMs: 600_000 },
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  console.log(`built ${BASE_IMAGE} in ${Math.round((Date.now() - started) / 1000)} s`);
}

async function buildDerived(recipe: ImageRecipe, baseId: string): Promise<void> {
  const hash = derivedHash(recipe, baseId);
  const current = await imageLabel(recipe.tag);
  if (current === hash) return;
  if (current === undefined && recipe.tag === PYTHON_IMAGE && (await imageId(recipe.tag))) {
    console.warn(`${PYTHON_IMAGE} exists and was not built by these tests: leaving it alone`);
    return;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-e2e-ctx-'));
  try {
    recipe.context?.(dir);
    fs.writeFileSync(path.join(dir, 'Dockerfile'), recipe.dockerfile + `LABEL ${CACHE_LABEL}=${hash}\n`);
    await docker(['build', '--pull=false', '-t', recipe.tag, dir], { timeoutMs: 600_000 });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Removes every cached image (tests never call this; see clean-cache.ts). */
export async function removeCachedImages(): Promise<void> {
  for (const tag of [...derivedRecipes().map((r) => r.tag), BASE_IMAGE]) {
    const label = await imageLabel(tag);
    if (label) await docker(['rmi', '-f', tag], { allowFailure: true });
  }
}

// ---------------------------------------------------------------------------------------------------------------
// compose projects

/** Every compose project of these tests starts with this (see uniqueProjectName). */
export const PROJECT_PREFIX = 'mce2e';

/**
 * Removes containers, networks and volumes of compose projects named PROJECT_PREFIX* that a killed test run left
 * behind (tests clean up after themselves; this is for runs that could not). Never called by the tests: it
 * cannot tell a leftover from a run in progress.
 */
export async function sweepLeftovers(): Promise<string[]> {
  const ours = async (kind: 'ps' | 'network' | 'volume') => {
    const args = kind === 'ps' ? ['ps', '-a'] : [kind, 'ls'];
    const fmt = `{{.ID}} {{.Label "com.docker.compose.project"}}`;
    const out = (
      await docker([
        ...args,
        '--filter',
        'label=com.docker.compose.project',
        '--format',
        kind === 'volume' ? fmt.replace('.ID', '.Name') : fmt,
      ])
    ).stdout;
    return out
      .split('\n')
      .map((l) => l.trim().split(' '))
      .filter(([id, p]) => id && p?.startsWith(PROJECT_PREFIX))
      .map(([id]) => id);
  };
  const removed: string[] = [];
  const containers = await ours('ps');
  if (containers.length) await docker(['rm', '-f', '-v', ...containers]);
  const networks = await ours('network');
  if (networks.length) await docker(['network', 'rm', ...networks], { allowFailure: true });
  const volumes = await ours('volume');
  if (volumes.length) await docker(['volume', 'rm', '-f', ...volumes], { allowFailure: true });
  removed.push(...containers.map((c) => `container ${c}`), ...networks.map((n) => `network ${n}`), ...volumes.map((v) => `volume ${v}`));
  return removed;
}

let projectCounter = 0;

/** A compose project name unique to this process and call. */
export function uniqueProjectName(prefix: string): string {
  if (!prefix.startsWith(PROJECT_PREFIX)) throw new Error(`project prefix ${prefix} must start with ${PROJECT_PREFIX}`);
  projectCounter += 1;
  return `${prefix}${process.pid.toString(36)}${projectCounter}${Math.floor(Math.random() * 36 ** 3).toString(36)}`
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

export interface ContainerInfo {
  readonly id: string;
  readonly name: string;
  readonly service: string;
  readonly running: boolean;
  readonly status: string;
  readonly health?: string;
  readonly pid: number;
  readonly restartCount: number;
  readonly startedAt: string;
  readonly hostname: string;
  readonly networks: Record<string, { IPAddress: string; Aliases: string[] | null }>;
  readonly networkMode: string;
  readonly raw: any;
}

/** One `docker-compose -p <project> -f <file>` project; `destroy()` removes everything it created. */
export class ComposeProject {
  /** Images built for this project (removed by destroy). */
  private readonly builtImages = new Set<string>();

  constructor(
    public readonly project: string,
    public readonly file: string,
    /** Extra environment for docker-compose (e.g. secret variables). */
    private readonly env: Record<string, string> = {},
  ) {}

  /** `docker-compose <args>`, bounded. */
  public compose(args: string[], options: RunOptions = {}): Promise<RunResult> {
    return run('docker-compose', ['--no-ansi', '-p', this.project, '-f', this.file, ...args], {
      timeoutMs: 300_000,
      ...options,
      env: { COMPOSE_HTTP_TIMEOUT: '120', ...this.env, ...(options.env ?? {}) },
    });
  }

  /** Images this file builds (their tags), so destroy() can remove them. */
  public rememberBuiltImages(tags: string[]): void {
    for (const t of tags) this.builtImages.add(t);
  }

  /** `up -d --build`; resolves with the result (rejects on failure unless allowFailure). */
  public up(options: RunOptions & { build?: boolean } = {}): Promise<RunResult> {
    return this.compose(['up', '-d', ...(options.build === false ? [] : ['--build'])], options);
  }

  /** `up` and wait until healthy; a failure carries the project's logs, so a broken start explains itself. */
  public async start(upTimeoutMs: number, healthyTimeoutMs = 120_000): Promise<void> {
    try {
      await this.up({ timeoutMs: upTimeoutMs });
      await this.waitHealthy(healthyTimeoutMs);
    } catch (e) {
      throw new Error(`${(e as Error).message}\n--- logs ---\n${await this.logs()}`);
    }
  }

  /** `down` (without -v: volumes survive). */
  public down(): Promise<RunResult> {
    return this.compose(['down', '--remove-orphans', '--timeout', '15']);
  }

  /** Containers of this project (also stopped ones). */
  public async containers(): Promise<ContainerInfo[]> {
    const ids = (await docker(['ps', '-aq', '--no-trunc', '--filter', `label=com.docker.compose.project=${this.project}`])).stdout
      .split('\n')
      .filter(Boolean);
    if (ids.length === 0) return [];
    const raw = JSON.parse((await docker(['inspect', ...ids])).stdout) as any[];
    return raw.map((c) => ({
      id: c.Id,
      name: String(c.Name).replace(/^\//, ''),
      service: c.Config.Labels['com.docker.compose.service'],
      running: c.State.Running,
      status: c.State.Status,
      health: c.State.Health?.Status,
      pid: c.State.Pid,
      restartCount: c.RestartCount,
      startedAt: c.State.StartedAt,
      hostname: c.Config.Hostname,
      networks: c.NetworkSettings.Networks ?? {},
      networkMode: c.HostConfig.NetworkMode,
      raw: c,
    }));
  }

  /** The container of compose service `service` (exactly one). */
  public async container(service: string): Promise<ContainerInfo> {
    const found = (await this.containers()).filter((c) => c.service === service);
    if (found.length !== 1)
      throw new Error(`project ${this.project}: expected one container of service '${service}', found ${found.length}`);
    return found[0];
  }

  /** Waits until every container is running and, where it has a health check, healthy. */
  public async waitHealthy(timeoutMs = 120_000): Promise<ContainerInfo[]> {
    return waitFor(
      `project ${this.project} to be running and healthy`,
      async () => {
        const cs = await this.containers();
        const pending = cs.filter((c) => !c.running || (c.health !== undefined && c.health !== 'healthy'));
        if (cs.length > 0 && pending.length === 0) return cs;
        throw new Error(`not ready: ${pending.map((c) => `${c.service}=${c.status}/${c.health ?? '-'}`).join(', ') || 'no containers'}`);
      },
      timeoutMs,
      1000,
    );
  }

  /** Logs of the whole project (for failure messages). */
  public async logs(): Promise<string> {
    const r = await this.compose(['logs', '--no-color', '--tail', '50'], { allowFailure: true, timeoutMs: 60_000 });
    return r.stdout + r.stderr;
  }

  /**
   * Removes containers, networks, volumes and built images of the project; never throws (it runs in
   * afterAll/finally), and sweeps by label whatever `down` left behind.
   */
  public async destroy(): Promise<void> {
    const problems: string[] = [];
    const attempt = async (what: string, f: () => Promise<unknown>) => {
      try {
        await f();
      } catch (e) {
        problems.push(`${what}: ${(e as Error).message.split('\n')[0]}`);
      }
    };
    if (fs.existsSync(this.file))
      await attempt('down -v', () => this.compose(['down', '-v', '--remove-orphans', '--timeout', '10'], { timeoutMs: 180_000 }));
    const label = `label=com.docker.compose.project=${this.project}`;
    await attempt('containers', async () => {
      const ids = (await docker(['ps', '-aq', '--filter', label])).stdout.split('\n').filter(Boolean);
      if (ids.length) await docker(['rm', '-f', '-v', ...ids]);
    });
    await attempt('networks', async () => {
      const ids = (await docker(['network', 'ls', '-q', '--filter', label])).stdout.split('\n').filter(Boolean);
      if (ids.length) await docker(['network', 'rm', ...ids]);
    });
    await attempt('volumes', async () => {
      const ids = (await docker(['volume', 'ls', '-q', '--filter', label])).stdout.split('\n').filter(Boolean);
      if (ids.length) await docker(['volume', 'rm', '-f', ...ids]);
    });
    for (const image of this.builtImages) {
      await attempt(`image ${image}`, () => docker(['rmi', '-f', image], { allowFailure: true }));
    }
    if (problems.length) {
      console.warn(`cleanup of ${this.project}: ${problems.join('; ')}`);
    }
  }
}

/** `docker exec <container> sh -c <script>`, bounded; returns the result (non-zero exits included). */
export function execIn(container: string, script: string, timeoutMs = 30_000): Promise<RunResult> {
  return docker(['exec', container, 'sh', '-c', script], { allowFailure: true, timeoutMs });
}

// ---------------------------------------------------------------------------------------------------------------
// host side

/** GET http://127.0.0.1:<port><path>, bounded; resolves with status and body. */
export function httpGet(port: number, urlPath = '/', timeoutMs = 5000): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: urlPath, timeout: timeoutMs, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`GET 127.0.0.1:${port}${urlPath} timed out`)));
    req.on('error', reject);
  });
}

/** Whether nothing listens on 127.0.0.1:<port> (and 0.0.0.0:<port> can be bound). */
export function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '0.0.0.0', () => srv.close(() => resolve(true)));
  });
}

/** A free TCP port on the host (for publishing a test's own ports). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '0.0.0.0', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

/** SIGKILL of a host process (a container's PID 1); uses a helper container when we may not signal it. */
export async function killHostPid(pid: number): Promise<void> {
  try {
    process.kill(pid, 'SIGKILL');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') throw e;
    await docker(
      ['run', '--rm', '--pid', 'host', '--cap-drop', 'ALL', '--cap-add', 'KILL', '--user', '0', BUSYBOX_IMAGE, 'kill', '-9', String(pid)],
      { timeoutMs: 60_000 },
    );
  }
}
