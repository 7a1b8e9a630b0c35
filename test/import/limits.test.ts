/*
 * Bounds of the import (issue 10): big inputs finish (linear work, not quadratic or worse), the CLI never blocks on
 * what it is given, and generated applications full of credentials never show one in any output.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as fc from 'fast-check';
import { stringify } from 'yaml';
import { toComposeYaml } from '../../lib/compose';
import { applicationToTypeScript, COMPOSE_IMPORT_LIMITS, ComposeImportError, importCompose } from '../../lib/compose-import';
import { EnvSource } from '../../lib/model';
import { synth } from '../k8s/helpers';
import { tempProject } from './helpers';

const PINNED = 'nginx:1.27-alpine';
const CLI = path.join(__dirname, '..', '..', 'bin', 'microservice-constructs.js');

describe('size', () => {
  const environment = (n: number) => Array.from({ length: n }, (_, i) => `      K${i}: v${i}`).join('\n');

  it("imports one environment map of 32,000 keys in seconds (the parser's own duplicate check took 20 s and more)", () => {
    const started = Date.now();
    const result = importCompose(`services:\n  web:\n    image: ${PINNED}\n    environment:\n${environment(32_000)}\n`);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(result.application.node.children).toHaveLength(1);
  }, 60_000);

  it('fails a key repeated after 32,000 others, naming it and its line', () => {
    expect(() =>
      importCompose(`services:\n  web:\n    image: ${PINNED}\n    environment:\n${environment(32_000)}\n      K7: again\n`),
    ).toThrow(/"K7" is repeated at line 32005/);
  }, 60_000);

  it('fails a file one byte above the size bound, before parsing it', () => {
    const text = `services: {}\n#${'x'.repeat(COMPOSE_IMPORT_LIMITS.maxBytes - 13)}`;
    expect(Buffer.byteLength(text)).toBe(COMPOSE_IMPORT_LIMITS.maxBytes + 1);
    expect(() => importCompose(text)).toThrow(
      new ComposeImportError(
        `compose import: the file is ${COMPOSE_IMPORT_LIMITS.maxBytes + 1} bytes, more than the 10 MiB the import reads`,
      ),
    );
  });

  it('counts bytes, not characters', () => {
    const text = `services: {}\n#${'é'.repeat(COMPOSE_IMPORT_LIMITS.maxBytes / 2)}`;
    expect(() => importCompose(text)).toThrow(/more than the 10 MiB/);
  });

  it('imports 10,000 chained services (each depending on the next), in either file order', () => {
    const n = COMPOSE_IMPORT_LIMITS.maxServices;
    for (const next of [(i: number) => i + 1, (i: number) => i - 1]) {
      const services = Array.from(
        { length: n },
        (_, i) => `  s${i}: {image: "${PINNED}", expose: [80]${next(i) >= 0 && next(i) < n ? `, depends_on: [s${next(i)}]` : ''}}\n`,
      ).join('');
      const result = importCompose(`services:\n${services}`);
      expect(result.diagnostics.filter((d) => d.level === 'error')).toEqual([]);
    }
  }, 120_000);

  it('imports a ring of 2,000 services, leaving exactly one edge out', () => {
    const n = 2000;
    const services = Array.from(
      { length: n },
      (_, i) => `  s${i}: {image: "${PINNED}", expose: [80], depends_on: [s${(i + n - 1) % n}]}\n`,
    ).join('');
    const errors = importCompose(`services:\n${services}`).diagnostics.filter((d) => d.level === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0].message).toMatch(/closes a dependency cycle/);
  }, 120_000);
});

describe('the CLI', () => {
  const run = (...args: string[]) =>
    spawnSync(process.execPath, [CLI, ...args], {
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...process.env, MICROSERVICE_CONSTRUCTS_FROM_SOURCE: '1' },
    });

  it('fails a compose file that is a named pipe instead of waiting for a writer', () => {
    const dir = tempProject({});
    const fifo = path.join(dir, 'compose.yml');
    spawnSync('mkfifo', [fifo]);
    const out = run('import', fifo);
    expect(out.error).toBeUndefined();
    expect(out.status).toBe(1);
    expect(out.stderr).toMatch(/cannot read .*compose\.yml: not a regular file/);
  }, 60_000);

  it('fails a compose file above the size bound without reading it', () => {
    const dir = tempProject({});
    const file = path.join(dir, 'compose.yml');
    fs.writeFileSync(file, '');
    fs.truncateSync(file, COMPOSE_IMPORT_LIMITS.maxBytes + 1);
    const out = run('import', file);
    expect(out.status).toBe(1);
    expect(out.stderr).toMatch(/\d+ bytes, more than the 10 MiB the import reads/);
  }, 60_000);
});

describe('credentials in generated applications', () => {
  /** A credential value no output could contain by chance. */
  const credential = fc.stringMatching(/^[A-Za-z0-9]{10,16}$/).map((s) => `Zq9${s}`);
  const names = fc.uniqueArray(fc.stringMatching(/^[a-z][a-z0-9]{0,6}$/), { minLength: 2, maxLength: 4 });
  /** Every way a credential may be written into a compose file or a .env file. */
  const app = fc.record({
    services: names,
    password: credential,
    token: credential,
    literal: credential,
    urlPassword: credential,
    uses: fc.array(
      fc.constantFrom(
        'url',
        'conn',
        'passthrough',
        'literal-url',
        'literal-moved',
        'command',
        'healthcheck',
        'label',
        'build-arg',
        'config',
      ),
      { minLength: 1, maxLength: 6 },
    ),
  });

  it('never shows one in any output, whatever the services do with them', () => {
    fc.assert(
      fc.property(app, (spec) => {
        const dir = tempProject({
          '.env':
            `DB_PASSWORD=${spec.password}\nAPI_TOKEN=${spec.token}\n` +
            `DATABASE_URL=postgres://app:${spec.urlPassword}@${spec.services[0]}/app\n`,
          'app/Dockerfile': 'FROM scratch\n',
        });
        const [db, ...clients] = spec.services;
        const services: Record<string, Record<string, unknown>> = {
          [db]: { image: 'postgres:16.4', expose: [5432], environment: { POSTGRES_PASSWORD: spec.literal } },
        };
        clients.forEach((name, i) => {
          const environment: Record<string, string | null> = { MODE: 'prod' };
          const service: Record<string, unknown> = { image: PINNED, expose: [8080], environment };
          for (const use of spec.uses.slice(i)) {
            if (use === 'url') environment.URL = `postgres://app:\${DB_PASSWORD}@${db}:5432/app`;
            if (use === 'conn') environment.CONN = 'password=${API_TOKEN:-none}';
            if (use === 'passthrough') environment.DATABASE_URL = null;
            if (use === 'literal-url') environment.LITERAL_URL = `postgres://app:${spec.literal}@${db}/app`;
            if (use === 'literal-moved') environment.OPTIONS = `--password ${spec.literal}`;
            if (use === 'command') service.command = ['app', '--token', '${API_TOKEN}'];
            if (use === 'healthcheck') service.healthcheck = { test: ['CMD-SHELL', 'check -p ${DB_PASSWORD}'] };
            if (use === 'label') service.labels = { token: '${API_TOKEN}' };
            if (use === 'build-arg') service.build = { context: 'app', args: ['API_TOKEN', 'PW=${DB_PASSWORD}'] };
            if (use === 'config') service.configs = ['token'];
          }
          services[name] = service;
        });
        const result = importCompose(stringify({ services, configs: { token: { content: 'token=${API_TOKEN}' } } }), {
          baseDir: dir,
          name: 'gen',
        });
        const texts = [
          JSON.stringify(result.diagnostics),
          applicationToTypeScript(result.application),
          JSON.stringify(result.application.resolve()),
          toComposeYaml(result.application),
          JSON.stringify(synth(result.application).objects),
        ];
        for (const text of texts)
          for (const secret of [spec.password, spec.token, spec.literal, spec.urlPassword]) expect(text).not.toContain(secret);
        // What holds a credential is a secret reference, never dropped.
        const resolved = result.application.resolve();
        for (const name of clients) {
          const env = resolved.services.find((s) => s.name === name)!.env;
          for (const variable of ['URL', 'CONN', 'DATABASE_URL', 'LITERAL_URL', 'OPTIONS']) {
            const v = env.find((e) => e.name === variable);
            if (v) expect(v.source).toBe(EnvSource.SECRET);
          }
        }
      }),
      { numRuns: 25 },
    );
  }, 120_000);
});

describe('the CLI with import errors', () => {
  it('fails (exit 1) when the import reports errors, still printing the code and never the credential', () => {
    const dir = tempProject({
      '.env': 'API_TOKEN=Zq9-cli-token\n',
      'compose.yml': stringify({ services: { web: { image: PINNED, command: ['app', '--token', '${API_TOKEN}'] } } }),
    });
    const out = spawnSync(process.execPath, [CLI, 'import', path.join(dir, 'compose.yml')], {
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...process.env, MICROSERVICE_CONSTRUCTS_FROM_SOURCE: '1' },
    });
    expect(out.status).toBe(1);
    expect(out.stdout).toContain("new Microservice(app, 'web'");
    expect(out.stderr).toMatch(/error \[compose-import\] service 'web': 'command' would hold the credential \$\{API_TOKEN\}/);
    expect(out.stderr).toMatch(/error: 1 import error above: the printed stack leaves that key out/);
    expect(out.stdout + out.stderr).not.toContain('Zq9-cli-token');
  }, 60_000);
});
