/*
 * Hostile compose files (issue 10), one class at a time: each import ends at once in a clear error (a test named
 * "fails ...") or in a result with diagnostics naming the service and key, and no value of `.env`, of a secret file
 * or of a credential in the file reaches any output (the model, the compose file, the TypeScript, Kubernetes
 * objects, the diagnostics, the error messages).
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';
import { stringify } from 'yaml';
import { toComposeYaml } from '../../lib/compose';
import {
  applicationToTypeScript,
  COMPOSE_IMPORT_LIMITS,
  ComposeImport,
  ComposeImportDiagnostic,
  ComposeImportError,
  importCompose,
} from '../../lib/compose-import';
import { EnvValue, MicroserviceProps, Probe, secretConfigKey, secretVariable } from '../../lib/model';
import { synth } from '../k8s/helpers';
import { diagnosticsOf, propsOf, tempProject } from './helpers';

const PINNED = 'nginx:1.27-alpine';

/** Credentials of the project: none of them may appear in any output. */
const DOTENV = {
  DB_PASSWORD: 'Hunter2-db-pw-0451',
  API_TOKEN: 'tok-9f8e7d6c5b4a',
  NPM_TOKEN: 'npm-tok-31337x',
  DATABASE_URL: 'postgres://app:Url-pw-8812@db/app',
  REDIS_URL: 'redis://:Redis-pw-6677@cache:6379',
  REPLICAS: '1e9',
  MANY: '1000000000',
  TAG: '1.27-alpine',
};
const SECRET_FILE = 'File-secret-2718';
const BIND_SECRET = 'Bind-secret-3141';
const LITERAL_PASSWORD = 'Literal-pw-1618';
const LEAKS = [
  DOTENV.DB_PASSWORD,
  DOTENV.API_TOKEN,
  DOTENV.NPM_TOKEN,
  'Url-pw-8812',
  'Redis-pw-6677',
  SECRET_FILE,
  BIND_SECRET,
  LITERAL_PASSWORD,
];

const PROJECT_FILES: Record<string, string> = {
  '.env': Object.entries(DOTENV)
    .map(([k, v]) => `${k}=${v}`)
    .join('\n'),
  'secrets/api_key.txt': SECRET_FILE,
  'conf/app.conf': 'listen 80;\n',
  'conf/db_password': BIND_SECRET,
  'app/Dockerfile': 'FROM scratch\n',
  'app.env': `DB_PASSWORD=${LITERAL_PASSWORD}\nDATABASE_URL=postgres://app:${LITERAL_PASSWORD}@db/app\n`,
};

/** Everything an import produces that a user or a cluster sees, as text (a rendering that throws adds its message). */
function outputs(result: ComposeImport): string {
  const texts = [JSON.stringify(result.diagnostics)];
  const attempt = (fn: () => unknown) => {
    try {
      const out = fn();
      texts.push(typeof out === 'string' ? out : JSON.stringify(out));
    } catch (e) {
      texts.push((e as Error).message);
    }
  };
  attempt(() => applicationToTypeScript(result.application));
  attempt(() => result.application.resolve());
  attempt(() => toComposeYaml(result.application));
  attempt(() => synth(result.application).objects);
  return texts.join('\n');
}

function expectNoLeak(text: string): void {
  for (const secret of LEAKS) expect(text).not.toContain(secret);
}

interface Outcome {
  readonly result: ComposeImport;
  props(service?: string): MicroserviceProps;
  diags(service?: string, field?: string): ComposeImportDiagnostic[];
}

interface Case {
  readonly name: string;
  readonly compose: object | string;
  /** Extra project files, or a setup step (named pipes, sockets, links). */
  readonly files?: Record<string, string>;
  readonly setup?: (dir: string) => void;
  /** The import throws ComposeImportError with this message. */
  readonly fails?: RegExp;
  /** What the result must be. */
  readonly then?: (o: Outcome) => void;
}

/** The one diagnostic of `service`/`field` of `level` whose message matches `message`. */
function expectDiag(o: Outcome, service: string, field: string, level: string, message: RegExp): void {
  expect(o.diags(service, field)).toContainEqual(expect.objectContaining({ level, message: expect.stringMatching(message) }));
}

const svc = (definition: object, top: object = {}) => ({ services: { svc: definition }, ...top });

const CASES: Case[] = [
  // --- never hang, never blow up memory
  {
    name: 'fails a file larger than the size bound at once',
    compose: `services: {svc: {image: "${PINNED}"}}\n#${'x'.repeat(COMPOSE_IMPORT_LIMITS.maxBytes)}`,
    fails: /the file is \d+ bytes, more than the 10 MiB the import reads/,
  },
  {
    name: 'fails a key repeated in one map, naming it and its line',
    compose: `services:\n  svc:\n    image: ${PINNED}\n    environment:\n      A: 1\n      A: 2\n`,
    fails: /map keys must be unique, "A" is repeated at line 6/,
  },
  {
    name: 'fails keys that JavaScript reads as one (1 and "1")',
    compose: `services:\n  svc:\n    image: ${PINNED}\n    labels:\n      1: a\n      "1": b\n`,
    fails: /"1" is repeated/,
  },
  {
    name: 'fails more services than an application may have, at once',
    compose:
      'services:\n' + Array.from({ length: COMPOSE_IMPORT_LIMITS.maxServices + 1 }, (_, i) => `  s${i}: {image: "${PINNED}"}\n`).join(''),
    fails: /defines 10001 services, more than the 10000/,
  },
  {
    name: 'fails an alias bomb',
    compose:
      `a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d ` +
      `[*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\nservices:\n  svc: ` +
      `{image: "${PINNED}", command: *f}\n`,
    fails: /the file cannot be read: excessive alias count|the file expands to more than 2000000 values/i,
  },
  {
    name: 'fails one big list repeated through aliases',
    compose:
      `x-a: &a [${Array.from({ length: 50_000 }, () => 'x').join(',')}]\nx-b: ` +
      `[${Array.from({ length: 100 }, () => '*a').join(',')}]\nservices:\n  svc: {image: "${PINNED}"}\n`,
    fails: /expands to more than 2000000 values/,
  },
  {
    name: 'fails lists nested deeper than the bound',
    compose: `x-deep: ${'['.repeat(100)}${']'.repeat(100)}\nservices:\n  svc: {image: "${PINNED}"}\n`,
    fails: /nests lists and maps deeper than 64 levels/,
  },
  {
    name: 'reports a named pipe inside a bind-mounted directory, naming service, mount and path, and reads the rest',
    compose: svc({ image: PINNED, volumes: ['./conf:/etc/app:ro'] }),
    setup: (dir) => execFileSync('mkfifo', [path.join(dir, 'conf/pipe')]),
    then: (o) => {
      expectDiag(
        o,
        'svc',
        'volumes',
        'warning',
        /host path "\.\/conf" mounted at "\/etc\/app": "conf\/pipe" is a named pipe: only regular files are read/,
      );
      expect(o.props().configFiles).toEqual([{ mountPath: '/etc/app/app.conf', content: 'listen 80;\n' }]);
    },
  },
  {
    name: 'reports a socket inside a bind-mounted directory',
    compose: svc({ image: PINNED, volumes: ['./conf:/etc/app:ro'] }),
    setup: (dir) => fs.renameSync(SOCKET, path.join(dir, 'conf/app.sock')),
    then: (o) => expectDiag(o, 'svc', 'volumes', 'warning', /"conf\/app\.sock" is a socket: only regular files are read/),
  },
  {
    name: 'reports a symbolic link loop inside a bind-mounted directory',
    compose: svc({ image: PINNED, volumes: ['./conf:/etc/app:ro'] }),
    setup: (dir) => {
      fs.symlinkSync('b', path.join(dir, 'conf/a'));
      fs.symlinkSync('a', path.join(dir, 'conf/b'));
    },
    then: (o) => {
      expectDiag(o, 'svc', 'volumes', 'warning', /"conf\/a" is a symbolic link loop/);
      expectDiag(o, 'svc', 'volumes', 'warning', /"conf\/b" is a symbolic link loop/);
    },
  },
  {
    name: 'reports a directory that links back to its parent instead of walking it forever',
    compose: svc({ image: PINNED, volumes: ['./conf:/etc/app:ro'] }),
    setup: (dir) => {
      fs.mkdirSync(path.join(dir, 'conf/sub'));
      fs.symlinkSync('..', path.join(dir, 'conf/sub/up'));
    },
    then: (o) => expectDiag(o, 'svc', 'volumes', 'warning', /"conf\/sub\/up" links back to a directory above it/),
  },
  {
    name: 'reports a bind-mounted named pipe without opening it',
    compose: svc({ image: PINNED, volumes: ['./fifo:/etc/app.conf'] }),
    setup: (dir) => execFileSync('mkfifo', [path.join(dir, 'fifo')]),
    then: (o) =>
      expectDiag(o, 'svc', 'volumes', 'warning', /host path "\.\/fifo" mounted at "\/etc\/app\.conf" is left out.*is a named pipe/),
  },
  {
    name: 'reports a bind-mounted symbolic link loop',
    compose: svc({ image: PINNED, volumes: ['./loop:/etc/app.conf'] }),
    setup: (dir) => fs.symlinkSync('loop', path.join(dir, 'loop')),
    then: (o) => expectDiag(o, 'svc', 'volumes', 'warning', /"\.\/loop" is a symbolic link loop/),
  },
  {
    name: 'reports an env_file that is a named pipe',
    compose: svc({ image: PINNED, env_file: ['pipe.env'] }),
    setup: (dir) => execFileSync('mkfifo', [path.join(dir, 'pipe.env')]),
    then: (o) => expectDiag(o, 'svc', 'env_file', 'warning', /"pipe\.env" is a named pipe/),
  },
  {
    name: 'reports a config file that is a named pipe',
    compose: svc({ image: PINNED, configs: ['app'] }, { configs: { app: { file: './pipe.conf' } } }),
    setup: (dir) => execFileSync('mkfifo', [path.join(dir, 'pipe.conf')]),
    then: (o) => expectDiag(o, 'svc', 'configs', 'warning', /"\.\/pipe\.conf" is a named pipe/),
  },
  {
    name: 'reads no .env that is a named pipe',
    compose: svc({ image: PINNED, environment: { A: '${TAG:-unset}' } }),
    setup: (dir) => {
      fs.rmSync(path.join(dir, '.env'));
      execFileSync('mkfifo', [path.join(dir, '.env')]);
    },
    then: (o) => expect(o.props().env).toEqual({ A: EnvValue.fromValue('unset') }),
  },
  {
    name: 'reports a build context that links outside the project as an error',
    compose: svc({ build: 'outside' }),
    setup: (dir) => fs.symlinkSync(path.dirname(dir), path.join(dir, 'outside')),
    then: (o) => {
      expectDiag(o, 'svc', 'build', 'error', /the context "outside" links outside the project directory/);
      expect(o.props().image.build).toBeUndefined();
    },
  },
  {
    name: 'reports build.dockerfile /etc/passwd as an error and builds nothing',
    compose: svc({ build: { context: 'app', dockerfile: '/etc/passwd' } }),
    then: (o) => {
      expectDiag(o, 'svc', 'build', 'error', /the Dockerfile "\/etc\/passwd" is outside the project directory/);
      expect(o.props().image.build).toBeUndefined();
    },
  },
  ...['1000000000', 1e9, '${REPLICAS}', '${MANY}', 1001, -1, '1e3', 2.5].map((replicas): Case => ({
    name: `fails deploy.replicas ${JSON.stringify(replicas)} at once, naming service and key`,
    compose: svc({ image: PINNED, deploy: { replicas } }),
    then: (o) => {
      expectDiag(o, 'svc', 'deploy.replicas', 'error', /must be (at most 1000|an integer >= 0), got .*: it is left out/);
      expect(o.props().replicas).toBeUndefined();
    },
  })),
  {
    name: 'fails scale 1e9 at once',
    compose: svc({ image: PINNED, scale: 1e9 }),
    then: (o) => expectDiag(o, 'svc', 'scale', 'error', /must be at most 1000, got 1000000000/),
  },
  {
    name: 'accepts 1000 replicas, the bound',
    compose: svc({ image: PINNED, deploy: { replicas: 1000 } }),
    then: (o) => expect(o.props().replicas).toBe(1000),
  },
  {
    name: 'fails replicas .inf, showing Infinity (not null)',
    compose: `services:\n  svc:\n    image: ${PINNED}\n    deploy: {replicas: .inf}\n`,
    then: (o) => expectDiag(o, 'svc', 'deploy.replicas', 'error', /got Infinity/),
  },
  {
    name: 'fails cpus .nan, showing NaN (not null)',
    compose: `services:\n  svc:\n    image: ${PINNED}\n    cpus: .nan\n`,
    then: (o) => expect(o.diags('svc', 'cpus')[0].message).toContain('got NaN'),
  },
  {
    name: 'fails healthcheck retries 1e12, keeping the default',
    compose: svc({ image: PINNED, healthcheck: { test: ['CMD', 'true'], retries: 1e12 } }),
    then: (o) => {
      expectDiag(o, 'svc', 'healthcheck', 'warning', /retries must be an integer in 1\.\.1000/);
      expect(o.props().readinessProbe).toEqual(
        Probe.command(['true'], { periodSeconds: 30, timeoutSeconds: 30, failureThreshold: 3, initialDelaySeconds: 0 }),
      );
    },
  },

  // --- never leak a secret
  {
    name: 'makes a variable that interpolates a credential a secret reference as a whole',
    compose: svc({ image: PINNED, environment: { DATABASE_URL: 'postgres://app:${DB_PASSWORD}@db/app', MODE: 'prod' } }),
    then: (o) => {
      expect(o.props().env).toEqual({ DATABASE_URL: EnvValue.fromSecret('svc-env', 'database_url'), MODE: EnvValue.fromValue('prod') });
      expectDiag(o, 'svc', 'environment', 'warning', /DATABASE_URL holds the credential \$\{DB_PASSWORD\}, so no plaintext value is kept/);
    },
  },
  {
    name: 'makes a variable that interpolates a credential in list form a secret reference',
    compose: svc({ image: PINNED, environment: ['URL=redis://:${API_TOKEN}@cache:6379'] }),
    then: (o) => expect(o.props().env).toEqual({ URL: EnvValue.fromSecret('svc-env', 'url') }),
  },
  {
    name: 'makes a credential with a default value a secret reference',
    compose: svc({ image: PINNED, environment: { CONN: 'user=app password=${DB_PASSWORD:-changeme}' } }),
    then: (o) => expect(o.props().env!.CONN).toEqual(EnvValue.fromSecret('svc-env', 'conn')),
  },
  {
    name: 'makes a pass-through variable holding a URL with a password a secret reference',
    compose: svc({ image: PINNED, environment: ['DATABASE_URL', 'REDIS_URL'] }),
    then: (o) =>
      expect(o.props().env).toEqual({
        DATABASE_URL: EnvValue.fromSecret('svc-env', 'database_url'),
        REDIS_URL: EnvValue.fromSecret('svc-env', 'redis_url'),
      }),
  },
  {
    name: 'makes an interpolated URL with a password a secret reference',
    compose: svc({ image: PINNED, environment: { DB: '${DATABASE_URL}' } }),
    then: (o) => expect(o.props().env!.DB).toEqual(EnvValue.fromSecret('svc-env', 'db')),
  },
  {
    name: "keeps a password moved into a secret out of another service's URL variable",
    compose: {
      services: {
        db: { image: 'postgres:16.4', environment: { POSTGRES_PASSWORD: LITERAL_PASSWORD } },
        web: {
          image: PINNED,
          environment: { CONN: `host=db password=${LITERAL_PASSWORD}`, URL: `postgres://app:${LITERAL_PASSWORD}@db/app` },
        },
      },
    },
    then: (o) => {
      expect(o.props('web').env).toEqual(
        expect.objectContaining({ CONN: EnvValue.fromSecret('web-env', 'conn'), URL: EnvValue.fromSecret('web-env', 'url') }),
      );
      expectDiag(o, 'web', 'environment', 'warning', /CONN holds the value of a credential; URL holds a URL with a password/);
    },
  },
  {
    name: "keeps a weak password that is also a service name from turning that service's address into a secret",
    compose: {
      services: {
        postgres: { image: 'postgres:16.4', environment: { POSTGRES_PASSWORD: 'postgres' } },
        web: { image: PINNED, environment: { DB_HOST: 'postgres' } },
      },
    },
    then: (o) => expect(o.props('web').env).toEqual(expect.objectContaining({ DB_HOST: EnvValue.fromValue('postgres') })),
  },
  {
    name: 'keeps a password of an env_file out of the URL of the same file',
    compose: svc({ image: PINNED, env_file: ['app.env'] }),
    then: (o) =>
      expect(o.props().env).toEqual({
        DB_PASSWORD: EnvValue.fromSecret('svc-env', 'db_password'),
        DATABASE_URL: EnvValue.fromSecret('svc-env', 'database_url'),
      }),
  },
  {
    name: 'keeps a literal URL password out of the outputs, and still finds the service it addresses',
    compose: {
      services: {
        cache: { image: 'redis:7.2', expose: [6379] },
        web: { image: PINNED, environment: { CACHE: 'redis://:Redis-pw-6677@cache:6379' } },
      },
    },
    then: (o) => {
      expect(o.props('web').env!.CACHE).toEqual(EnvValue.fromSecret('web-env', 'cache'));
      expect(
        o.result.application
          .resolve()
          .services.find((s) => s.name === 'web')!
          .dependencies.map((d) => d.service),
      ).toEqual(['cache']);
    },
  },
  ...(['command', 'entrypoint'] as const).map((key): Case => ({
    name: `fails a ${key} that would hold an interpolated credential, naming service and key`,
    compose: svc({ image: PINNED, [key]: ['app', '--token', '${API_TOKEN}'] }),
    then: (o) => {
      expectDiag(o, 'svc', key, 'error', /would hold the credential \$\{API_TOKEN\} in plaintext in every output: it is left out/);
      expect(o.props()[key === 'command' ? 'args' : 'command']).toBeUndefined();
    },
  })),
  {
    name: 'fails a shell-form command that would hold an interpolated credential',
    compose: svc({ image: PINNED, command: 'redis-server --requirepass ${DB_PASSWORD}' }),
    then: (o) => expectDiag(o, 'svc', 'command', 'error', /\$\{DB_PASSWORD\}.*\$\$DB_PASSWORD/),
  },
  {
    name: 'fails a health check that would hold an interpolated credential',
    compose: svc({ image: 'mysql:8.4', healthcheck: { test: ['CMD', 'mysqladmin', 'ping', '-p${DB_PASSWORD}'] } }),
    then: (o) => {
      expectDiag(o, 'svc', 'healthcheck', 'error', /would hold the credential \$\{DB_PASSWORD\}/);
      expect(o.props().readinessProbe).toBeUndefined();
    },
  },
  {
    name: 'keeps a health check that lets the container expand the credential ($$)',
    compose: svc({ image: 'mysql:8.4', environment: ['DB_PASSWORD'], healthcheck: { test: 'mysqladmin ping -p$$DB_PASSWORD' } }),
    then: (o) => expect(o.props().readinessProbe!.command).toEqual(['/bin/sh', '-c', 'mysqladmin ping -p$DB_PASSWORD']),
  },
  {
    name: 'fails labels that would hold an interpolated credential',
    compose: svc({ image: PINNED, labels: { token: '${API_TOKEN}' } }),
    then: (o) => expectDiag(o, 'svc', 'labels', 'error', /\$\{API_TOKEN\}/),
  },
  {
    name: 'fails an image reference that would hold an interpolated credential',
    compose: svc({ image: 'registry.example.com/${API_TOKEN}/app:1.0', build: 'app' }),
    then: (o) => expectDiag(o, 'svc', 'image', 'error', /\$\{API_TOKEN\}/),
  },
  {
    name: 'fails build args that would pass a credential to the build (interpolated or from the environment)',
    compose: svc({ build: { context: 'app', args: { TOKEN: '${NPM_TOKEN}', VERSION: '1' } } }, {}),
    then: (o) => {
      expectDiag(o, 'svc', 'build.args', 'error', /TOKEN would pass a credential \(\$\{NPM_TOKEN\}\) in plaintext to the build/);
      expect(o.props().image.build!.buildArgs).toEqual({ VERSION: '1' });
    },
  },
  {
    name: 'fails a pass-through build arg that names a credential',
    compose: svc({ build: { context: 'app', args: ['NPM_TOKEN'] } }),
    then: (o) => expectDiag(o, 'svc', 'build.args', 'error', /NPM_TOKEN would pass a credential/),
  },
  {
    name: 'leaves out a config whose content interpolates a credential',
    compose: svc({ image: PINNED, configs: ['app'] }, { configs: { app: { content: 'token=${API_TOKEN}\n' } } }),
    then: (o) => {
      expectDiag(o, 'svc', 'configs', 'warning', /would hold the credential \$\{API_TOKEN\} in plaintext/);
      expect(o.props().configFiles).toBeUndefined();
    },
  },
  {
    name: 'leaves out a config read from a credential variable',
    compose: svc({ image: PINNED, configs: ['app'] }, { configs: { app: { environment: 'API_TOKEN' } } }),
    then: (o) => expectDiag(o, 'svc', 'configs', 'warning', /API_TOKEN holds a credential/),
  },
  {
    name: 'never shows a credential in a message about a value it cannot read',
    compose: svc({ image: PINNED, ports: ['${API_TOKEN}:80'], environment: { 'BAD-${API_TOKEN}': 'x' } }),
    then: (o) => expect(JSON.stringify(o.result.diagnostics)).toContain('${API_TOKEN}'),
  },
  {
    name: 'fails a required credential that is not set without showing anything',
    compose: svc({ image: PINNED, environment: { PGPASSWORD: '${UNSET_PASSWORD:?set it}' } }),
    then: (o) => expect(o.props().env!.PGPASSWORD).toEqual(EnvValue.fromSecret('svc-env', 'pgpassword')),
  },
  {
    name: 'mounts a bind-mounted credential file from a secret, never reading it',
    compose: svc({ image: PINNED, volumes: ['./conf:/etc/app:ro'] }),
    then: (o) =>
      expect(o.props().secretFiles).toEqual([{ secretName: 'svc-files', key: 'db_password', mountPath: '/etc/app/db_password' }]),
  },
  {
    name: 'mounts a compose secret file from a secret, never reading it',
    compose: svc({ image: PINNED, secrets: ['api_key'] }, { secrets: { api_key: { file: './secrets/api_key.txt' } } }),
    then: (o) => expect(o.props().secretFiles).toEqual([{ secretName: 'api-key', key: 'api_key', mountPath: '/run/secrets/api_key' }]),
  },
  ...['..', '.', 'a/b', 'my secret'].map((name): Case => ({
    name: `fails a compose secret named ${JSON.stringify(name)}`,
    compose: svc({ image: PINNED, secrets: [name] }, { secrets: { [name]: { file: './secrets/api_key.txt' } } }),
    then: (o) => {
      expectDiag(o, 'svc', 'secrets', 'error', /a secret name is \[-\._a-zA-Z0-9\]\+ and not '\.' or '\.\.'; it is left out/);
      expect(o.props().secretFiles).toBeUndefined();
    },
  })),
  {
    name: 'fails a secret target that climbs out of /run/secrets',
    compose: svc(
      { image: PINNED, secrets: [{ source: 'api_key', target: '../api_key' }] },
      { secrets: { api_key: { file: './secrets/api_key.txt' } } },
    ),
    then: (o) => expectDiag(o, 'svc', 'secrets', 'error', /a relative target is a file name below \/run\/secrets/),
  },
  {
    name: 'gives DB_PASSWORD and db_password two keys with two compose variables',
    compose: svc({ image: PINNED, environment: { DB_PASSWORD: 'a', db_password: 'b' } }),
    then: (o) => {
      const env = o.props().env!;
      expect(env.DB_PASSWORD).not.toEqual(env.db_password);
      const resolved = o.result.application.resolve().services[0].env.map((e) => e.secret!.variable);
      expect(new Set(resolved).size).toBe(2);
    },
  },
  {
    name: 'gives compose secrets db_pw and db-pw distinct keys and variables',
    compose: svc(
      { image: PINNED, secrets: ['db_pw', 'db-pw'] },
      { secrets: { db_pw: { file: './secrets/api_key.txt' }, 'db-pw': { file: './secrets/api_key.txt' } } },
    ),
    then: (o) => {
      const files = o.props().secretFiles!;
      expect(files).toHaveLength(2);
      expect(new Set(files.map((f) => secretVariable(f.secretName, f.key))).size).toBe(2);
      expect(new Set(files.map((f) => secretConfigKey(f.secretName, f.key))).size).toBe(2);
    },
  },

  // --- never silently change meaning
  ...[true, 'yes', 'on', 'YES', 1, 'true', 'y'].map((v): Case => ({
    name: `reads read_only ${JSON.stringify(v)} as true, as docker-compose does`,
    compose: svc({ image: PINNED, read_only: v }),
    then: (o) => expect(o.props().security?.readOnlyRootFilesystem ?? true).toBe(true),
  })),
  ...[false, 'no', 'off', 0, 'false'].map((v): Case => ({
    name: `reads read_only ${JSON.stringify(v)} as false`,
    compose: svc({ image: PINNED, read_only: v }),
    then: (o) => expect(o.props().security!.readOnlyRootFilesystem).toBe(false),
  })),
  {
    name: 'fails read_only "maybe", naming the key',
    compose: svc({ image: PINNED, read_only: 'maybe' }),
    then: (o) => expectDiag(o, 'svc', 'read_only', 'error', /must be a boolean .*got "maybe": it is left out/),
  },
  {
    name: 'reads healthcheck.disable "yes" as disabled',
    compose: svc({ image: PINNED, healthcheck: { test: ['CMD', 'true'], disable: 'yes' } }),
    then: (o) => expect(o.props().readinessProbe).toBeUndefined(),
  },
  {
    name: 'reads a long-syntax volume read_only "on" as read-only',
    compose: svc(
      { image: PINNED, volumes: [{ type: 'volume', source: 'data', target: '/data', read_only: 'on' }] },
      { volumes: { data: {} } },
    ),
    then: (o) => expect(o.props().volumes).toEqual([{ name: 'data', mountPath: '/data', readOnly: true }]),
  },
  {
    name: 'fails an environment value that is a map',
    compose: svc({ image: PINNED, environment: { A: { x: 1 } } }),
    then: (o) => expectDiag(o, 'svc', 'environment', 'error', /A must be a string, number or boolean, got \{"x":1\}: it is left out/),
  },
  {
    name: 'fails an environment value that is a list',
    compose: svc({ image: PINNED, environment: { A: [1, 2] } }),
    then: (o) => expectDiag(o, 'svc', 'environment', 'error', /got \[1,2\]/),
  },
  {
    name: 'fails environment entries that are not strings',
    compose: svc({ image: PINNED, environment: [1, 2] }),
    then: (o) => expectDiag(o, 'svc', 'environment', 'error', /must list KEY=VALUE strings, got 1/),
  },
  {
    name: 'fails environment as a string',
    compose: svc({ image: PINNED, environment: 'A=1' }),
    then: (o) => expectDiag(o, 'svc', 'environment', 'error', /must be a list of KEY=VALUE or a map, got "A=1"/),
  },
  {
    name: 'fails a command with a map and null in it',
    compose: svc({ image: PINNED, command: [1, { x: 2 }, null] }),
    then: (o) => {
      expectDiag(o, 'svc', 'command', 'error', /got \{"x":2\} at index 1/);
      expect(o.props().args).toBeUndefined();
    },
  },
  {
    name: 'fails image null, naming service and key',
    compose: svc({ image: null }),
    fails: /service 'svc': 'image' or 'build' is required/,
  },
  {
    name: 'fails image null next to a build, naming the key',
    compose: svc({ image: null, build: 'app' }),
    then: (o) => expectDiag(o, 'svc', 'image', 'error', /must be an image reference \(a non-empty string\), got null/),
  },
  {
    name: 'fails deploy "x"',
    compose: svc({ image: PINNED, deploy: 'x' }),
    then: (o) => expectDiag(o, 'svc', 'deploy', 'error', /must be a map .*got "x"/),
  },
  {
    name: 'reads keys left empty (deploy:, healthcheck:, labels:) as nothing, not as errors',
    compose: `services:\n  svc:\n    image: ${PINNED}\n    deploy:\n    healthcheck:\n    labels:\n`,
    then: (o) => expect(o.result.diagnostics.filter((d) => d.level === 'error')).toEqual([]),
  },
  {
    name: 'fails deploy.resources "big"',
    compose: svc({ image: PINNED, deploy: { resources: 'big' } }),
    then: (o) => expectDiag(o, 'svc', 'deploy.resources', 'error', /must be a map, got "big"/),
  },
  {
    name: 'fails a bare-string depends_on instead of dropping it',
    compose: { services: { db: { image: 'postgres:16.4' }, svc: { image: PINNED, depends_on: 'db' } } },
    then: (o) => expectDiag(o, 'svc', 'depends_on', 'error', /must be a list of service names or a map .*got "db"/),
  },
  {
    name: 'fails depends_on entries that are not names',
    compose: { services: { db: { image: 'postgres:16.4' }, svc: { image: PINNED, depends_on: [{ db: 1 }] } } },
    then: (o) => expectDiag(o, 'svc', 'depends_on', 'error', /must list service names/),
  },
  { name: 'fails labels 5', compose: svc({ image: PINNED, labels: 5 }), then: (o) => expectDiag(o, 'svc', 'labels', 'error', /got 5/) },
  {
    name: 'fails build.args "X=1", keeping the build',
    compose: svc({ build: { context: 'app', args: 'X=1' } }),
    then: (o) => {
      expectDiag(o, 'svc', 'build.args', 'error', /got "X=1"/);
      expect(o.props().image.build).toBeDefined();
    },
  },
  { name: 'fails restart 5', compose: svc({ image: PINNED, restart: 5 }), then: (o) => expectDiag(o, 'svc', 'restart', 'error', /got 5/) },
  {
    name: 'fails extends without an image, naming extends',
    compose: svc({ extends: { service: 'base' } }),
    fails: /service 'svc': 'image' or 'build' is required \('extends' \{"service":"base"\} is not carried over/,
  },
  {
    name: 'reports extends next to an image',
    compose: svc({ image: PINNED, extends: { service: 'base' } }),
    then: (o) => expectDiag(o, 'svc', 'extends', 'warning', /cannot be carried over: \{"service":"base"\}: copy the keys/),
  },
  ...['/', '/data/../etc', '/./x'].map((target): Case => ({
    name: `fails a config file mounted at ${target}`,
    compose: svc({ image: PINNED, configs: [{ source: 'app', target }] }, { configs: { app: { content: 'x' } } }),
    then: (o) => {
      expectDiag(o, 'svc', 'configs', 'error', /mounts at .*(root filesystem|'\.' or '\.\.' segment)/);
      expect(o.props().configFiles).toBeUndefined();
    },
  })),
  {
    name: 'fails a volume mounted at /data/../etc',
    compose: svc({ image: PINNED, volumes: ['data:/data/../etc'] }, { volumes: { data: {} } }),
    then: (o) => {
      expectDiag(o, 'svc', 'volumes', 'error', /"\/data\/\.\.\/etc", which has a '\.' or '\.\.' segment/);
      expect(o.props().volumes).toBeUndefined();
    },
  },
  {
    name: 'fails a tmpfs at /',
    compose: svc({ image: PINNED, tmpfs: ['/'] }),
    then: (o) => expectDiag(o, 'svc', 'tmpfs', 'error', /cannot replace the root filesystem/),
  },
  {
    name: 'rewrites references to a renamed service (my_db -> my-db)',
    compose: {
      services: {
        my_db: { image: 'postgres:16.4', expose: [5432] },
        web: { image: PINNED, environment: { DB: 'my_db:5432', JDBC: 'postgresql://my_db:5432/app' } },
      },
    },
    then: (o) => {
      expect(o.props('web').env).toEqual(
        expect.objectContaining({ DB: EnvValue.fromValue('my-db:5432'), JDBC: EnvValue.fromValue('postgresql://my-db:5432/app') }),
      );
      expectDiag(o, 'web', 'environment', 'info', /"postgresql:\/\/my_db:5432\/app" becomes "postgresql:\/\/my-db:5432\/app"/);
    },
  },
  {
    name: 'reports a command that addresses a renamed service by its old name',
    compose: {
      services: {
        my_db: { image: 'postgres:16.4', expose: [5432] },
        web: { image: PINNED, command: ['app', '--db=my_db:5432', 'http://my_db/x'] },
      },
    },
    then: (o) => {
      expect(o.diags('web', 'command')).toEqual([
        expect.objectContaining({
          level: 'warning',
          message: "addresses 'my_db', which is renamed 'my-db': change it in the command (other services reach it as 'my-db')",
        }),
      ]);
      expect(o.props('web').args).toEqual(['app', '--db=my_db:5432', 'http://my_db/x']);
    },
  },
  {
    name: 'keeps references pointing at the service they meant when Web and web are both present',
    compose: {
      services: {
        web: { image: PINNED, expose: [8080] },
        Web: { image: PINNED, expose: [8080] },
        client: { image: PINNED, environment: { A: 'http://web:8080', B: 'http://Web:8080' } },
      },
    },
    then: (o) => {
      expect(o.props('client').env).toEqual(
        expect.objectContaining({ A: EnvValue.fromValue('http://web:8080'), B: EnvValue.fromValue('http://web-2:8080') }),
      );
      expect(
        o.result.application
          .resolve()
          .services.find((s) => s.name === 'client')!
          .dependencies.map((d) => d.service)
          .sort(),
      ).toEqual(['web', 'web-2']);
    },
  },
  {
    name: 'reports a host that names two services once case is ignored',
    compose: {
      services: {
        web: { image: PINNED, expose: [80] },
        Web: { image: PINNED, expose: [80] },
        client: { image: PINNED, environment: { A_HOST: 'WEB' } },
      },
    },
    then: (o) => expectDiag(o, 'client', 'environment', 'warning', /refers to host "WEB", which names more than one service/),
  },
  {
    name: 'reports every pair that could talk over the default network and no longer can',
    compose: {
      services: {
        a: { image: PINNED, expose: [80], depends_on: ['b'] },
        b: { image: PINNED, expose: [80] },
        c: { image: PINNED, expose: [80], networks: ['back'] },
      },
      networks: { back: {} },
    },
    then: (o) => {
      expectDiag(o, 'b', 'networks', 'info', /could reach 'a' over compose network default and no longer can/);
      expect(o.diags('a', 'networks')).toEqual([]);
      expect(o.diags('c').filter((d) => d.message.includes('could reach'))).toEqual([]);
    },
  },
  {
    name: 'renames a service called constructor instead of a misleading clash',
    compose: { services: { constructor: { image: PINNED } } },
    then: (o) => {
      expectDiag(o, 'constructor', 'name', 'info', /"constructor" cannot name a construct.*'constructor-2'/);
      expect(() => o.result.application.resolve()).not.toThrow();
    },
  },
  {
    name: 'keeps a variable called __proto__ a variable',
    compose: `services:\n  svc:\n    image: ${PINNED}\n    environment:\n      __proto__: x\n`,
    then: (o) => expect(Object.keys(o.props().env ?? {})).toContain('__proto__'),
  },
  {
    name: 'does not read inherited names as compose secrets',
    compose: svc({ image: PINNED, secrets: ['constructor'] }),
    then: (o) => expectDiag(o, 'svc', 'secrets', 'error', /uses secret "constructor", which the top-level 'secrets' does not declare/),
  },
  {
    name: 'fails a dependency cycle, leaving one edge out',
    compose: {
      services: {
        a: { image: PINNED, expose: [80], depends_on: ['b'] },
        b: { image: PINNED, expose: [80], depends_on: ['c'] },
        c: { image: PINNED, expose: [80], depends_on: ['a'] },
      },
    },
    then: (o) => {
      expectDiag(o, 'c', 'depends_on', 'error', /'a' closes a dependency cycle/);
      expect(() => o.result.application.resolve()).not.toThrow();
    },
  },
  {
    name: 'reads env_file required "false" as optional',
    compose: svc({ image: PINNED, env_file: [{ path: 'missing.env', required: 'false' }] }),
    then: (o) => expect(o.diags('svc', 'env_file')).toEqual([]),
  },
];

let SOCKET: string;
let server: net.Server;
beforeAll(async () => {
  SOCKET = path.join(tempProject({}), 'app.sock');
  server = net.createServer();
  await new Promise<void>((resolve) => server.listen(SOCKET, resolve));
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

it('has at least 60 hostile files', () => {
  expect(CASES.length).toBeGreaterThanOrEqual(60);
  expect(new Set(CASES.map((c) => c.name)).size).toBe(CASES.length);
});

describe.each(CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
  it('ends in a clear error or the expected result, and leaks nothing', () => {
    const dir = tempProject(PROJECT_FILES);
    c.setup?.(dir);
    const text = typeof c.compose === 'string' ? c.compose : stringify(c.compose);
    const run = () => importCompose(text, { baseDir: dir, name: 'hostile' });
    if (c.fails) {
      let error: unknown;
      try {
        run();
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ComposeImportError);
      expect((error as Error).message).toMatch(c.fails);
      expect((error as Error).message).toMatch(/^[a-z]/);
      expectNoLeak((error as Error).message);
      return;
    }
    const result = run();
    const o: Outcome = {
      result,
      props: (service = 'svc') => propsOf(result, service),
      diags: (service = 'svc', field?: string) => diagnosticsOf(result, service, field),
    };
    c.then!(o);
    for (const d of result.diagnostics) expect(d.message).not.toMatch(/\.$/);
    expectNoLeak(outputs(result));
  }, 30_000);
});
