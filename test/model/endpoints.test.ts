/*
 * EnvValue.fromEndpoint: a dependency's address in the variable name the app reads, right in every target, and
 * an implied dependency.
 */
import { toCompose } from '../../lib/compose';
import { planDocker } from '../../lib/docker-plan';
import { EndpointForm, EnvValue, ServiceType } from '../../lib/model';
import { find, synth } from '../k8s/helpers';
import { httpService, IMAGE, newApp, validationErrors } from './helpers';

function shop() {
  const app = newApp();
  const catalog = httpService(app, 'catalog', {
    ports: [
      { port: 3550, name: 'grpc' },
      { port: 8080, name: 'http', servicePort: 80 },
    ],
  });
  const frontend = httpService(app, 'frontend', {
    env: {
      PRODUCT_CATALOG_SERVICE_ADDR: EnvValue.fromEndpoint(catalog),
      CATALOG_HOST: EnvValue.fromEndpoint(catalog, { form: EndpointForm.HOST }),
      CATALOG_HTTP_PORT: EnvValue.fromEndpoint(catalog, { port: 'http', form: EndpointForm.PORT }),
      UPSTREAM_URL: EnvValue.fromEndpoint(catalog, { port: 8080, form: EndpointForm.URL }),
    },
    serviceType: ServiceType.CLUSTER_IP,
  });
  return { app, catalog, frontend };
}

describe('EnvValue.fromEndpoint', () => {
  test('gives host:port of the first port by default, and the forms host, port and url', () => {
    const frontend = shop()
      .app.resolve()
      .services.find((s) => s.name === 'frontend')!;
    const env = Object.fromEntries(frontend.env.map((v) => [v.name, v.value]));
    expect(env).toMatchObject({
      PRODUCT_CATALOG_SERVICE_ADDR: 'catalog:3550',
      CATALOG_HOST: 'catalog',
      CATALOG_HTTP_PORT: '80',
      UPSTREAM_URL: 'http://catalog:80',
    });
  });

  test('implies the dependency: start order, wait init container, discovery variables, NetworkPolicy', () => {
    const { app, frontend } = shop();
    expect(frontend.dependsOn.map((d) => d.service.serviceName)).toEqual(['catalog']);
    const resolved = app.resolve();
    expect(resolved.services.map((s) => s.name)).toEqual(['catalog', 'frontend']);
    // CATALOG_HOST is the user's own address of the same dependency: it replaces the injected one.
    expect(resolved.services[1].env.filter((v) => v.name === 'CATALOG_HOST')).toHaveLength(1);
    const { objects } = synth(app);
    const spec = find(objects, 'Deployment', 'frontend').spec.template.spec;
    expect(spec.initContainers.map((c: any) => c.name)).toEqual(['wait-for-catalog']);
    expect(
      find(objects, 'NetworkPolicy', 'catalog-ingress').spec.ingress[0].from[0].podSelector.matchLabels['app.kubernetes.io/name'],
    ).toBe('frontend');
  });

  test('in Kubernetes the Service port, in Docker targets the container port', () => {
    const { app } = shop();
    const { objects } = synth(app);
    const env = Object.fromEntries(
      find(objects, 'Deployment', 'frontend').spec.template.spec.containers[0].env.map((v: any) => [v.name, v.value]),
    );
    expect(env).toMatchObject({ CATALOG_HTTP_PORT: '80', UPSTREAM_URL: 'http://catalog:80' });
    const docker = planDocker(app.resolve(), 'docker').containers.find((c) => c.key === 'frontend')!;
    expect(Object.fromEntries(docker.env.map((v) => [v.name, v.value]))).toMatchObject({
      CATALOG_HTTP_PORT: '8080',
      UPSTREAM_URL: 'http://catalog:8080',
    });
    expect(toCompose(app).file.services.frontend.environment).toMatchObject({
      PRODUCT_CATALOG_SERVICE_ADDR: 'catalog:3550',
      UPSTREAM_URL: 'http://catalog:8080',
    });
  });

  test('a sidecar variable implies the dependency of its service', () => {
    const app = newApp();
    const db = httpService(app, 'db', { ports: [{ port: 5432 }] });
    const web = httpService(app, 'web', {
      sidecars: [{ name: 'exporter', image: IMAGE, env: { DATA_SOURCE: EnvValue.fromEndpoint(db) } }],
    });
    expect(web.dependsOn.map((d) => d.service)).toEqual([db]);
    expect(app.resolve().services[1].sidecars[0].env).toEqual([{ name: 'DATA_SOURCE', source: 'value', value: 'db:5432' }]);
  });

  test('fails: unknown port, url without scheme, the service itself, an unknown form and an unknown option', () => {
    const app = newApp();
    const db = httpService(app, 'db', { ports: [{ port: 5432 }] });
    const web = httpService(app, 'web', {
      env: {
        A: EnvValue.fromEndpoint(db, { port: 'pg' }),
        B: EnvValue.fromEndpoint(db, { form: EndpointForm.URL }),
        D: EnvValue.fromEndpoint(db, { form: 'hostport' as EndpointForm }),
        E: EnvValue.fromEndpoint(db, { scheme: 'http' } as never),
      },
    });
    httpService(app, 'self', { env: { C: EnvValue.fromEndpoint(web) } });
    expect(validationErrors(app)).toEqual([
      `service 'web': 'env.A' refers to port "pg" of 'db' which declares ports ["port-5432 (5432)"]`,
      `service 'web': 'env.B' asks for a url but port 5432 of 'db' has no appProtocol (its scheme); set 'appProtocol' on the port ` +
        `or use form hostPort`,
      `service 'web': 'env.D' form must be one of host, port, hostPort, url, got "hostport"`,
      `service 'web': unknown option 'scheme' in 'env.E' (known: port, form)`,
    ]);
    const self = newApp();
    const lone = httpService(self, 'api', { env: {} });
    (lone.props.env as Record<string, EnvValue>).SELF = EnvValue.fromEndpoint(lone);
    expect(validationErrors(self)).toEqual([`service 'api': 'env.SELF' refers to the service itself`]);
  });
});
