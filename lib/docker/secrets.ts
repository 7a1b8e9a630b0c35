import * as pulumi from '@pulumi/pulumi';
import { ResolvedSecretRef } from '../model';
import { DockerPlan } from '../docker-plan';

/**
 * Secret values from Pulumi config (`pulumi config set --secret <configKey> <value>`). The values stay secret
 * Outputs, so Pulumi encrypts them in state and masks them in outputs.
 */
export class SecretValues {
  /**
   * Reads every secret `plan` refers to, so a missing one fails (with Pulumi's message naming the key to set)
   * before any resource is registered.
   */
  public static read(config: pulumi.Config, plan: DockerPlan): SecretValues {
    const refs = plan.containers.flatMap((c) => [
      ...c.env.flatMap((v) => (v.secret ? [v.secret] : [])),
      ...c.secretMounts.map((m) => m.secret),
    ]);
    return new SecretValues(new Map(refs.map((r) => [r.configKey, config.requireSecret(r.configKey)])));
  }

  private constructor(private readonly values: ReadonlyMap<string, pulumi.Output<string>>) {}

  /** The value of `ref`. */
  public of(ref: ResolvedSecretRef): pulumi.Output<string> {
    const value = this.values.get(ref.configKey);
    if (!value) throw new Error(`secret '${ref.configKey}' was not read up front`);
    return value;
  }
}
