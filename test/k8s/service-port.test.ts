/*
 * servicePort: the Kubernetes Service listens on another port than the container. Kubernetes dependents reach
 * the Service port; Docker targets have no Service in between, so their dependents reach the container port.
 */
import { Gateway, ServiceType } from '../../lib/model';
import { planDocker } from '../../lib/docker-plan';
import { toCompose } from '../../lib/compose';
import { find, httpService, newApp, synth } from './helpers';

function frontEnd() {
  const app = newApp();
  const front = httpService(app, 'front-end', {
    serviceType: ServiceType.NODE_PORT,
    ports: [{ port: 8079, name: 'http', servicePort: 80, publish: 30001 }],
  });
  httpService(app, 'shop', { dependsOn: [front] });
  new Gateway(app, 'gateway', { routes: [{ path: '/', service: front }] });
  return app;
}

describe('servicePort', () => {
  test('the Service listens on servicePort and targets the container port; the nodePort stays publish', () => {
    const { objects } = synth(frontEnd());
    expect(find(objects, 'Service', 'front-end').spec.ports).toEqual([
      { name: 'http', port: 80, targetPort: 8079, nodePort: 30001, protocol: 'TCP' },
    ]);
  });

  test('Kubernetes dependents get the Service port in <DEP>_PORT and <DEP>_URL and wait for it', () => {
    const { objects } = synth(frontEnd());
    const spec = find(objects, 'Deployment', 'shop').spec.template.spec;
    const env = Object.fromEntries(spec.containers[0].env.map((v: any) => [v.name, v.value]));
    expect(env).toMatchObject({ FRONT_END_HOST: 'front-end', FRONT_END_PORT: '80', FRONT_END_URL: 'http://front-end:80' });
    expect(spec.initContainers[0].command.join(' ')).toContain('nc -z front-end 80;');
  });

  test('NetworkPolicies and the Ingress use the pod port and the Service port respectively', () => {
    const { objects } = synth(frontEnd());
    const policy = find(objects, 'NetworkPolicy', 'front-end-ingress');
    for (const rule of policy.spec.ingress) expect(rule.ports).toEqual([{ port: 8079, protocol: 'TCP' }]);
    const ingress = find(objects, 'Ingress', 'gateway');
    expect(ingress.spec.rules[0].http.paths[0].backend.service.port).toEqual({ number: 80 });
  });

  test('Docker targets give dependents the container port; the gateway proxies to it', () => {
    const app = frontEnd();
    const plan = planDocker(app.resolve(), 'compose');
    const shop = plan.containers.find((c) => c.key === 'shop')!;
    expect(Object.fromEntries(shop.env.map((v) => [v.name, v.value]))).toMatchObject({
      FRONT_END_PORT: '8079',
      FRONT_END_URL: 'http://front-end:8079',
    });
    expect(shop.env.some((v) => 'dockerValue' in v)).toBe(false);
    const compose = toCompose(app).file;
    expect(compose.services.shop.environment).toMatchObject({ FRONT_END_PORT: '8079', FRONT_END_URL: 'http://front-end:8079' });
    expect(compose.services['front-end'].ports).toEqual([expect.stringMatching(/^([\d.]+:)?30001:8079\/tcp$/)]);
  });

  test('without servicePort nothing changes: Service port = container port, no Docker override', () => {
    const app = newApp();
    const db = httpService(app, 'db', { ports: [{ port: 5432 }] });
    httpService(app, 'api', { dependsOn: [db] });
    const api = app.resolve().services.find((s) => s.name === 'api')!;
    expect(api.env.find((v) => v.name === 'DB_PORT')).toEqual({ name: 'DB_PORT', source: 'value', value: '5432' });
  });
});
