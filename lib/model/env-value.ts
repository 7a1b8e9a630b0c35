/** A reference to one key of a secret that lives outside the definition (never a plaintext value). */
export interface SecretKeyRef {
  /** Name of the secret (a DNS-1123 subdomain). */
  readonly name: string;
  /** Key inside the secret. */
  readonly key: string;
}

/** How an environment variable gets its value. */
export enum EnvSource {
  VALUE = 'value',
  SECRET = 'secret',
  CONFIG = 'config',
}

/** The value of an environment variable: a plain value, a secret reference or an application config key. */
export class EnvValue {
  /** A plain, non-secret value. */
  public static fromValue(value: string): EnvValue {
    return new EnvValue(EnvSource.VALUE, value, undefined, undefined);
  }

  /**
   * A key of a secret: `secretKeyRef` in Kubernetes, Pulumi secret config in Docker, an interpolated
   * variable in compose. The value never appears in any output.
   */
  public static fromSecret(name: string, key: string): EnvValue {
    return new EnvValue(EnvSource.SECRET, undefined, { name, key }, undefined);
  }

  /** A key of the application's shared config (`ApplicationProps.config`): a ConfigMap key in Kubernetes. */
  public static fromConfig(key: string): EnvValue {
    return new EnvValue(EnvSource.CONFIG, undefined, undefined, key);
  }

  private constructor(
    public readonly source: EnvSource,
    public readonly value: string | undefined,
    public readonly secret: SecretKeyRef | undefined,
    public readonly configKey: string | undefined,
  ) {}
}
