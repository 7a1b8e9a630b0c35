/*
 * The Container, Volume and Image inputs read against what @pulumi/docker (terraform-provider-docker underneath)
 * does with them, one test per defect of issue 13. Each cites the provider's documented behaviour
 * (node_modules/@pulumi/docker: container.d.ts, types/input.d.ts, remoteImage.d.ts) that makes it matter.
 */
import * as path from 'path';
import * as pulumi from '@pulumi/pulumi';
import { DockerApplication, goDuration, providerCpus } from '../../lib/docker';
import { Application, Cpu, Image, Memory, Microservice, MicroserviceProps, Probe, Protocol } from '../../lib/model';
import { installMocks, render, renderApplication, renderStack, setConfig, T } from './harness';
import { deploy } from '../../pulumi/program';

beforeAll(async () => {
  await installMocks();
  jest.spyOn(pulumi.log, 'warn').mockImplementation(async () => undefined);
});

let apps = 0;
const image = Image.fromRegistry('ghcr.io/acme/web:1.0.0');
function app(build: (a: Application) => void, props: ConstructorParameters<typeof Application>[1] = {}): Application {
  const a = new Application(`p${++apps}`, props);
  build(a);
  return a;
}
const web = (a: Application, props: Partial<MicroserviceProps> = {}) =>
  new Microservice(a, 'web', { image, ports: [{ port: 8080 }], ...props });
const only = <T>(m: Map<string, T>) => {
  expect(m.size).toBe(1);
  return [...m.values()][0];
};

describe('1. ports: ContainerPort.external "If not given a free random port >= 32768 will be used"', () => {
  test('an unpublished port is not passed at all; a published one binds to the publish address (127.0.0.1 unless set)', async () => {
    const r = await renderApplication(
      app((a) =>
        web(a, {
          ports: [
            { port: 8080, publish: 18080 },
            { port: 9090, name: 'metrics' },
            { port: 5353, name: 'dns', protocol: Protocol.UDP },
          ],
        }),
      ),
    );
    expect(only(r.containers).inputs.ports).toEqual([{ internal: 8080, external: 18080, ip: '127.0.0.1', protocol: 'tcp' }]);
  });

  test('one host port for TCP and for UDP (DNS on 53) is two bindings, one per protocol', async () => {
    const r = await renderApplication(
      app((a) =>
        web(a, {
          ports: [
            { port: 53, publish: 1053 },
            { port: 53, protocol: Protocol.UDP, publish: 1053 },
          ],
        }),
      ),
    );
    expect(only(r.containers).inputs.ports).toEqual([
      { internal: 53, external: 1053, ip: '127.0.0.1', protocol: 'tcp' },
      { internal: 53, external: 1053, ip: '127.0.0.1', protocol: 'udp' },
    ]);
  });

  test("the publishAddress prop overrides the application's address; a port's own address wins", async () => {
    const r = await renderApplication(
      app((a) =>
        web(a, {
          ports: [
            { port: 8080, publish: 18080 },
            { port: 8081, publish: 18081, publishAddress: '10.0.0.5' },
          ],
        }),
      ),
      { publishAddress: '0.0.0.0' },
    );
    expect(only(r.containers).inputs.ports).toEqual([
      { internal: 8080, external: 18080, ip: '0.0.0.0', protocol: 'tcp' },
      { internal: 8081, external: 18081, ip: '10.0.0.5', protocol: 'tcp' },
    ]);
  });

  test('config `publishAddress` reaches every published port', async () => {
    setConfig('publishAddress', '0.0.0.0');
    try {
      const { r } = await renderStack('flask-redis');
      expect(
        r
          .ofType(T.container)
          .flatMap((c) => (c.inputs.ports ?? []).map((p: any) => `${p.ip}:${p.external}`))
          .sort(),
      ).toEqual(['0.0.0.0:5000', '0.0.0.0:8080']);
    } finally {
      setConfig('publishAddress', undefined as unknown as string);
    }
  });

  test('the shop publishes only its gateway, not its databases', async () => {
    const { r } = await renderStack('shop');
    const published = r
      .ofType(T.container)
      .flatMap((c) => (c.inputs.ports ?? []).map((p: any) => `${c.inputs.name}:${p.external}->${p.internal}`));
    expect(published).toEqual(['shop-gateway:8080->8080']);
  });
});

describe('2. destroyGraceSeconds: "If defined will attempt to stop the container before destroying"', () => {
  // Unset, the provider's delete stops with an explicit timeout of 0, which overrides the container's stop timeout.
  test("every container stops for Docker's 10 s by default before it is deleted or replaced", async () => {
    const r = await renderApplication(app((a) => web(a, { sidecars: [{ name: 'proxy', image }] })));
    expect([...r.containers.values()].map((c) => [c.inputs.name, c.inputs.destroyGraceSeconds])).toEqual([
      [`p${apps}-web-1`, 10],
      [`p${apps}-web-1-proxy`, 10],
    ]);
  });

  test('stopGracePeriodSeconds sets it, for the service and its sidecars alike', async () => {
    const r = await renderApplication(app((a) => web(a, { stopGracePeriodSeconds: 45, sidecars: [{ name: 'proxy', image }] })));
    expect([...r.containers.values()].map((c) => [c.inputs.stopTimeout, c.inputs.destroyGraceSeconds])).toEqual([
      [45, 45],
      [45, 45],
    ]);
  });
});

describe("3. healthcheck and tmpfs: the provider's update applies neither, so a change must replace", () => {
  test('every running container replaces on a healthcheck or tmpfs change, deleting the old one first', async () => {
    const { r } = await renderStack('flask-redis');
    expect(r.containers.size).toBe(3);
    for (const c of r.containers.values()) {
      expect([c.inputs.name, c.opts?.replaceOnChanges, c.opts?.deleteBeforeReplace]).toEqual([
        c.inputs.name,
        ['healthcheck', 'tmpfs'],
        true,
      ]);
    }
  });
});

describe('4. memorySwap: "The total memory limit (memory + swap) for the container in MBs"', () => {
  // Unset, Docker stores 2 x memory and refuses a later raise of memory past it; the update sends memorySwap only when set.
  test('is always sent: twice the memory limit, what Docker would store', async () => {
    const r = await renderApplication(
      app((a) => web(a, { resources: { memory: { request: Memory.mebibytes(256), limit: Memory.mebibytes(1024) } } })),
    );
    expect(only(r.containers).inputs).toMatchObject({ memory: 1024, memorySwap: 2048, memoryReservation: 256 });
  });
});

describe('5. cpus: read back with one decimal; a difference replaces the container', () => {
  test.each([
    [1000, '1.0'],
    [500, '0.5'],
    [2300, '2.3'],
    [100, '0.1'],
  ])('%dm is sent as %s', async (millis, form) => {
    const r = await renderApplication(app((a) => web(a, { resources: { cpu: { request: Cpu.millis(100), limit: Cpu.millis(millis) } } })));
    expect(only(r.containers).inputs.cpus).toBe(form);
    expect(providerCpus(millis / 1000)).toBe(form);
  });

  test.each([250, 50, 1550])('fails for %dm, which the provider cannot read back unchanged', (millis) => {
    const a = app((x) => web(x, { resources: { cpu: { request: Cpu.millis(10), limit: Cpu.millis(millis) } } }));
    expect(() => new DockerApplication('x', { application: a })).toThrow(
      `service 'web': 'resources.cpu.limit' is ${millis}m, but the Pulumi Docker provider keeps cpus to one decimal and would ` +
        `replace the container on every run; use a multiple of 100m`,
    );
  });
});

describe("6. containers that only hold files get the service's log settings", () => {
  test("the seed container carries logDriver and logOpts, not the daemon's", async () => {
    const r = await renderApplication(
      app((a) => web(a, { configFiles: [{ mountPath: '/etc/web/web.conf', content: 'a=1\n' }] }), {
        logging: { driver: 'local', options: { 'max-size': '5m' } },
      }),
    );
    const seed = only(r.seeds);
    expect(seed.inputs).toMatchObject({ logDriver: 'local', logOpts: { 'max-size': '5m' } });
    expect(only(r.containers).inputs).toMatchObject({ logDriver: 'local', logOpts: { 'max-size': '5m' } });
  });
});

describe("7. durations in Go's format, as the provider reads them back", () => {
  test.each([
    [0, '0s'],
    [45, '45s'],
    [60, '1m0s'],
    [300, '5m0s'],
    [90, '1m30s'],
    [3600, '1h0m0s'],
    [3725, '1h2m5s'],
  ])('%d s -> %s', (s, form) => {
    expect(goDuration(s)).toBe(form);
  });

  test('a health check with minute-long durations', async () => {
    const r = await renderApplication(
      app((a) =>
        web(a, {
          healthcheck: Probe.command(['true'], { periodSeconds: 120, timeoutSeconds: 60, failureThreshold: 3, initialDelaySeconds: 300 }),
        }),
      ),
    );
    expect(only(r.containers).inputs.healthcheck).toEqual({
      tests: ['CMD', 'true'],
      interval: '2m0s',
      timeout: '1m0s',
      retries: 3,
      startPeriod: '5m0s',
    });
  });
});

describe('8. platform: the provider builds and pulls for "the platform of the current machine" unless told', () => {
  test('defaults to linux/amd64 for built and pulled images', async () => {
    const { r } = await renderStack('flask-redis');
    expect([...r.ofType(T.image), ...r.ofType(T.remoteImage)].map((i) => i.inputs.build?.platform ?? i.inputs.platform)).toEqual([
      'linux/amd64',
      'linux/amd64',
      'linux/amd64',
    ]);
  });

  test('config `platform` sets it', async () => {
    setConfig('platform', 'linux/arm64');
    try {
      const { r } = await renderStack('flask-redis');
      expect(r.ofType(T.image).map((i) => i.inputs.build.platform)).toEqual(['linux/arm64']);
      expect(r.ofType(T.remoteImage).map((i) => i.inputs.platform)).toEqual(['linux/arm64', 'linux/arm64']);
    } finally {
      setConfig('platform', 'linux/amd64');
    }
  });

  test('fails for a platform config that is not os/arch, naming the key', () => {
    setConfig('stack', 'flask-redis');
    setConfig('platform', 'amd64');
    try {
      expect(() => deploy()).toThrow(/microservice-constructs:platform/);
    } finally {
      setConfig('platform', 'linux/amd64');
    }
  });
});

describe('9. data volumes, file volumes and build paths', () => {
  test('retainDataVolumes keeps the persistent volumes in Docker when Pulumi deletes them; file volumes go', async () => {
    const build = (a: Application) =>
      web(a, {
        volumes: [{ name: 'data', mountPath: '/data' }],
        configFiles: [{ mountPath: '/etc/web/web.conf', content: 'a=1\n' }],
      });
    const kept = await renderApplication(app(build), { retainDataVolumes: true });
    const retained = (r: typeof kept) => r.ofType(T.volume).map((v) => [v.inputs.name, v.opts?.retainOnDelete]);
    expect(retained(kept)).toEqual([
      [`p${apps}-data`, true],
      [`p${apps}-web-1-files-etc-web`, undefined],
    ]);
    const deleted = await renderApplication(app(build));
    expect(retained(deleted)).toEqual([
      [`p${apps}-data`, false],
      [`p${apps}-web-1-files-etc-web`, undefined],
    ]);
  });

  test('config `retainDataVolumes` reaches the component', async () => {
    setConfig('retainDataVolumes', 'true');
    try {
      const { r } = await renderStack('flask-redis');
      expect(r.ofType(T.volume).map((v) => v.opts?.retainOnDelete)).toEqual([true]);
    } finally {
      setConfig('retainDataVolumes', 'false');
    }
  });

  test('build contexts are recorded relative to the project directory', async () => {
    const stacks = path.join(__dirname, '..', '..', 'stacks');
    const r = await render(
      (opts) =>
        new DockerApplication(
          'b',
          {
            application: app((a) => web(a, { image: Image.fromDockerfile(path.join(stacks, 'flask-redis', 'web'), { tag: 'web:1' }) })),
            projectDir: stacks,
          },
          opts,
        ),
    );
    expect(r.ofType(T.image)[0].inputs.build).toMatchObject({ context: 'flask-redis/web', dockerfile: 'flask-redis/web/Dockerfile' });
  });
});
