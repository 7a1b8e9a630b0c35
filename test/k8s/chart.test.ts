import { App, JsonPatch, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { ApplicationChart } from '../../lib/k8s';
import { Gateway, Microservice, RestartPolicy, UnsupportedError, ValidationError } from '../../lib/model';
import { find, httpService, IMAGE, newApp, synth, worker } from './helpers';
import { objectErrors, validateObjects } from './validate-k8s';

describe('escape hatches', () => {
  test('workloadOf returns the cdk8s-plus workload, serviceOf the Service, and patches reach the output', () => {
    const app = newApp();
    httpService(app, 'web', { replicas: 2 });
    httpService(app, 'db', { replicas: 2, volumes: [{ name: 'data', mountPath: '/data' }] });
    worker(app, 'job', { restartPolicy: RestartPolicy.ON_FAILURE });
    const chart = new ApplicationChart(Testing.app(), 'c', { application: app });
    expect(chart.workloadOf('web')).toBeInstanceOf(kplus.Deployment);
    expect(chart.workloadOf('db')).toBeInstanceOf(kplus.StatefulSet);
    expect(chart.workloadOf('job')).toBeInstanceOf(kplus.Job);
    chart.workloadOf('web').podMetadata.addAnnotation('sidecar.istio.io/inject', 'false');
    chart.serviceOf('web').metadata.addAnnotation('cloud.example.com/lb', 'internal');
    chart.serviceOf('web').addJsonPatch(JsonPatch.add('/spec/sessionAffinity', 'ClientIP'));
    const objects = Testing.synth(chart);
    validateObjects(objects);
    expect(find(objects, 'Deployment', 'web').spec.template.metadata.annotations).toEqual({
      'sidecar.istio.io/inject': 'false',
    });
    expect(find(objects, 'Service', 'web').metadata.annotations).toEqual({ 'cloud.example.com/lb': 'internal' });
    expect(find(objects, 'Service', 'web').spec.sessionAffinity).toBe('ClientIP');
  });

  test('the chart exposes the resolved model, the Ingress and the NetworkPolicies', () => {
    const app = newApp();
    httpService(app, 'web');
    const { chart } = synth(app);
    expect(chart.model.services.map((s) => s.name)).toEqual(['web']);
    expect(chart.ingress).toBeUndefined();
    expect(chart.networkPolicies.map((p) => p.name)).toEqual(['app-default-deny', 'web-egress']);
  });

  test('the Ingress is an ApiObject a user can patch', () => {
    const app = newApp();
    new Gateway(app, 'gateway', { routes: [{ path: '/', service: httpService(app, 'web') }] });
    const chart = new ApplicationChart(Testing.app(), 'c', { application: app });
    chart.ingress!.metadata.addAnnotation('nginx.ingress.kubernetes.io/proxy-body-size', '8m');
    chart.ingress!.addJsonPatch(JsonPatch.add('/spec/tls', [{ hosts: ['shop.example.com'], secretName: 'tls' }]));
    const ingress = find(Testing.synth(chart), 'Ingress', 'gateway');
    expect(ingress.metadata.annotations).toEqual({ 'nginx.ingress.kubernetes.io/proxy-body-size': '8m' });
    expect(ingress.spec.tls).toEqual([{ hosts: ['shop.example.com'], secretName: 'tls' }]);
    expect(ingress.spec.rules[0].http.paths[0].backend.service).toEqual({ name: 'web', port: { number: 8080 } });
  });

  test('fails for a service the application does not have', () => {
    const app = newApp();
    httpService(app, 'web');
    const { chart } = synth(app);
    expect(() => chart.workloadOf('wbe')).toThrow("application 'app' has no service 'wbe' (services: web)");
    expect(() => chart.serviceOf('wbe')).toThrow("has no service 'wbe'");
  });

  test('fails to return the Service of a service without ports', () => {
    const app = newApp();
    worker(app, 'worker');
    expect(() => synth(app).chart.serviceOf('worker')).toThrow("service 'worker' declares no ports, so it has no Kubernetes Service");
  });
});

describe('object order', () => {
  const kindsAndNames = (objects: any[]) => objects.filter((o) => o.kind === 'Deployment').map((o) => o.metadata.name);

  test('objects come in creation order: dependencies before dependents', () => {
    const app = newApp();
    const db = httpService(app, 'db');
    httpService(app, 'web', { dependsOn: [db] });
    expect(kindsAndNames(Testing.synth(new ApplicationChart(Testing.app(), 'c', { application: app })))).toEqual(['db', 'web']);
  });

  test("a dependency added through the escape hatch reorders the objects as cdk8s's own synth does", () => {
    const app = newApp();
    httpService(app, 'a');
    httpService(app, 'b');
    const chart = new ApplicationChart(Testing.app(), 'c', { application: app });
    chart.workloadOf('a').node.addDependency(chart.workloadOf('b'));
    expect(kindsAndNames(chart.toJson())).toEqual(['b', 'a']);
  });

  test('fails like cdk8s when a construct of the chart does not validate', () => {
    const app = newApp();
    httpService(app, 'a');
    const chart = new ApplicationChart(Testing.app(), 'c', { application: app });
    chart.workloadOf('a').node.addValidation({ validate: () => ['not today'] });
    expect(() => chart.toJson()).toThrow(/Validation failed with the following errors:\n {2}\[c\/a\/Deployment\] not today/);
  });
});

describe('invalid input', () => {
  test('fails before the chart joins the cdk8s app when the application is invalid', () => {
    const app = newApp();
    new Microservice(app, 'web', { image: IMAGE, ports: [{ port: 70000 }] });
    const cdk8sApp = new App();
    expect(() => new ApplicationChart(cdk8sApp, 'c', { application: app })).toThrow(ValidationError);
    expect(() => new ApplicationChart(cdk8sApp, 'c', { application: app })).toThrow(
      "'ports[0].port' must be an integer in 1..65535, got 70000",
    );
    expect(cdk8sApp.node.children).toHaveLength(0);
  });
});

describe('the validator the tests rely on', () => {
  const deployment = () => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', labels: { a: 'b' } },
    spec: {
      selector: { matchLabels: { a: 'b' } },
      template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } },
    },
  });

  test('accepts a valid object', () => {
    expect(objectErrors(deployment())).toEqual([]);
  });

  test('fails on an unknown kind', () => {
    expect(objectErrors({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'x' } })).toEqual(['unknown kind v1/Secret']);
    expect(() => validateObjects([{ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'x' } }])).toThrow('unknown kind');
  });

  test('fails on a schema error', () => {
    const d = deployment();
    (d.spec as any).replicas = '3';
    expect(objectErrors(d).join()).toContain('schema: data/spec/replicas must be integer');
  });

  test('fails on what the API server rejects beyond the schema', () => {
    const d: any = deployment();
    d.metadata.name = 'Web_1';
    d.spec.selector.matchLabels.x = 'y';
    d.spec.template.spec.containers.push({ name: 'web', image: 'i', volumeMounts: [{ name: 'nope', mountPath: '/x' }] });
    expect(objectErrors(d)).toEqual([
      'invalid name "Web_1"',
      'selector x=y does not match the pod template labels',
      'duplicate container name "web"',
      'container web mounts unknown volume nope',
    ]);
  });

  test('fails on an object rendered twice', () => {
    expect(() => validateObjects([deployment(), deployment()])).toThrow("Deployment 'web': rendered twice");
  });
});

describe('Kubernetes name clashes', () => {
  test('fails when a service is named like the headless Service of a StatefulSet', () => {
    const app = newApp();
    httpService(app, 'db', { replicas: 2, volumes: [{ name: 'data', mountPath: '/data' }] });
    httpService(app, 'db-headless');
    const cdk8sApp = new App();
    expect(() => new ApplicationChart(cdk8sApp, 'c', { application: app })).toThrow(UnsupportedError);
    expect(() => new ApplicationChart(cdk8sApp, 'c', { application: app })).toThrow(
      "error [kubernetes] service 'db-headless': 'name' clashes with the headless Service 'db-headless' of StatefulSet 'db'; " +
        'rename the service',
    );
    expect(cdk8sApp.node.children).toHaveLength(0);
  });

  test('fails when a sidecar is named like a wait-for init container', () => {
    const app = newApp();
    const redis = httpService(app, 'redis');
    httpService(app, 'web', { dependsOn: [redis], sidecars: [{ name: 'wait-for-redis', image: IMAGE }] });
    expect(() => synth(app)).toThrow(
      "service 'web': 'sidecars[wait-for-redis].name' clashes with the init container that waits for 'redis'",
    );
  });

  test('a single-replica service may be named like a headless Service, since none is rendered', () => {
    const app = newApp();
    httpService(app, 'db', { volumes: [{ name: 'data', mountPath: '/data' }] });
    httpService(app, 'db-headless');
    expect(() => synth(app)).not.toThrow();
  });
});
