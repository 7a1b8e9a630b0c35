import { Construct } from 'constructs';
import { Image, Memory, Microservice, Probe } from '../lib/model';

/** Properties of a {@link MongoDatabase}. */
export interface MongoDatabaseProps {
  /** Name of the persistent volume holding /data/db. */
  readonly volume: string;
  /** @default '5Gi' */
  readonly size?: string;
  /** @default 'mongo:7.0.14' */
  readonly image?: string;
}

/** MongoDB with its data on a persistent volume, run as the image's mongodb user (999), which owns /data/db. */
export class MongoDatabase extends Construct {
  public readonly service: Microservice;

  constructor(scope: Construct, id: string, props: MongoDatabaseProps) {
    super(scope, id);
    this.service = new Microservice(this, 'mongo', {
      name: id,
      image: Image.fromRegistry(props.image ?? 'mongo:7.0.14'),
      ports: [{ port: 27017, name: 'mongodb', appProtocol: 'mongodb' }],
      volumes: [{ name: props.volume, mountPath: '/data/db', size: props.size ?? '5Gi' }],
      readinessProbe: Probe.command(['mongosh', '--quiet', '--eval', 'db.adminCommand("ping").ok'], {
        periodSeconds: 5,
        timeoutSeconds: 5,
      }),
      security: { user: 999, group: 999 },
      resources: { memory: { request: Memory.mebibytes(256), limit: Memory.mebibytes(1024) } },
    });
  }
}
