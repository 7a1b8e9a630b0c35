import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { ResolvedApplication, ResolvedService } from '../model';
import { objectMetadata } from './metadata';
import { appConfigMapName, filesConfigMapName } from './names';

/** The application ConfigMap `<app>-config` holding `config`, or none when there is no config. */
export function appConfigMap(scope: Construct, app: ResolvedApplication): kplus.ConfigMap | undefined {
  if (Object.keys(app.config).length === 0) return undefined;
  return new kplus.ConfigMap(scope, 'AppConfig', {
    metadata: objectMetadata(appConfigMapName(app.name), app.labels, app.namespace),
    data: app.config,
  });
}

/**
 * The config files of a service's containers (main and sidecars), keyed by file id (two files may share a base
 * name), or none without files.
 */
export function filesConfigMap(scope: Construct, svc: ResolvedService, app: ResolvedApplication): kplus.ConfigMap | undefined {
  const files = [svc, ...svc.sidecars].flatMap((c) => c.configFiles);
  if (files.length === 0) return undefined;
  return new kplus.ConfigMap(scope, 'Files', {
    metadata: objectMetadata(filesConfigMapName(svc.name), svc.labels, app.namespace),
    data: Object.fromEntries(files.map((f) => [f.id, f.content])),
  });
}
