/* Mutators like cdk8s-plus's: addEnv, addPort, addVolume, addConfigFile on Microservice, rejecting duplicates. */
import { Testing } from 'cdk8s';
import { toCompose } from '../../lib/compose';
import { ApplicationChart } from '../../lib/k8s';
import { EnvValue } from '../../lib/model';
import { httpService, newApp } from './helpers';

describe('mutators', () => {
  test('what they add is resolved like props, in every target', () => {
    const app = newApp();
    const web = httpService(app, 'web', { env: { A: EnvValue.fromValue('1') } });
    web.addEnv('B', EnvValue.fromValue('2'));
    web.addPort({ port: 9090, name: 'metrics' });
    web.addVolume({ name: 'cache', mountPath: '/var/cache/web', scratch: true });
    web.addConfigFile({ mountPath: '/etc/web/web.conf', content: 'a=1\n' });
    const s = app.resolve().services[0];
    expect(s.env.map((v) => v.name)).toEqual(['A', 'B']);
    expect(s.ports.map((p) => p.port)).toEqual([8080, 9090]);
    expect(s.volumes.map((v) => v.mountPath)).toEqual(['/var/cache/web']);
    expect(s.configFiles.map((f) => f.mountPath)).toEqual(['/etc/web/web.conf']);
    const objects = Testing.synth(new ApplicationChart(Testing.app(), 'c', { application: app }));
    const svc = objects.find((o: any) => o.kind === 'Service');
    expect(svc.spec.ports.map((p: any) => p.port)).toEqual([8080, 9090]);
    expect(toCompose(app).file.services.web.environment).toMatchObject({ A: '1', B: '2' });
  });

  test('fails on duplicates, naming the service and field', () => {
    const app = newApp();
    const web = httpService(app, 'web', {
      env: { A: EnvValue.fromValue('1') },
      volumes: [{ name: 'data', mountPath: '/data' }],
      configFiles: [{ mountPath: '/etc/a', content: 'x' }],
    });
    expect(() => web.addEnv('A', EnvValue.fromValue('2'))).toThrow(`service 'web': 'env' sets "A" already`);
    expect(() => web.addPort({ port: 8080 })).toThrow(`service 'web': 'ports' declares port 8080 already`);
    expect(() => web.addPort({ port: 8081, name: 'http' })).toThrow(`service 'web': 'ports' declares port name "http" already`);
    expect(() => web.addVolume({ name: 'data', mountPath: '/other' })).toThrow(`service 'web': 'volumes' has volume "data" already`);
    expect(() => web.addVolume({ name: 'other', mountPath: '/data' })).toThrow(`service 'web': 'volumes' has mount path "/data" already`);
    expect(() => web.addConfigFile({ mountPath: '/etc/a', content: 'y' })).toThrow(`service 'web': 'configFiles' mounts "/etc/a" already`);
    web.addEnv('B', EnvValue.fromValue('2'));
    expect(() => web.addEnv('B', EnvValue.fromValue('3'))).toThrow(`service 'web': 'env' sets "B" already`);
  });

  test('fails after the application is locked for synthesis', () => {
    const app = newApp();
    const web = httpService(app, 'web');
    app.node.lock();
    expect(() => web.addEnv('A', EnvValue.fromValue('1'))).toThrow(
      `service 'web': 'env' cannot change after the application is locked for synthesis`,
    );
  });
});
