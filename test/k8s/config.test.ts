import { EnvValue } from '../../lib/model';
import { all, container, find, httpService, newApp, podSpec, synth, volumeAt } from './helpers';

describe('config files', () => {
  test('one ConfigMap per service, each file mounted read-only by subPath', () => {
    const app = newApp({ namespace: 'ns' });
    httpService(app, 'web', {
      configFiles: [
        { mountPath: '/etc/nginx/conf.d/default.conf', content: 'server {}\n' },
        { mountPath: '/etc/app/default.conf', content: 'a=1\n' },
      ],
    });
    const { objects } = synth(app);
    const cm = find(objects, 'ConfigMap', 'web-files');
    expect(cm.metadata.namespace).toBe('ns');
    expect(cm.data).toEqual({ 'web-1': 'server {}\n', 'web-2': 'a=1\n' });
    const d = find(objects, 'Deployment', 'web');
    const first = volumeAt(d, '/etc/nginx/conf.d/default.conf');
    expect(first.mount).toEqual({ name: first.mount.name, mountPath: '/etc/nginx/conf.d/default.conf', subPath: 'web-1', readOnly: true });
    expect(first.volume).toEqual({ name: first.mount.name, configMap: { name: 'web-files' } });
    expect(volumeAt(d, '/etc/app/default.conf').mount.subPath).toBe('web-2');
  });

  test('no config, no ConfigMap', () => {
    const app = newApp();
    httpService(app, 'web');
    expect(all(synth(app).objects, 'ConfigMap')).toHaveLength(0);
  });

  test('the application ConfigMap holds the shared config even before a service reads it', () => {
    const app = newApp({ config: { CURRENCY: 'EUR', 'log.level': 'info' } }, 'shop');
    httpService(app, 'web', { env: { CURRENCY: EnvValue.fromConfig('CURRENCY') } });
    const cm = find(synth(app).objects, 'ConfigMap', 'shop-config');
    expect(cm.data).toEqual({ CURRENCY: 'EUR', 'log.level': 'info' });
    expect(cm.metadata.labels).toEqual({ 'app.kubernetes.io/part-of': 'shop', 'app.kubernetes.io/managed-by': 'microservice-constructs' });
  });
});

describe('secrets', () => {
  test('secret files mount one secret volume per secret with key->path items, by subPath, read-only', () => {
    const app = newApp();
    httpService(app, 'payments', {
      secretFiles: [
        { secretName: 'payments-psp', key: 'webhook-cert', mountPath: '/etc/payments/webhook.pem' },
        { secretName: 'payments-psp', key: 'api.key', mountPath: '/etc/payments/api.key' },
        { secretName: 'tls.example.com', key: 'tls.crt', mountPath: '/etc/tls/tls.crt' },
      ],
    });
    const d = find(synth(app).objects, 'Deployment', 'payments');
    const cert = volumeAt(d, '/etc/payments/webhook.pem');
    expect(cert.mount).toEqual(expect.objectContaining({ subPath: 'webhook-cert', readOnly: true }));
    expect(cert.volume.secret).toEqual({
      secretName: 'payments-psp',
      items: [
        { key: 'api.key', path: 'api.key' },
        { key: 'webhook-cert', path: 'webhook-cert' },
      ],
    });
    expect(volumeAt(d, '/etc/payments/api.key').mount).toEqual(expect.objectContaining({ name: cert.mount.name, subPath: 'api.key' }));
    const tls = volumeAt(d, '/etc/tls/tls.crt');
    expect(tls.mount.name).toBe('secret-tls-example-com');
    expect(tls.volume.secret.secretName).toBe('tls.example.com');
    expect(podSpec(d).volumes.filter((v: any) => v.secret)).toHaveLength(2);
  });

  test('no Secret object and no secret value is ever rendered, only references', () => {
    const app = newApp();
    httpService(app, 'web', {
      env: { DB_PASSWORD: EnvValue.fromSecret('db', 'password') },
      secretFiles: [{ secretName: 'db', key: 'password', mountPath: '/run/secrets/db' }],
    });
    const { objects } = synth(app);
    expect(all(objects, 'Secret')).toHaveLength(0);
    expect(container(find(objects, 'Deployment', 'web')).env[0]).toEqual({
      name: 'DB_PASSWORD',
      valueFrom: { secretKeyRef: { name: 'db', key: 'password' } },
    });
  });
});
