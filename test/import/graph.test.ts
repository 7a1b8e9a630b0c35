/* Dependencies across services: declared and inferred edges, ports of dependencies, injected variables, cycles. */
import { DependencyCondition, EnvValue } from '../../lib/model';
import { diagnosticsOf, importObject, propsOf } from './helpers';

const PINNED = 'nginx:1.27-alpine';

/** `[service, dependency, condition]` of every resolved edge. */
function edges(compose: object, options = {}) {
  const result = importObject(compose, options);
  const resolved = result.application.resolve();
  return { result, edges: resolved.services.flatMap((s) => s.dependencies.map((d) => [s.name, d.service, d.condition])) };
}

describe('declared dependencies', () => {
  it('maps links like short depends_on, reporting aliases', () => {
    const { result, edges: e } = edges({
      services: { db: { image: 'postgres:16', expose: [5432] }, web: { image: PINNED, links: ['db:database'] } },
    });
    expect(e).toEqual([['web', 'db', DependencyCondition.STARTED]]);
    expect(diagnosticsOf(result, 'web', 'links')[0].message).toContain('alias "database"');
  });

  it('waits for started when the healthy dependency has no health check, reported', () => {
    const { result, edges: e } = edges({
      services: {
        db: { image: 'postgres:16', expose: [5432] },
        web: { image: PINNED, depends_on: { db: { condition: 'service_healthy' } } },
      },
    });
    expect(e).toEqual([['web', 'db', DependencyCondition.STARTED]]);
    expect(diagnosticsOf(result, 'web', 'depends_on')[0].message).toContain('has no health check');
  });

  it('maps service_completed_successfully to started and reports extra long-syntax keys', () => {
    const { result, edges: e } = edges({
      services: {
        init: { image: PINNED, expose: [80] },
        web: { image: PINNED, depends_on: { init: { condition: 'service_completed_successfully', restart: true } } },
      },
    });
    expect(e).toEqual([['web', 'init', DependencyCondition.STARTED]]);
    expect(diagnosticsOf(result, 'web', 'depends_on').map((d) => d.message)).toEqual([
      expect.stringContaining('service_completed_successfully cannot be carried over'),
      expect.stringContaining("'restart' of init"),
    ]);
  });

  it('fails on unknown services, self references and cycles, reported as errors', () => {
    const { result, edges: e } = edges({
      services: {
        a: { image: PINNED, expose: [80], depends_on: ['b', 'ghost', 'a'] },
        b: { image: PINNED, expose: [80], depends_on: ['a'] },
      },
    });
    expect(e).toEqual([['a', 'b', DependencyCondition.STARTED]]);
    expect(result.diagnostics.filter((d) => d.level === 'error').map((d) => `${d.service}: ${d.message}`)).toEqual([
      expect.stringContaining('a: refers to unknown service "ghost"'),
      expect.stringContaining('a: refers to the service itself'),
      expect.stringContaining("b: 'a' closes a dependency cycle"),
    ]);
  });
});

describe('ports of dependencies', () => {
  it('assumes the port of a well-known image that declares none, noted', () => {
    const { result, edges: e } = edges({ services: { mongo: { image: 'mongo' }, api: { image: PINNED, depends_on: ['mongo'] } } });
    expect(e).toEqual([['api', 'mongo', DependencyCondition.STARTED]]);
    expect(propsOf(result, 'mongo').ports).toEqual([{ port: 27017 }]);
    expect(diagnosticsOf(result, 'mongo', 'expose')[0]).toMatchObject({
      level: 'info',
      message: expect.stringContaining('port 27017 of image "mongo" is assumed'),
    });
  });

  it('declares a port other services connect to (host:port in their environment)', () => {
    const { result } = edges({
      services: {
        backend: { image: 'myorg/backend:1' },
        web: { image: PINNED, environment: ['UPSTREAM_ADDR=backend:9091'], depends_on: ['backend'] },
      },
    });
    expect(propsOf(result, 'backend').ports).toEqual([{ port: 9091 }]);
  });

  it('takes ports from the import option', () => {
    const { edges: e, result } = edges(
      { services: { backend: { image: 'myorg/backend:1' }, proxy: { image: PINNED, depends_on: ['backend'] } } },
      { ports: { backend: [8000] } },
    );
    expect(e).toEqual([['proxy', 'backend', DependencyCondition.STARTED]]);
    expect(propsOf(result, 'backend').ports).toEqual([{ port: 8000 }]);
    expect(importObject({ services: { a: { image: PINNED } } }, { ports: { ghost: [1] } }).diagnostics[0]).toMatchObject({
      level: 'error',
      service: '(top-level)',
      field: 'ports',
    });
  });

  it('fails to keep a dependency on a service without any known port, reported with the fix', () => {
    const { result, edges: e } = edges({
      services: { backend: { image: 'myorg/backend:1' }, proxy: { image: PINNED, depends_on: ['backend'] } },
    });
    expect(e).toEqual([]);
    expect(diagnosticsOf(result, 'proxy', 'depends_on')[0]).toMatchObject({
      level: 'warning',
      message: expect.stringContaining("pass ports: { 'backend': [<port>] }"),
    });
  });
});

describe('dependencies inferred from addresses in the environment', () => {
  const wordpress = {
    services: {
      db: { image: 'mariadb:10.6', expose: [3306], environment: ['MYSQL_DATABASE=wordpress'] },
      wordpress: { image: 'wordpress:6', environment: ['WORDPRESS_DB_HOST=db', 'SITE_URL=http://wordpress:80/'] },
    },
  };

  it('adds the dependency an address variable implies (the model lets a service reach only its dependencies), noted', () => {
    const { result, edges: e } = edges(wordpress);
    // MYSQL_DATABASE=wordpress is a name, not an address: no edge db -> wordpress.
    expect(e).toEqual([['wordpress', 'db', DependencyCondition.STARTED]]);
    expect(diagnosticsOf(result, 'wordpress', 'environment')[0]).toMatchObject({
      level: 'info',
      message: expect.stringContaining("WORDPRESS_DB_HOST refers to 'db'"),
    });
  });

  it('reads URLs with credentials and lists of addresses', () => {
    const { edges: e } = edges({
      services: {
        mq: { image: 'rabbitmq:3', expose: [5672] },
        cache: { image: 'redis:7', expose: [6379] },
        app: { image: PINNED, environment: { AMQP: 'amqp://guest@mq:5672/vhost', CACHE_SERVERS: 'cache:6379, other:1' } },
      },
    });
    expect(e).toEqual([
      ['app', 'mq', DependencyCondition.STARTED],
      ['app', 'cache', DependencyCondition.STARTED],
    ]);
  });

  it('never infers an edge that would close a cycle', () => {
    const { edges: e } = edges({
      services: {
        a: { image: PINNED, expose: [80], environment: ['PEER_HOST=b'] },
        b: { image: PINNED, expose: [80], environment: ['PEER_HOST=a'] },
      },
    });
    expect(e).toEqual([['a', 'b', DependencyCondition.STARTED]]);
  });

  it('replaces a variable the model injects for the dependency, reporting a changed value', () => {
    const result = importObject({
      services: {
        db: { image: 'postgres:16', expose: [5432] },
        gitea: { image: 'gitea/gitea:1.21', environment: ['DB_HOST=db:5432', 'DB_PORT=5432', 'DB_TYPE=postgres'] },
      },
    });
    expect(propsOf(result, 'gitea').env).toEqual({ DB_TYPE: EnvValue.fromValue('postgres') });
    expect(diagnosticsOf(result, 'gitea', 'environment').map((d) => d.message)).toEqual([
      expect.stringContaining("DB_HOST refers to 'db'"),
      expect.stringContaining('DB_HOST ("db:5432") is replaced by the value the model injects for dependency \'db\', "db"'),
    ]);
    const env = result.application.resolve().services.find((s) => s.name === 'gitea')!.env;
    expect(env.filter((v) => v.name.startsWith('DB_')).map((v) => [v.name, v.value])).toEqual([
      ['DB_TYPE', 'postgres'],
      ['DB_HOST', 'db'],
      ['DB_PORT', '5432'],
    ]);
  });
});
