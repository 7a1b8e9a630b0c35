import { Construct } from 'constructs';
import { EnvValue, Image, Memory, Microservice, Probe } from '../lib/model';

/** Properties of a {@link PostgresDatabase}. */
export interface PostgresDatabaseProps {
  /** Database name. */
  readonly database: string;
  /** Secret holding the `password` key. */
  readonly passwordSecret: string;
  /** @default 'postgres:16.4-alpine' */
  readonly image?: string;
  /** @default '5Gi' */
  readonly size?: string;
}

/** PostgreSQL with its data on a persistent volume, the password from a secret, run as the image's user (70). */
export class PostgresDatabase extends Construct {
  public readonly service: Microservice;

  constructor(scope: Construct, id: string, props: PostgresDatabaseProps) {
    super(scope, id);
    this.service = new Microservice(this, 'db', {
      name: id,
      image: Image.fromRegistry(props.image ?? 'postgres:16.4-alpine'),
      ports: [{ port: 5432, name: 'postgres', appProtocol: 'postgresql' }],
      env: {
        POSTGRES_DB: EnvValue.fromValue(props.database),
        POSTGRES_PASSWORD: EnvValue.fromSecret(props.passwordSecret, 'password'),
        PGDATA: EnvValue.fromValue('/var/lib/postgresql/data/pgdata'),
      },
      volumes: [{ name: `${id}-data`, mountPath: '/var/lib/postgresql/data', size: props.size ?? '5Gi' }],
      readinessProbe: Probe.command(['pg_isready', '-U', 'postgres'], { periodSeconds: 5 }),
      security: { user: 70, group: 70, writablePaths: ['/tmp', '/var/run/postgresql'] },
      resources: { memory: { request: Memory.mebibytes(256), limit: Memory.mebibytes(512) } },
    });
  }
}
