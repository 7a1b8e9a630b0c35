import { FilePlacement, placeFiles } from '../../lib/docker';
import { UnsupportedError } from '../../lib/model';
import { DockerContainerPlan, DockerRole } from '../../lib/docker-plan';

/** A container plan with only what placeFiles reads set meaningfully. */
function plan(opts: {
  readOnly?: boolean;
  configs?: string[];
  secrets?: string[];
  volumes?: Array<[string, string]>;
  tmpfs?: string[];
}): DockerContainerPlan {
  return {
    key: 'web',
    containerName: 'app-web-1',
    service: 'web',
    role: DockerRole.SERVICE,
    index: 1,
    image: { reference: 'web:1' },
    env: [],
    ports: [],
    networks: [],
    volumeMounts: (opts.volumes ?? []).map(([volume, target]) => ({ volume, target, readOnly: false })),
    tmpfs: opts.tmpfs ?? ['/tmp'],
    configMounts: (opts.configs ?? []).map((target, i) => ({
      file: { id: `web-${i + 1}`, fileName: target.split('/').pop()!, mountPath: target, content: 'x' },
      target,
    })),
    secretMounts: (opts.secrets ?? []).map((target) => ({ secret: { name: 's', key: 'k', configKey: 's.k', variable: 'S_K' }, target })),
    user: '10001:10001',
    readOnly: opts.readOnly ?? true,
    capDrop: ['ALL'],
    capAdd: [],
    securityOpt: [],
    restart: 'always',
    memoryLimitMiB: 256,
    memoryReservationMiB: 128,
    cpus: 0.5,
    labels: {},
    dependsOn: [],
    logging: { driver: 'json-file', options: {} },
  };
}

const seedVolumes = (p: FilePlacement) => (p.kind === 'seed' ? p.volumes : undefined);

test('nothing to place without files', () => {
  expect(placeFiles(plan({}))).toEqual({ kind: 'none' });
});

test('a writable root filesystem gets plain uploads', () => {
  expect(placeFiles(plan({ readOnly: false, configs: ['/etc/app/a.yaml'], secrets: ['/run/k.pem'] }))).toEqual({
    kind: 'upload',
    files: ['/etc/app/a.yaml', '/run/k.pem'],
  });
});

test('a read-only root gets one new volume per directory, files of one directory together', () => {
  expect(seedVolumes(placeFiles(plan({ configs: ['/etc/app/a.yaml', '/etc/app/b.yaml'], secrets: ['/etc/tls/k.pem'] })))).toEqual([
    { mountPath: '/etc/app', files: ['/etc/app/a.yaml', '/etc/app/b.yaml'] },
    { mountPath: '/etc/tls', files: ['/etc/tls/k.pem'] },
  ]);
});

test('a deeper directory reuses the volume of its parent directory', () => {
  expect(seedVolumes(placeFiles(plan({ configs: ['/etc/app/conf.d/x.conf', '/etc/app/a.yaml'] })))).toEqual([
    { mountPath: '/etc/app', files: ['/etc/app/a.yaml', '/etc/app/conf.d/x.conf'] },
  ]);
});

test('a file inside a persistent volume is uploaded into that volume, no new volume', () => {
  expect(seedVolumes(placeFiles(plan({ volumes: [['data', '/data']], configs: ['/data/conf/app.conf'] })))).toEqual([
    { mountPath: '/data', persistentVolume: 'data', files: ['/data/conf/app.conf'] },
  ]);
});

test('the deepest mount covering the directory wins', () => {
  expect(
    seedVolumes(
      placeFiles(
        plan({
          volumes: [
            ['data', '/srv'],
            ['conf', '/srv/conf'],
          ],
          configs: ['/srv/conf/a.conf', '/srv/b.conf'],
        }),
      ),
    ),
  ).toEqual([
    { mountPath: '/srv', persistentVolume: 'data', files: ['/srv/b.conf'] },
    { mountPath: '/srv/conf', persistentVolume: 'conf', files: ['/srv/conf/a.conf'] },
  ]);
});

test('a path that merely starts like a mount is not inside it', () => {
  expect(seedVolumes(placeFiles(plan({ volumes: [['data', '/data']], configs: ['/database/a.conf'] })))).toEqual([
    { mountPath: '/database', files: ['/database/a.conf'] },
  ]);
});

test('fails for a file inside a tmpfs, naming service, field and path', () => {
  for (const readOnly of [true, false]) {
    expect(() => placeFiles(plan({ readOnly, secrets: ['/tmp/creds/k.pem'] }))).toThrow(UnsupportedError);
    expect(() => placeFiles(plan({ readOnly, secrets: ['/tmp/creds/k.pem'] }))).toThrow(
      "error [docker] service 'web': 'secretFiles' puts '/tmp/creds/k.pem' inside the tmpfs '/tmp'",
    );
  }
});

test('fails for a file directly in / of a read-only root', () => {
  expect(() => placeFiles(plan({ configs: ['/app.conf'] }))).toThrow("'configFiles' puts '/app.conf' directly in '/'");
  expect(placeFiles(plan({ readOnly: false, configs: ['/app.conf'] }))).toEqual({ kind: 'upload', files: ['/app.conf'] });
});
