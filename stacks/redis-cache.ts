import { Construct } from 'constructs';
import { EnvValue, Image, Memory, Microservice, Probe } from '../lib/model';

/** Properties of a {@link RedisCache}. */
export interface RedisCacheProps {
  /**
   * Image reference.
   * @default 'redis:7.2-alpine'
   */
  readonly image?: string;
  /**
   * Keep data across restarts in a persistent volume named `<id>-data`.
   * @default true
   */
  readonly persistent?: boolean;
  /**
   * Service name.
   * @default - derived from the construct path
   */
  readonly name?: string;
}

/**
 * A Redis server as a reusable construct: pinned image, append-only persistence, health check, the image's
 * own non-root user (uid 999, gid 1000 in redis:alpine) so it can write its data directory.
 */
export class RedisCache extends Construct {
  public readonly service: Microservice;

  constructor(scope: Construct, id: string, props: RedisCacheProps = {}) {
    super(scope, id);
    const persistent = props.persistent ?? true;
    this.service = new Microservice(this, 'redis', {
      name: props.name ?? id,
      image: Image.fromRegistry(props.image ?? 'redis:7.2-alpine'),
      // Run redis-server directly: protected mode off because only declared dependents can reach it.
      command: ['redis-server', '--dir', '/data', '--appendonly', persistent ? 'yes' : 'no', '--protected-mode', 'no'],
      ports: [{ port: 6379, name: 'redis', appProtocol: 'redis' }],
      volumes: persistent
        ? [{ name: `${props.name ?? id}-data`, mountPath: '/data', size: '1Gi' }]
        : [{ name: `${props.name ?? id}-data`, mountPath: '/data', scratch: true }],
      readinessProbe: Probe.command(['redis-cli', 'ping'], { periodSeconds: 2, timeoutSeconds: 2, failureThreshold: 15 }),
      security: { user: 999, group: 1000 },
      resources: { memory: { limit: Memory.mebibytes(256) } },
      env: { REDIS_MAXMEMORY_POLICY: EnvValue.fromValue('allkeys-lru') },
    });
  }
}
