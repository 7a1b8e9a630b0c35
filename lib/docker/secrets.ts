import * as pulumi from '@pulumi/pulumi';
import { ResolvedSecretRef } from '../model';

/**
 * Secret values from Pulumi config (`pulumi config set --secret <configKey> <value>`), read once per key.
 * The values stay secret Outputs, so Pulumi encrypts them in state and masks them in outputs.
 */
export class SecretValues {
  private readonly values = new Map<string, pulumi.Output<string>>();

  constructor(private readonly config: pulumi.Config) {}

  /** The value of `ref`; a missing key fails the deployment with Pulumi's message naming the key. */
  public of(ref: ResolvedSecretRef): pulumi.Output<string> {
    let value = this.values.get(ref.configKey);
    if (!value) {
      value = this.config.requireSecret(ref.configKey);
      this.values.set(ref.configKey, value);
    }
    return value;
  }
}
