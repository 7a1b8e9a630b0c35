/* The file as a whole: top-level keys, names, interpolation, security modes, errors and the importCompose entry point. */
import { stringify } from 'yaml';
import * as lib from '../../lib';
import { Application } from '../../lib';
import { ComposeImportError, formatImportDiagnostic, importCompose, ImportSecurity } from '../../lib/compose-import';
import { DOCKER_DEFAULT_CAPABILITIES } from '../../lib/compose-import/rules';
import { EnvValue, Microservice } from '../../lib/model';
import { diagnosticsOf, importObject, importService, propsOf, resolvedService, tempProject } from './helpers';

const PINNED = 'nginx:1.27-alpine';

describe('importCompose', () => {
  it('is reachable from the package entry point and returns an Application', () => {
    const yaml = stringify({ services: { web: { image: PINNED } } });
    const result = lib.importCompose(yaml, { name: 'shop' });
    expect(result.application).toBeInstanceOf(Application);
    expect(result.application.name).toBe('shop');
    expect(result.diagnostics).toEqual(importCompose(yaml, { name: 'shop' }).diagnostics);
  });
});

describe('top-level keys', () => {
  it('ignores version with a note, x-* extensions silently, and reports unknown keys', () => {
    const result = importObject({
      version: '3.8',
      'x-defaults': { restart: 'always' },
      services: { web: { image: PINNED } },
      include: ['other.yml'],
    });
    expect(diagnosticsOf(result, '(top-level)').map((d) => [d.level, d.field])).toEqual([
      ['info', 'version'],
      ['warning', 'include'],
    ]);
  });

  it('notes custom networks once at the top level', () => {
    const result = importObject({ services: { web: { image: PINNED } }, networks: { front: { driver: 'bridge' }, back: null } });
    expect(diagnosticsOf(result, '(top-level)', 'networks')[0].message).toContain('networks front, back are not carried over');
  });

  it('reads merge keys of extension anchors', () => {
    const yaml = 'x-base: &base\n  image: redis:7.2\n  restart: "no"\nservices:\n  cache:\n    <<: *base\n    expose: [6379]\n';
    const props = propsOf(importCompose(yaml), 'cache');
    expect(props.image.reference).toBe('redis:7.2');
    expect(props.restartPolicy).toBe('never');
  });

  it('orders diagnostics by service as in the file', () => {
    const result = importObject({ version: '3', services: { b: { image: PINNED, hostname: 'x' }, a: { image: PINNED, hostname: 'y' } } });
    const services = result.diagnostics.map((d) => d.service);
    expect(services.indexOf('(top-level)')).toBe(0);
    expect(services.lastIndexOf('b')).toBeLessThan(services.indexOf('a'));
  });
});

describe('names', () => {
  it('names the application after the option, else name:, else the project directory, else imported', () => {
    const compose = { services: { web: { image: PINNED } } };
    expect(importCompose(stringify(compose), { name: 'My Shop' }).application.name).toBe('my-shop');
    expect(importCompose(stringify({ name: 'from_file', ...compose })).application.name).toBe('from-file');
    const dir = tempProject({});
    expect(importCompose(stringify(compose), { baseDir: dir }).application.name).toBe(
      require('path')
        .basename(dir)
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-'),
    );
    expect(importCompose(stringify(compose)).application.name).toBe('imported');
  });

  it('makes service names DNS labels, noted, and keeps them unique', () => {
    const result = importObject({ services: { Web_App: { image: PINNED }, 'web-app': { image: PINNED }, '1worker': { image: PINNED } } });
    expect(result.application.resolve().services.map((s) => s.name)).toEqual(['web-app', 'web-app-2', 'service-1worker']);
    expect(diagnosticsOf(result, 'Web_App', 'name')[0].message).toContain("named 'web-app'");
  });
});

describe('interpolation', () => {
  it('substitutes variables from the options, else from .env in baseDir, reporting unset ones by service and key', () => {
    const compose = {
      services: { web: { image: 'nginx:${TAG:-1.27}', environment: ['GREETING=$WORD world', 'PRICE=$$5'], command: 'echo ${MISSING}' } },
    };
    const result = importObject(compose, { environment: { WORD: 'hello' } });
    const props = propsOf(result, 'web');
    expect(props.image.reference).toBe('nginx:1.27');
    expect(props.env).toEqual({ GREETING: EnvValue.fromValue('hello world'), PRICE: EnvValue.fromValue('$5') });
    expect(diagnosticsOf(result, 'web', 'command')[0].message).toContain('variable MISSING is not set');
    const fromDotenv = importObject(compose, { baseDir: tempProject({ '.env': 'TAG=1.25\nWORD=hi\nMISSING=x\n' }) });
    expect(propsOf(fromDotenv, 'web').image.reference).toBe('nginx:1.25');
    expect(diagnosticsOf(fromDotenv, 'web')).not.toContainEqual(expect.objectContaining({ field: 'command' }));
  });

  it('fails on a broken substitution, reported as an error, the value kept', () => {
    const result = importObject({ services: { web: { image: PINNED, environment: ['A=${B'] } } });
    expect(propsOf(result, 'web').env).toEqual({ A: EnvValue.fromValue('${B') });
    expect(diagnosticsOf(result, 'web', 'environment')[0].level).toBe('error');
  });
});

describe('security modes', () => {
  it("secure (default): the model's hardening where the file is silent, what the file says where it is not", () => {
    const { result } = importService({ image: PINNED, read_only: false });
    expect(resolvedService(result, 'svc').security).toEqual({
      user: 10001,
      group: 10001,
      runAsNonRoot: true,
      readOnlyRootFilesystem: false,
      writablePaths: ['/tmp'],
      allowPrivilegeEscalation: false,
      capabilitiesDrop: ['ALL'],
      capabilitiesAdd: [],
      seccompProfile: { type: 'RuntimeDefault' },
    });
  });

  it("compose: root, writable root filesystem and Docker's capabilities, as docker run does, noted", () => {
    const { result, diags } = importService(
      { image: PINNED, cap_drop: ['NET_RAW'], cap_add: ['SYS_TIME'] },
      {},
      { security: ImportSecurity.COMPOSE },
    );
    const security = resolvedService(result, 'svc').security;
    expect(security).toMatchObject({
      user: 0,
      group: 0,
      runAsNonRoot: false,
      readOnlyRootFilesystem: false,
      allowPrivilegeEscalation: true,
    });
    expect(security.capabilitiesAdd).toEqual([...DOCKER_DEFAULT_CAPABILITIES.filter((c) => c !== 'NET_RAW'), 'SYS_TIME']);
    expect(diags('user')[0].message).toContain('runs as root');
    const explicit = importService(
      { image: PINNED, user: '1000', read_only: true, cap_drop: ['ALL'] },
      {},
      { security: ImportSecurity.COMPOSE },
    );
    expect(resolvedService(explicit.result, 'svc').security).toMatchObject({
      user: 1000,
      group: 0,
      runAsNonRoot: true,
      readOnlyRootFilesystem: true,
      capabilitiesAdd: [],
    });
  });
});

describe('not a compose file', () => {
  it.each([
    ['services: [unclosed', 'not valid YAML'],
    ['just text', 'must be a mapping'],
    ['version: "3"', "'services' must be a mapping"],
    ['services: {}', "'services' must be a mapping with at least one service"],
    ['services:\n  web: nginx', "service 'web': its definition must be a mapping"],
  ])('fails on %p', (yaml, message) => {
    expect(() => importCompose(yaml)).toThrow(message);
  });

  it('fails on a baseDir that is not a directory', () => {
    expect(() => importCompose('services: { web: { image: nginx:1.27 } }', { baseDir: '/nonexistent/project' })).toThrow(
      '\'baseDir\' must be a directory, got "/nonexistent/project"',
    );
  });

  it('fails with ComposeImportError for text that is not a compose file', () => {
    expect(() => importCompose('a: [')).toThrow(ComposeImportError);
  });
});

describe('diagnostics', () => {
  it("carry the target 'compose-import' and format like the backends'", () => {
    const { result } = importService({ image: PINNED, container_name: 'web' });
    const d = diagnosticsOf(result, 'svc', 'container_name')[0];
    expect(formatImportDiagnostic(d)).toBe(`warning [compose-import] service 'svc': 'container_name' ${d.message}`);
    expect(result.application.node.findAll().filter(Microservice.isMicroservice)).toHaveLength(1);
  });
});
