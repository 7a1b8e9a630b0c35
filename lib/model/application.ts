import { Construct, IConstruct } from 'constructs';
import { ResourcesProps } from './resources';
import { SecurityProps } from './security';
import { resolveApplication } from './resolve';
import { ResolvedApplication } from './resolved';

/** Logging of Docker containers (Kubernetes leaves logs to the node's runtime). */
export interface LoggingProps {
  /** @default 'json-file' */
  readonly driver?: string;
  /** @default { 'max-size': '10m', 'max-file': '3' } for json-file */
  readonly options?: Record<string, string>;
}

/** Properties of an {@link Application}; all are application-wide defaults services inherit. */
export interface ApplicationProps {
  /**
   * Kubernetes namespace of every object.
   * @default - none (the kubectl context's namespace)
   */
  readonly namespace?: string;
  /** Labels on every object. @default {} */
  readonly labels?: Record<string, string>;
  /** Security defaults for every service. @default - secure defaults (see SecurityProps) */
  readonly security?: SecurityProps;
  /** Resource defaults for every service. @default - 100m/500m cpu, 128Mi/256Mi memory */
  readonly resources?: ResourcesProps;
  /**
   * Replace registry image references, e.g. to point at a private registry or at locally built images:
   * `{ 'redis:7-alpine': 'registry.local/redis:7-alpine' }`.
   * @default {}
   */
  readonly imageOverrides?: Record<string, string>;
  /**
   * Shared configuration values, referenced with `EnvValue.fromConfig(key)` (one ConfigMap in Kubernetes).
   * @default {}
   */
  readonly config?: Record<string, string>;
  /**
   * Image of the Kubernetes init containers that wait for dependencies (needs `nc`).
   * @default 'busybox:1.36.1'
   */
  readonly waitImage?: string;
  /** Docker logging. @default - json-file, 10m x 3 */
  readonly logging?: LoggingProps;
}

const APPLICATION_SYMBOL = Symbol.for('microservice-constructs.Application');

/** The root of one microservice application; every Microservice below it belongs to it. */
export class Application extends Construct {
  public static isApplication(x: unknown): x is Application {
    return x !== null && typeof x === 'object' && APPLICATION_SYMBOL in (x as object);
  }

  /** The Application that `construct` belongs to. */
  public static of(construct: IConstruct): Application {
    const root = construct.node.root;
    if (!Application.isApplication(root)) {
      throw new Error(`construct '${construct.node.path}' is not inside an Application`);
    }
    return root;
  }

  /** Application name, a DNS-1123 label. */
  public readonly name: string;
  public readonly props: ApplicationProps;

  constructor(name: string, props: ApplicationProps = {}) {
    // A root construct: scope undefined, as cdk8s's App does.
    super(undefined as unknown as Construct, name);
    Object.defineProperty(this, APPLICATION_SYMBOL, { value: true });
    this.name = name;
    this.props = props;
  }

  private resolved?: ResolvedApplication;

  /**
   * Validates the whole application and returns the plain model every backend renders. Once the tree is locked
   * (`app.node.lock()`, as synth does before rendering every target) it cannot change, so the model is computed once.
   */
  public resolve(): ResolvedApplication {
    if (!this.node.locked) return resolveApplication(this);
    this.resolved ??= resolveApplication(this);
    return this.resolved;
  }
}
