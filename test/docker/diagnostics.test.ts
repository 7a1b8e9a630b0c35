/*
 * What Docker cannot express: errors that stop the deployment before any resource is registered, and warnings
 * that are reported (component `diagnostics` and `pulumi.log.warn`), never silence.
 */
import * as path from 'path';
import * as pulumi from '@pulumi/pulumi';
import { DockerApplication } from '../../lib/docker';
import { Application, DiagnosticLevel, Image, Memory, Microservice, MicroserviceProps, Probe, UnsupportedError } from '../../lib/model';
import { installMocks, renderApplication, T } from './harness';

let warn: jest.SpyInstance;
beforeAll(async () => {
  await installMocks();
  warn = jest.spyOn(pulumi.log, 'warn').mockImplementation(async () => undefined);
});
beforeEach(() => warn.mockClear());

let apps = 0;
/** An application `t<n>` with one service `web` (plus `others`). */
function app(web: Partial<MicroserviceProps>, others: (a: Application) => void = () => undefined): Application {
  const a = new Application(`t${++apps}`);
  others(a);
  new Microservice(a, 'web', { image: Image.fromRegistry('ghcr.io/acme/web:1.0.0'), ports: [{ port: 8080, name: 'http' }], ...web });
  return a;
}

/** Constructs the component and returns what it threw, with the number of resources the mocks saw meanwhile. */
function constructError(application: Application): unknown {
  let registered = 0;
  const count: pulumi.ResourceTransformation = () => {
    registered++;
    return undefined;
  };
  try {
    new DockerApplication(application.name, { application }, { transformations: [count] });
  } catch (e) {
    expect(registered).toBe(0);
    return e;
  }
  throw new Error('expected the component to throw');
}

function expectUnsupported(e: unknown, service: string, field: string, message: string | RegExp): void {
  expect(e).toBeInstanceOf(UnsupportedError);
  const d = (e as UnsupportedError).diagnostic;
  expect(d).toMatchObject({ level: DiagnosticLevel.ERROR, target: 'docker', service, field });
  expect(d.message).toMatch(message);
}

test('fails when a replicated service publishes a host port, before registering anything', () => {
  const e = constructError(app({ replicas: 2, ports: [{ port: 8080, name: 'http', publish: 8080 }] }));
  expectUnsupported(e, 'web', 'ports.publish', /publishes host port 8080 but runs 2 replicas/);
  expect((e as Error).message).toBe(`error [docker] service 'web': 'ports.publish' ${(e as UnsupportedError).diagnostic.message}`);
});

test('fails when a sidecar of a replicated service publishes a host port', () => {
  const e = constructError(
    app({
      replicas: 2,
      sidecars: [{ name: 'proxy', image: Image.fromRegistry('envoyproxy/envoy:v1.31.2'), ports: [{ port: 15001, publish: 15001 }] }],
    }),
  );
  expectUnsupported(e, 'web', 'ports.publish', /publishes host port 15001/);
});

test('fails when a grpc probe is the explicit health check, naming service and field', () => {
  const e = constructError(app({ healthcheck: Probe.grpc({ port: 8080 }) }));
  expectUnsupported(e, 'web', 'healthcheck', /a grpc probe cannot be expressed as a Docker health check; set 'healthcheck: Probe.command/);
});

test('fails to need a grpc health check when an explicit command health check is given', async () => {
  const r = await renderApplication(
    app({ readinessProbe: Probe.grpc({ port: 8080 }), healthcheck: Probe.command(['grpc_health_probe', '-addr=:8080']) }),
  );
  expect([...r.containers.values()][0].inputs.healthcheck.tests).toEqual(['CMD', 'grpc_health_probe', '-addr=:8080']);
});

test('fails when a config file lies inside a tmpfs, before registering anything', () => {
  const e = constructError(app({ configFiles: [{ mountPath: '/tmp/app/app.conf', content: 'x' }] }));
  expectUnsupported(e, 'web', 'configFiles', "puts '/tmp/app/app.conf' inside the tmpfs '/tmp'");
});

test('fails when a secret file sits directly in / of a read-only root', () => {
  const e = constructError(app({ secretFiles: [{ secretName: 'web', key: 'cert', mountPath: '/cert.pem' }] }));
  expectUnsupported(e, 'web', 'secretFiles', /directly in '\/'/);
});

test('fails when one image reference is built from a Dockerfile and also pulled', () => {
  const e = constructError(
    app(
      { image: Image.fromDockerfile(path.join(__dirname, '..', '..', 'stacks', 'my-service', 'app'), { tag: 'ghcr.io/acme/api:1.0.0' }) },
      (a) => {
        new Microservice(a, 'api', { image: Image.fromRegistry('ghcr.io/acme/api:1.0.0'), ports: [{ port: 9000 }] });
      },
    ),
  );
  expect((e as Error).message).toMatch(/image 'ghcr.io\/acme\/api:1.0.0' is also built or pulled with other settings/);
});

test('fails for a memory limit in fractions of a MiB, which the provider cannot take', () => {
  const e = constructError(app({ resources: { memory: { limit: Memory.mebibytes(256.5) } } }));
  expectUnsupported(e, 'web', 'resources.memory.limit', 'is 256.5 MiB, but the Pulumi Docker provider takes whole MiB; round it');
});

describe('warnings', () => {
  test('fails to express autoscaling: warns, logs it and runs minReplicas containers', async () => {
    const r = await renderApplication(app({ autoscaling: { minReplicas: 2, maxReplicas: 5 } }));
    const [d] = r.app.diagnostics.filter((x) => x.field === 'autoscaling');
    expect(d).toMatchObject({ level: DiagnosticLevel.WARNING, target: 'docker', service: 'web' });
    expect(d.message).toMatch(/cannot be expressed in Docker: runs a fixed 2 replica\(s\)/);
    expect(warn).toHaveBeenCalledWith(`warning [docker] service 'web': 'autoscaling' ${d.message} (docker-autoscaling)`, r.app);
    expect([...r.containers.keys()]).toEqual([`${r.app.plan.app}-web-1`, `${r.app.plan.app}-web-2`]);
  });

  test('fails to restart on a failing liveness probe: warns that it only sets the health status', async () => {
    const r = await renderApplication(app({ livenessProbe: Probe.http('/healthz') }));
    expect(r.app.diagnostics).toEqual([
      expect.objectContaining({
        field: 'livenessProbe',
        service: 'web',
        message: expect.stringMatching(/Docker does not restart an unhealthy container/),
      }),
    ]);
    expect(warn).toHaveBeenCalledTimes(1);
  });

  test('fails to create anything for zero replicas: warns', async () => {
    const r = await renderApplication(app({ replicas: 0 }));
    expect(r.app.diagnostics).toEqual([expect.objectContaining({ field: 'replicas', message: 'is 0: no container is created' })]);
    expect(r.ofType(T.container)).toEqual([]);
    expect(warn).toHaveBeenCalledTimes(1);
  });

  test('a plain service has no diagnostics and logs nothing', async () => {
    const r = await renderApplication(app({}));
    expect(r.app.diagnostics).toEqual([]);
    expect(warn).not.toHaveBeenCalled();
  });
});
