import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { toCompose, toComposeYaml, writeCompose } from '../../lib/compose';
import { Application, DiagnosticLevel, Image, Probe, UnsupportedError, ValidationError } from '../../lib/model';
import { scaled } from './fixtures';
import { httpService, IMAGE, newApp, render } from './helpers';

/** The UnsupportedError rendering `app` throws; fails the test when it does not throw one. */
function unsupported(app: Application): UnsupportedError {
  try {
    toCompose(app);
  } catch (e) {
    if (e instanceof UnsupportedError) return e;
    throw e;
  }
  throw new Error(`application '${app.name}' rendered although it cannot be expressed in compose`);
}

describe('diagnostics', () => {
  const r = render(scaled());

  test('autoscaling runs a fixed minReplicas and is reported', () => {
    expect(Object.keys(r.file.services)).toEqual(['web-1', 'web-2']);
    expect(r.diagnostics).toContainEqual({
      level: DiagnosticLevel.WARNING,
      target: 'compose',
      service: 'web',
      field: 'autoscaling',
      message: 'cannot be expressed in Docker: runs a fixed 2 replica(s) (minReplicas); scale by hand',
    });
  });

  test('a service scaled to 0 has no container and is reported', () => {
    expect(Object.keys(r.file.services).some((k) => k.startsWith('idle'))).toBe(false);
    expect(r.diagnostics).toContainEqual(
      expect.objectContaining({ service: 'idle', field: 'replicas', message: 'is 0: no container is created' }),
    );
  });

  test('a liveness probe is reported: Docker only marks the container unhealthy', () => {
    const app = newApp();
    httpService(app, 'web', { livenessProbe: Probe.http('/healthz') });
    expect(render(app).diagnostics).toEqual([
      expect.objectContaining({ service: 'web', field: 'livenessProbe', level: DiagnosticLevel.WARNING }),
    ]);
  });

  test('an application Docker expresses exactly has no diagnostics', () => {
    const app = newApp();
    httpService(app, 'web', { readinessProbe: Probe.http('/ready') });
    expect(render(app).diagnostics).toEqual([]);
  });

  test('the YAML carries every diagnostic as a comment at the top', () => {
    const text = toComposeYaml(scaled());
    const top = text.slice(0, text.indexOf('\nservices:'));
    expect(top).toContain("# warning [compose] service 'web': 'autoscaling' cannot be expressed in Docker");
    expect(top).toContain("# warning [compose] service 'idle': 'replicas' is 0: no container is created");
  });
});

describe('unsupported and invalid definitions', () => {
  test('fails for a published port on a replicated service', () => {
    const app = newApp();
    httpService(app, 'web', { replicas: 2, ports: [{ port: 8080, publish: 8080 }] });
    const e = unsupported(app);
    expect(e.diagnostic).toMatchObject({ level: DiagnosticLevel.ERROR, target: 'compose', service: 'web', field: 'ports.publish' });
    expect(e.message).toMatch(/publishes host port 8080 but runs 2 replicas/);
  });

  test('fails for a published sidecar port on a replicated service', () => {
    const app = newApp();
    httpService(app, 'web', { replicas: 2, sidecars: [{ name: 'admin', image: IMAGE, ports: [{ port: 9901, publish: 9901 }] }] });
    expect(unsupported(app).diagnostic).toMatchObject({ service: 'web', field: 'ports.publish' });
  });

  test('fails for a grpc health check', () => {
    const app = newApp();
    httpService(app, 'web', { healthcheck: Probe.grpc() });
    const e = unsupported(app);
    expect(e.diagnostic).toMatchObject({ service: 'web', field: 'healthcheck' });
    expect(e.message).toMatch(/a grpc probe cannot be expressed as a Docker health check/);
  });

  test('fails when derived volume keys of two services meet', () => {
    const app = newApp();
    httpService(app, 'a', { replicas: 2, volumes: [{ name: 'data', mountPath: '/data' }] });
    httpService(app, 'b', { volumes: [{ name: 'data-2', mountPath: '/data' }] });
    expect(unsupported(app).diagnostic).toMatchObject({ service: 'b', field: 'volumes' });
  });

  test('fails in toComposeYaml too, before any text exists', () => {
    const app = newApp();
    httpService(app, 'web', { healthcheck: Probe.grpc() });
    expect(() => toComposeYaml(app)).toThrow(UnsupportedError);
  });

  test('fails for an invalid definition with the validation error', () => {
    const app = newApp();
    httpService(app, 'web', { image: Image.fromRegistry('redis') });
    expect(() => toCompose(app)).toThrow(ValidationError);
  });

  test("fails for an asset dir outside the compose file's directory", () => {
    const app = newApp();
    httpService(app, 'web');
    for (const assetDir of ['/abs', '../up', '..', '']) {
      expect(() => toCompose(app, { assetDir })).toThrow(/compose: 'assetDir' must be a relative directory/);
    }
  });

  test('fails to write an unrenderable application and leaves the directory untouched', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'compose-fail-'));
    try {
      fs.writeFileSync(path.join(dir, 'app.compose.yaml'), 'previous');
      const app = newApp();
      httpService(app, 'web', { replicas: 2, ports: [{ port: 80, publish: 80 }] });
      expect(() => writeCompose(app, dir, 'app')).toThrow(UnsupportedError);
      expect(fs.readdirSync(dir)).toEqual(['app.compose.yaml']);
      expect(fs.readFileSync(path.join(dir, 'app.compose.yaml'), 'utf8')).toBe('previous');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
