import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';

/**
 * Objects that containers refer to by name: Secrets that live outside the chart (imported, never rendered) and
 * the application ConfigMap. Secrets are imported once per name.
 */
export class References {
  private readonly secrets = new Map<string, kplus.ISecret>();

  constructor(
    private readonly scope: Construct,
    private readonly config: kplus.IConfigMap | undefined,
  ) {}

  /** The existing Secret called `name`. */
  public secret(name: string): kplus.ISecret {
    let secret = this.secrets.get(name);
    if (!secret) {
      secret = kplus.Secret.fromSecretName(this.scope, `Secret:${name}`, name);
      this.secrets.set(name, secret);
    }
    return secret;
  }

  /** The application ConfigMap; the model guarantees it exists whenever a variable refers to a config key. */
  public appConfig(key: string): kplus.IConfigMap {
    if (!this.config) throw new Error(`config key '${key}' is referenced but the application defines no 'config'`);
    return this.config;
  }
}
