/* volumes, tmpfs, host bind mounts, env_file, secrets and configs: what is read from the project and what is not. */
import * as fs from 'fs';
import * as path from 'path';
import { HostBindMounts } from '../../lib/compose-import';
import { EnvValue } from '../../lib/model';
import { importObject, importService, propsOf, resolvedService, tempProject } from './helpers';

const PINNED = 'nginx:1.27-alpine';

describe('named and anonymous volumes', () => {
  it('maps named volumes to persistent volumes (DNS names) and anonymous ones to scratch volumes', () => {
    const { props, diags, result } = importService(
      {
        image: PINNED,
        volumes: ['db_data:/var/lib/data', 'cache:/cache:ro', '/usr/src/app/node_modules', { type: 'tmpfs', target: '/run' }],
      },
      { volumes: { db_data: null, cache: {} } },
    );
    expect(props.volumes).toEqual([
      { name: 'db-data', mountPath: '/var/lib/data' },
      { name: 'cache', mountPath: '/cache', readOnly: true },
      { name: 'node-modules', mountPath: '/usr/src/app/node_modules', scratch: true },
      { name: 'run', mountPath: '/run', scratch: true },
    ]);
    expect(diags('volumes')).toEqual([]);
    expect(() => result.application.resolve()).not.toThrow();
  });

  it('maps tmpfs paths to scratch volumes, reporting their options', () => {
    const { props, diags } = importService({ image: PINNED, tmpfs: ['/run:size=64k', '/var/cache'] });
    expect(props.volumes).toEqual([
      { name: 'run', mountPath: '/run', scratch: true },
      { name: 'cache', mountPath: '/var/cache', scratch: true },
    ]);
    expect(diags('tmpfs')[0].message).toContain('size=64k');
  });

  it('keeps /tmp writable through the volume mounted there (the model refuses two mounts at one path)', () => {
    const { props, result } = importService({ image: PINNED, tmpfs: '/tmp' });
    expect(props.security).toEqual({ writablePaths: [] });
    expect(resolvedService(result, 'svc').volumes).toEqual([expect.objectContaining({ mountPath: '/tmp', scratch: true })]);
  });

  it('reports an undeclared named volume as an error but imports it', () => {
    const { props, diags } = importService({ image: PINNED, volumes: ['data:/data'] });
    expect(props.volumes).toEqual([{ name: 'data', mountPath: '/data' }]);
    expect(diags('volumes')).toEqual([expect.objectContaining({ level: 'error' })]);
  });

  it('fails to share a named volume between services (one owner), reported, the second gets scratch', () => {
    const result = importObject({
      services: { a: { image: PINNED, volumes: ['shared:/data'] }, b: { image: PINNED, volumes: ['shared:/srv'] } },
      volumes: { shared: {} },
    });
    expect(propsOf(result, 'b').volumes).toEqual([{ name: 'srv', mountPath: '/srv', scratch: true }]);
    expect(result.diagnostics.find((d) => d.service === 'b' && d.field === 'volumes')!.message).toContain("shared with service 'a'");
    expect(() => result.application.resolve()).not.toThrow();
  });

  it('reports mount options and top-level volume settings it cannot carry over', () => {
    const { diags, result } = importService(
      { image: PINNED, volumes: ['data:/data:z,nocopy'] },
      { volumes: { data: { driver: 'local', external: true } } },
    );
    expect(diags('volumes')[0].message).toContain('options z, nocopy');
    expect(result.diagnostics.filter((d) => d.service === '(top-level)' && d.field === 'volumes').map((d) => d.message)).toEqual([
      expect.stringContaining("'driver' of volume 'data'"),
      expect.stringContaining("'external' of volume 'data'"),
    ]);
  });

  it('fails on a relative mount target and on npipe mounts, reported', () => {
    const { props, diags } = importService(
      { image: PINNED, volumes: ['data:relative', { type: 'npipe', source: 'x', target: '/p' }] },
      { volumes: { data: {} } },
    );
    expect(props.volumes).toBeUndefined();
    expect(diags('volumes').map((d) => d.message)).toEqual([
      expect.stringContaining('not an absolute path'),
      expect.stringContaining('npipe'),
    ]);
  });
});

describe('host bind mounts (default: config)', () => {
  const project = () =>
    tempProject({
      'nginx/nginx.conf': 'server { listen 80; }\n',
      'prometheus/prometheus.yml': 'global: {}\n',
      'prometheus/rules/alerts.yml': 'groups: []\n',
      'db/password.txt': 'TOP-SECRET-VALUE\n',
      'big/blob.bin': 'x\u0000y',
      'certs/server.key': 'BINARY\u0000KEY',
      'certs/ca.crt': 'CA CERT\n',
      '.env': 'TAG=1.27-alpine\n',
    });

  it('mounts an existing file as a config file with its content', () => {
    const dir = project();
    const { props, diags } = importService(
      { image: PINNED, volumes: ['./nginx/nginx.conf:/etc/nginx/conf.d/default.conf:ro'] },
      {},
      { baseDir: dir },
    );
    expect(props.configFiles).toEqual([{ mountPath: '/etc/nginx/conf.d/default.conf', content: 'server { listen 80; }\n' }]);
    expect(diags('volumes')).toEqual([]);
  });

  it('mounts a small directory as one config file per file, noting that they are read-only', () => {
    const { props, diags, result } = importService(
      { image: PINNED, volumes: [{ type: 'bind', source: './prometheus', target: '/etc/prometheus' }] },
      {},
      { baseDir: project() },
    );
    expect(props.configFiles).toEqual([
      { mountPath: '/etc/prometheus/prometheus.yml', content: 'global: {}\n' },
      { mountPath: '/etc/prometheus/rules/alerts.yml', content: 'groups: []\n' },
    ]);
    expect(diags('volumes')).toEqual([
      expect.objectContaining({ level: 'info', message: expect.stringContaining('2 read-only config file(s)') }),
    ]);
    expect(() => result.application.resolve()).not.toThrow();
  });

  it('never reads a file that looks like a credential: it becomes a secret file reference', () => {
    const { props, diags, result } = importService(
      { image: PINNED, volumes: ['./db/password.txt:/run/secrets/db-password:ro'] },
      {},
      { baseDir: project() },
    );
    expect(props.configFiles).toBeUndefined();
    expect(props.secretFiles).toEqual([{ secretName: 'svc-files', key: 'password.txt', mountPath: '/run/secrets/db-password' }]);
    expect(diags('volumes')[0].message).toContain('kubectl create secret generic svc-files --from-file=password.txt=./db/password.txt');
    expect(JSON.stringify([props, result.diagnostics])).not.toContain('TOP-SECRET-VALUE');
  });

  it('never reads credentials inside a mounted directory, even ones that could not be read as text', () => {
    const { props, diags } = importService({ image: PINNED, volumes: ['./certs:/etc/ssl/app:ro'] }, {}, { baseDir: project() });
    expect(props.configFiles).toEqual([{ mountPath: '/etc/ssl/app/ca.crt', content: 'CA CERT\n' }]);
    expect(props.secretFiles).toEqual([{ secretName: 'svc-files', key: 'server.key', mountPath: '/etc/ssl/app/server.key' }]);
    expect(diags('volumes')[0].message).toContain('--from-file=server.key=certs/server.key');
  });

  it.each([
    ['./missing:/x', 'does not exist'],
    ['../outside:/x', 'outside the project directory'],
    ['/etc/passwd:/etc/passwd', 'outside the project directory'],
    ['~/.ssh:/root/.ssh', 'outside the project directory'],
    ['./big:/data', 'binary'],
  ])('fails to read %p: left out, reported, so the image content stays', (volume, reason) => {
    const { props, diags } = importService({ image: PINNED, volumes: [volume] }, {}, { baseDir: project() });
    expect(props.configFiles).toBeUndefined();
    expect(props.volumes).toBeUndefined();
    expect(diags('volumes')).toEqual([expect.objectContaining({ level: 'warning', message: expect.stringContaining(reason) })]);
  });

  it('fails to read anything without baseDir, reported', () => {
    expect(importService({ image: PINNED, volumes: ['./nginx/nginx.conf:/etc/x'] }).diags('volumes')[0].message).toContain(
      'no baseDir was given',
    );
  });

  it('fails on a directory too large for config files (a source tree), reported', () => {
    const files = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`src/f${i}.py`, 'print(1)\n']));
    const { props, diags } = importService({ image: PINNED, volumes: ['./src:/code'] }, {}, { baseDir: tempProject(files) });
    expect(props.configFiles).toBeUndefined();
    expect(diags('volumes')[0].message).toContain('more than 32 files');
  });

  it('never follows a symlink out of the project', () => {
    const dir = project();
    fs.symlinkSync('/etc/hostname', path.join(dir, 'link'));
    const { props, diags } = importService({ image: PINNED, volumes: ['./link:/x'] }, {}, { baseDir: dir });
    expect(props.configFiles).toBeUndefined();
    expect(diags('volumes')[0].message).toContain('links outside the project directory');
  });
});

describe('host bind mounts (other treatments)', () => {
  const bind = (hostBindMounts: HostBindMounts) =>
    importService(
      { image: PINNED, volumes: ['./data:/var/lib/data', '/var/run/docker.sock:/var/run/docker.sock:ro'] },
      {},
      { hostBindMounts },
    );

  it('scratch: empty scratch volumes, reported', () => {
    const { props, diags } = bind(HostBindMounts.SCRATCH);
    expect(props.volumes).toEqual([
      { name: 'data', mountPath: '/var/lib/data', scratch: true },
      { name: 'docker-sock', mountPath: '/var/run/docker.sock', scratch: true, readOnly: true },
    ]);
    expect(diags('volumes')).toHaveLength(2);
  });

  it('persistent: persistent volumes named after the host path, reported', () => {
    const { props, diags, result } = bind(HostBindMounts.PERSISTENT);
    expect(props.volumes).toEqual([
      { name: 'data', mountPath: '/var/lib/data' },
      { name: 'var-run-docker-sock', mountPath: '/var/run/docker.sock', readOnly: true },
    ]);
    expect(diags('volumes')[0].message).toContain("persistent volume 'data'");
    expect(() => result.application.resolve()).not.toThrow();
  });

  it('omit: left out, reported', () => {
    const { props, diags } = bind(HostBindMounts.OMIT);
    expect(props.volumes).toBeUndefined();
    expect(diags('volumes')).toHaveLength(2);
  });
});

describe('env_file', () => {
  it('reads env files below baseDir; environment overrides them; credentials become secret references', () => {
    const dir = tempProject({ 'web.env': 'A=from-file\nB=from-file\nDB_PASSWORD=file-secret-xyzzy\n', 'more.env': 'C=3\n' });
    const { props, result } = importService(
      { image: PINNED, env_file: ['web.env', { path: 'more.env' }], environment: { B: 'override' } },
      {},
      { baseDir: dir },
    );
    expect(props.env).toEqual({
      A: EnvValue.fromValue('from-file'),
      B: EnvValue.fromValue('override'),
      DB_PASSWORD: EnvValue.fromSecret('svc-env', 'db_password'),
      C: EnvValue.fromValue('3'),
    });
    expect(JSON.stringify([props, result.diagnostics])).not.toContain('xyzzy');
  });

  it('fails to read a missing env file, reported unless it is optional', () => {
    const dir = tempProject({});
    expect(importService({ image: PINNED, env_file: 'missing.env' }, {}, { baseDir: dir }).diags('env_file')[0].message).toContain(
      '"missing.env" cannot be read',
    );
    expect(
      importService({ image: PINNED, env_file: [{ path: 'missing.env', required: false }] }, {}, { baseDir: dir }).diags('env_file'),
    ).toEqual([]);
    expect(importService({ image: PINNED, env_file: '.env' }).diags('env_file')[0].message).toContain('no baseDir');
  });
});

describe('secrets', () => {
  it('mounts secrets at /run/secrets/<name> from secret references and says once how to create each', () => {
    const dir = tempProject({ 'db/password.txt': 'NEVER-READ-xyzzy' });
    const result = importObject(
      {
        services: {
          db: {
            image: 'postgres:16',
            secrets: [
              'db-password',
              { source: 'api_token', target: 'token' },
              { source: 'cert', target: '/etc/ssl/cert.pem', mode: 0o400 },
            ],
          },
          backend: { image: PINNED, secrets: ['db-password'] },
        },
        secrets: { 'db-password': { file: 'db/password.txt' }, api_token: { environment: 'API_TOKEN' }, cert: { external: true } },
      },
      { baseDir: dir },
    );
    expect(propsOf(result, 'db').secretFiles).toEqual([
      { secretName: 'db-password', key: 'db-password', mountPath: '/run/secrets/db-password' },
      { secretName: 'api-token', key: 'api_token', mountPath: '/run/secrets/token' },
      { secretName: 'cert', key: 'cert', mountPath: '/etc/ssl/cert.pem' },
    ]);
    expect(propsOf(result, 'backend').secretFiles).toEqual([
      { secretName: 'db-password', key: 'db-password', mountPath: '/run/secrets/db-password' },
    ]);
    const messages = result.diagnostics.filter((d) => d.field === 'secrets').map((d) => `${d.service}: ${d.message}`);
    expect(messages).toEqual([
      expect.stringContaining(
        "db: secret \"db-password\" is mounted from key 'db-password' of secret 'db-password'; " +
          'create it: kubectl create secret generic db-password --from-file=db-password=db/password.txt',
      ),
      expect.stringContaining('--from-literal=api_token="$API_TOKEN"'),
      expect.stringMatching(/db: mode of "cert" cannot be carried over/),
      expect.stringContaining('external'),
    ]);
    expect(JSON.stringify([result.diagnostics, result.application.resolve()])).not.toContain('xyzzy');
  });

  it('fails on a secret the top level does not declare, reported as an error', () => {
    const { props, diags } = importService({ image: PINNED, secrets: ['nope'] });
    expect(props.secretFiles).toBeUndefined();
    expect(diags('secrets')).toEqual([expect.objectContaining({ level: 'error' })]);
  });
});

describe('configs', () => {
  it('mounts configs from files below baseDir, inline content and the environment', () => {
    const dir = tempProject({ 'conf/app.ini': '[app]\nx=1\n' });
    const { props } = importService(
      { image: PINNED, configs: ['app_ini', { source: 'inline', target: '/etc/inline.txt' }, { source: 'env', target: 'relative.txt' }] },
      { configs: { app_ini: { file: './conf/app.ini' }, inline: { content: 'hello' }, env: { environment: 'GREETING' } } },
      { baseDir: dir, environment: { GREETING: 'hi' } },
    );
    expect(props.configFiles).toEqual([
      { mountPath: '/app_ini', content: '[app]\nx=1\n' },
      { mountPath: '/etc/inline.txt', content: 'hello' },
      { mountPath: '/relative.txt', content: 'hi' },
    ]);
  });

  it('fails on configs whose content is unknown, reported', () => {
    const { props, diags } = importService(
      { image: PINNED, configs: ['ext', 'missing', 'undeclared'] },
      { configs: { ext: { external: true }, missing: { file: 'nope.txt' } } },
    );
    expect(props.configFiles).toBeUndefined();
    expect(diags('configs').map((d) => d.message)).toEqual([
      expect.stringContaining('external'),
      expect.stringContaining('no baseDir'),
      expect.stringContaining('does not declare it'),
    ]);
  });
});
