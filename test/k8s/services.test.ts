import { Gateway, Protocol, ServiceType } from '../../lib/model';
import { all, find, httpService, newApp, synth, worker } from './helpers';

describe('Service', () => {
  test('a ClusterIP Service named exactly after the microservice, selecting its pods, port = container port', () => {
    const app = newApp();
    httpService(app, 'redis', { ports: [{ port: 6379 }, { port: 9121, name: 'metrics' }] });
    const svc = find(synth(app).objects, 'Service', 'redis');
    expect(svc.spec.type).toBe('ClusterIP');
    expect(svc.spec.selector).toEqual({ 'app.kubernetes.io/name': 'redis', 'app.kubernetes.io/part-of': 'app' });
    expect(svc.spec.ports).toEqual([
      { name: 'port-6379', port: 6379, targetPort: 6379, protocol: 'TCP' },
      { name: 'metrics', port: 9121, targetPort: 9121, protocol: 'TCP' },
    ]);
  });

  test('a service without ports has no Service', () => {
    const app = newApp();
    worker(app, 'worker');
    expect(all(synth(app).objects, 'Service')).toHaveLength(0);
  });

  test('NodePort uses publish as the nodePort; ports without publish get one assigned', () => {
    const app = newApp();
    httpService(app, 'web', { serviceType: ServiceType.NODE_PORT, ports: [{ port: 8080, name: 'http', publish: 30080 }, { port: 9090 }] });
    const svc = find(synth(app).objects, 'Service', 'web');
    expect(svc.spec.type).toBe('NodePort');
    expect(svc.spec.ports[0]).toEqual({ name: 'http', port: 8080, targetPort: 8080, nodePort: 30080, protocol: 'TCP' });
    expect(svc.spec.ports[1]).not.toHaveProperty('nodePort');
  });

  test('NodePort: one nodePort for TCP and UDP of one port number (DNS), as Kubernetes allocates it', () => {
    const app = newApp();
    httpService(app, 'dns', {
      serviceType: ServiceType.NODE_PORT,
      ports: [
        { port: 53, publish: 30053 },
        { port: 53, protocol: Protocol.UDP, publish: 30053 },
      ],
    });
    expect(find(synth(app).objects, 'Service', 'dns').spec.ports).toEqual([
      { name: 'port-53', port: 53, targetPort: 53, nodePort: 30053, protocol: 'TCP' },
      { name: 'port-53-udp', port: 53, targetPort: 53, nodePort: 30053, protocol: 'UDP' },
    ]);
  });

  test('LoadBalancer keeps the container port as the Service port', () => {
    const app = newApp();
    httpService(app, 'web', { serviceType: ServiceType.LOAD_BALANCER });
    const svc = find(synth(app).objects, 'Service', 'web');
    expect(svc.spec.type).toBe('LoadBalancer');
    expect(svc.spec.ports).toEqual([{ name: 'http', port: 8080, targetPort: 8080, protocol: 'TCP' }]);
  });

  test('a ClusterIP service with publish gets no nodePort', () => {
    const app = newApp();
    httpService(app, 'web', { ports: [{ port: 5000, publish: 5000 }] });
    const svc = find(synth(app).objects, 'Service', 'web');
    expect(svc.spec.type).toBe('ClusterIP');
    expect(svc.spec.ports[0]).not.toHaveProperty('nodePort');
  });
});

describe('Ingress', () => {
  test('the gateway is a networking.k8s.io/v1 Ingress with Prefix paths, host and ingressClassName', () => {
    const app = newApp({ namespace: 'shop' });
    const users = httpService(app, 'users');
    const orders = httpService(app, 'orders', {
      ports: [
        { port: 8080, name: 'http' },
        { port: 9090, name: 'admin' },
      ],
    });
    new Gateway(app, 'gateway', {
      host: 'shop.example.com',
      ingressClassName: 'nginx',
      routes: [
        { path: '/api/users', service: users },
        { path: '/admin', service: orders, port: 9090 },
      ],
    });
    const ing = find(synth(app).objects, 'Ingress', 'gateway');
    expect(ing.apiVersion).toBe('networking.k8s.io/v1');
    expect(ing.metadata.namespace).toBe('shop');
    expect(ing.metadata.labels).toEqual(
      expect.objectContaining({ 'app.kubernetes.io/component': 'gateway', 'app.kubernetes.io/part-of': 'app' }),
    );
    expect(ing.spec.ingressClassName).toBe('nginx');
    expect(ing.spec.rules).toHaveLength(1);
    expect(ing.spec.rules[0].host).toBe('shop.example.com');
    const paths = Object.fromEntries(ing.spec.rules[0].http.paths.map((p: any) => [p.path, p]));
    expect(paths['/api/users']).toEqual({
      path: '/api/users',
      pathType: 'Prefix',
      backend: { service: { name: 'users', port: { number: 8080 } } },
    });
    expect(paths['/admin'].backend.service).toEqual({ name: 'orders', port: { number: 9090 } });
    // Sorted by path, as cdk8s-plus writes them: the order of the routes does not show in the output.
    expect(ing.spec.rules[0].http.paths.map((p: any) => p.path)).toEqual(['/admin', '/api/users']);
  });

  test('without a host the rule matches any host; without a class the cluster default is used', () => {
    const app = newApp();
    const web = httpService(app, 'web');
    new Gateway(app, 'api', { routes: [{ path: '/', service: web }] });
    const ing = find(synth(app).objects, 'Ingress', 'api');
    expect(ing.spec.rules[0]).not.toHaveProperty('host');
    expect(ing.spec).not.toHaveProperty('ingressClassName');
  });

  test('no gateway, no Ingress', () => {
    const app = newApp();
    httpService(app, 'web');
    expect(all(synth(app).objects, 'Ingress')).toHaveLength(0);
  });
});
