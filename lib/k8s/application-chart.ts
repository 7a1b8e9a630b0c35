import { ApiObject, App, Chart, ChartProps } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { Application, Diagnostic, ResolvedApplication, UnsupportedError } from '../model';
import { appConfigMap } from './config-maps';
import { kubernetesDiagnostics, kubernetesNameClashes } from './diagnostics';
import { createIngress } from './ingress';
import { createMetricsServices, kubernetesService } from './monitoring';
import { MicroserviceObjects, renderMicroservice } from './microservice-objects';
import { createNetworkPolicies } from './network-policies';
import { References } from './references';
import { toServerForm } from './server-form';
import { ServiceWorkload } from './workload';

/** The Pod Security Admission label of a Namespace. */
export const POD_SECURITY_ENFORCE_LABEL = 'pod-security.kubernetes.io/enforce';

/**
 * Properties of an {@link ApplicationChart}. The chart's own `namespace` and `labels` apply as in any cdk8s
 * Chart; the application's namespace, when set, wins on every object.
 */
export interface ApplicationChartProps extends ChartProps {
  /** The application to render. It is validated and resolved here, before any object is created. */
  readonly application: Application;
}

/**
 * A cdk8s Chart rendering one {@link Application}: the application's Namespace when it names one (first, so
 * `kubectl apply` creates it before what goes in it); per service a Deployment, StatefulSet or Job, a Service named
 * after it, ConfigMaps, PersistentVolumeClaims and an HorizontalPodAutoscaler as needed; an Ingress for the
 * gateway; NetworkPolicies from the dependency graph.
 *
 * The objects come out in the form the API server stores them (no zero values it drops, canonical quantities),
 * so applying unchanged output again changes nothing.
 *
 * Prometheus scraping: metrics endpoints get `prometheus.io/*` pod annotations; the application's Monitoring (its
 * Prometheus) or its `monitoringNamespace` is let through the default-deny NetworkPolicy to exactly the metrics
 * ports. With neither, nothing may scrape (reported in `diagnostics`).
 */
export class ApplicationChart extends Chart {
  /** The resolved model this chart renders. */
  public readonly model: ResolvedApplication;
  /** What Kubernetes cannot express exactly (target 'kubernetes'), in model order. */
  public readonly diagnostics: Diagnostic[];
  /** The gateway's Ingress, when the application has a gateway with routes. */
  public readonly ingress?: ApiObject;
  /** The headless `<service>-metrics` Service of each service the application's Monitoring scrapes. */
  public readonly metricsServices: ApiObject[];
  /**
   * The NetworkPolicies as plain ApiObjects (patch them with `addJsonPatch`): the default-deny policy, then each
   * service's allow (ingress) policy, its egress policy and its metrics policy.
   */
  public readonly networkPolicies: ApiObject[];
  /** The Namespace object, when the application names a namespace. */
  public readonly namespaceObject?: kplus.k8s.KubeNamespace;
  private readonly objects: ReadonlyMap<string, MicroserviceObjects>;

  constructor(scope: Construct, id: string, props: ApplicationChartProps) {
    const { application, ...chartProps } = props;
    // Resolve and check first: an invalid application throws before the chart joins the cdk8s app.
    const model = application.resolve();
    const clash = kubernetesNameClashes(model)[0];
    if (clash) throw new UnsupportedError(clash);
    super(scope, id, chartProps);
    this.model = model;
    this.diagnostics = kubernetesDiagnostics(model);
    if (model.namespace && model.createNamespace) {
      this.namespaceObject = new kplus.k8s.KubeNamespace(this, 'Namespace', {
        metadata: { name: model.namespace, labels: { ...model.labels, [POD_SECURITY_ENFORCE_LABEL]: model.podSecurity } },
      });
    }
    const refs = new References(this, appConfigMap(this, model));
    // One scope per service, named after it; the chart's other ids are capitalised, so they cannot clash.
    this.objects = new Map(
      model.services.map((svc) => [
        svc.name,
        renderMicroservice(new Construct(this, svc.name), kubernetesService(svc, model), model, refs),
      ]),
    );
    this.metricsServices = createMetricsServices(this, model);
    this.ingress = model.gateway && createIngress(this, model.gateway, model);
    this.networkPolicies = createNetworkPolicies(this, model);
  }

  /**
   * The chart's objects in the form the API server stores them; the Namespace is cluster-scoped, so it carries
   * no namespace even when the chart's props give one. Each object is a fresh tree: no array or object occurs in
   * two places (the server form copies every one).
   */
  public toJson(): any[] {
    return this.synthObjects((o: any) => {
      const obj = toServerForm(o);
      if (obj.kind === 'Namespace' && obj.apiVersion === 'v1') delete obj.metadata.namespace;
      return obj;
    });
  }

  /**
   * What cdk8s's `Chart.toJson()` returns. cdk8s orders objects by a dependency graph of every construct (a
   * quarter of a large synth); when this is the app's only chart and no construct declares a dependency, that
   * order is creation order, so the graph is skipped. The constructs are validated as cdk8s does.
   */
  private synthObjects(serverForm: (o: any) => any): any[] {
    const all = App.of(this).node.findAll();
    if (all.some((c) => (c !== this && Chart.isChart(c)) || c.node.dependencies.length > 0)) return super.toJson().map(serverForm);
    const errors = all.flatMap((c) => c.node.validate().map((e) => `[${c.node.path}] ${e}`));
    if (errors.length > 0) throw new Error(`Validation failed with the following errors:\n  ${errors.join('\n  ')}`);
    // Each object's cdk8s form dies young: converted one by one, not as a second copy of the whole chart.
    return all.filter((c): c is ApiObject => ApiObject.isApiObject(c)).map((o) => serverForm(o.toJson()));
  }

  /** The workload (Deployment, StatefulSet or Job) of `service`, to patch what the model does not cover. */
  public workloadOf(service: string): ServiceWorkload {
    return this.objectsOf(service).workload;
  }

  /** The Service named after `service`; throws when the service has no ports (and so no Service). */
  public serviceOf(service: string): ApiObject {
    const svc = this.objectsOf(service).service;
    if (!svc) throw new Error(`service '${service}' declares no ports, so it has no Kubernetes Service`);
    return svc;
  }

  private objectsOf(service: string): MicroserviceObjects {
    const o = this.objects.get(service);
    if (!o)
      throw new Error(`application '${this.model.name}' has no service '${service}' (services: ${[...this.objects.keys()].join(', ')})`);
    return o;
  }
}
