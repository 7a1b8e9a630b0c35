import * as kplus from 'cdk8s-plus-27';
import { EnvSource, ResolvedEnvVar } from '../model';
import { References } from './references';

/**
 * Container variables in model order: plain values inline, config keys as `configMapKeyRef`, secrets as
 * `secretKeyRef` (a secret's value never reaches the YAML).
 */
export function envVariables(env: readonly ResolvedEnvVar[], refs: References): Record<string, kplus.EnvValue> {
  const out: Record<string, kplus.EnvValue> = {};
  for (const v of env) out[v.name] = envValue(v, refs);
  return out;
}

function envValue(v: ResolvedEnvVar, refs: References): kplus.EnvValue {
  switch (v.source) {
    case EnvSource.SECRET:
      return kplus.EnvValue.fromSecretValue({ secret: refs.secret(v.secret!.name), key: v.secret!.key });
    case EnvSource.CONFIG:
      return kplus.EnvValue.fromConfigMap(refs.appConfig(v.configKey!), v.configKey!);
    default:
      return kplus.EnvValue.fromValue(v.value ?? '');
  }
}
