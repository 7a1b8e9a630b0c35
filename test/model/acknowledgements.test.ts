/* Warnings with stable ids, acknowledged per application or per service with the reason kept in the code. */
import { Testing } from 'cdk8s';
import { planDocker } from '../../lib/docker-plan';
import { ApplicationChart } from '../../lib/k8s';
import { DiagnosticLevel, formatDiagnostic, ServiceType } from '../../lib/model';
import { httpService, newApp } from './helpers';

function exposed() {
  const app = newApp();
  const web = httpService(app, 'web', { serviceType: ServiceType.LOAD_BALANCER, autoscaling: { minReplicas: 2, maxReplicas: 4 } });
  const api = httpService(app, 'api', { serviceType: ServiceType.LOAD_BALANCER });
  return { app, web, api };
}
const k8s = (app: ReturnType<typeof newApp>) => new ApplicationChart(Testing.app(), 'c', { application: app }).diagnostics;

describe('acknowledgements', () => {
  test('every warning ends with its stable id: target family and field', () => {
    const { app } = exposed();
    const [d] = k8s(app);
    expect(formatDiagnostic(d)).toBe(`warning [kubernetes] service 'web': 'ingressFrom' ${d.message} (k8s-ingressFrom)`);
    const docker = planDocker(app.resolve(), 'compose').diagnostics.find((x) => x.field === 'autoscaling')!;
    expect(formatDiagnostic(docker)).toMatch(/ \(docker-autoscaling\)$/);
    // Errors have no id: they cannot be acknowledged.
    expect(formatDiagnostic({ ...docker, level: DiagnosticLevel.ERROR })).not.toMatch(/\(docker-autoscaling\)$/);
  });

  test('app.acknowledge silences a warning for every service; service.acknowledge for that service only', () => {
    const { app, web } = exposed();
    web.acknowledge('k8s-ingressFrom', 'the shop front is public by design');
    expect(k8s(app).map((d) => `${d.service} ${d.field}`)).toEqual(['api ingressFrom']);
    app.acknowledge('k8s-ingressFrom', 'every LoadBalancer here is public');
    app.acknowledge('docker-autoscaling', 'compose runs the minimum, which is enough locally');
    expect(k8s(app)).toEqual([]);
    expect(planDocker(app.resolve(), 'compose').diagnostics).toEqual([]);
    expect(app.resolve().acknowledgements).toEqual([
      { id: 'k8s-ingressFrom', reason: 'every LoadBalancer here is public' },
      { id: 'docker-autoscaling', reason: 'compose runs the minimum, which is enough locally' },
      { id: 'k8s-ingressFrom', reason: 'the shop front is public by design', service: 'web' },
    ]);
  });

  test('fails: an id of another form, and no reason', () => {
    const { app, web } = exposed();
    expect(() => app.acknowledge('ingressFrom', 'x')).toThrow(
      `application 'app': 'acknowledge' id must look like 'k8s-<field>' or 'docker-<field>' (shown in the warning), got "ingressFrom"`,
    );
    expect(() => web.acknowledge('k8s-ingressFrom', ' ')).toThrow(
      `service 'web': 'acknowledge' of 'k8s-ingressFrom' needs the reason the warning may stand, got " "`,
    );
  });
});
