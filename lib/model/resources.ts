/* CPU and memory: amounts, requests and limits, their inheritance (container, service, application) and rules. */
import { objectRule, OptionNames, Report, show, unknownOptionRules } from './validation';

/** An amount of CPU. */
export class Cpu {
  /** Thousandths of a core: `Cpu.millis(250)` is a quarter core. */
  public static millis(amount: number): Cpu {
    return new Cpu(amount);
  }

  /** Whole or fractional cores: `Cpu.cores(1.5)`. */
  public static cores(amount: number): Cpu {
    return new Cpu(Math.round(amount * 1000));
  }

  private constructor(public readonly millis: number) {}
}

/** An amount of memory. */
export class Memory {
  /** Mebibytes: `Memory.mebibytes(256)`. */
  public static mebibytes(amount: number): Memory {
    return new Memory(amount);
  }

  /** Gibibytes: `Memory.gibibytes(1)`. */
  public static gibibytes(amount: number): Memory {
    return new Memory(amount * 1024);
  }

  private constructor(public readonly mebibytes: number) {}
}

/** Request and limit of one resource. */
export interface CpuResources {
  /**
   * Guaranteed CPU (Kubernetes request; Docker has no reservation for CPU).
   * @default - the application's default, 100 millicores
   */
  readonly request?: Cpu;
  /**
   * CPU ceiling.
   * @default - the application's default, 500 millicores
   */
  readonly limit?: Cpu;
}

/** Request and limit of memory. */
export interface MemoryResources {
  /**
   * Guaranteed memory.
   * @default - the application's default, 128 MiB
   */
  readonly request?: Memory;
  /**
   * Memory ceiling: the container is killed above it.
   * @default - the application's default, 256 MiB
   */
  readonly limit?: Memory;
}

/** CPU and memory of a container. */
export interface ResourcesProps {
  /** @default - application default */
  readonly cpu?: CpuResources;
  /** @default - application default */
  readonly memory?: MemoryResources;
}

export interface ResolvedResources {
  readonly cpuRequestMillis: number;
  readonly cpuLimitMillis: number;
  readonly memoryRequestMiB: number;
  readonly memoryLimitMiB: number;
}

export const DEFAULT_RESOURCES: ResolvedResources = {
  cpuRequestMillis: 100,
  cpuLimitMillis: 500,
  memoryRequestMiB: 128,
  memoryLimitMiB: 256,
};

const RESOURCES_OPTIONS: OptionNames<ResourcesProps> = { cpu: true, memory: true };
const REQUEST_LIMIT_OPTIONS: OptionNames<CpuResources & MemoryResources> = { request: true, limit: true };

/** One level of resource settings: who set it (for messages) and what. Most specific first. @internal */
export type ResourceLevel = readonly [string, ResourcesProps | undefined];

const KINDS = [
  { kind: 'cpu', unit: 'millicores', get: (r?: ResourcesProps) => [r?.cpu?.request?.millis, r?.cpu?.limit?.millis] as const },
  { kind: 'memory', unit: 'MiB', get: (r?: ResourcesProps) => [r?.memory?.request?.mebibytes, r?.memory?.limit?.mebibytes] as const },
] as const;

/**
 * Rules of the settings one level gives itself (`where` is its field: 'resources', 'sidecars[envoy].resources').
 * Levels inherited from elsewhere are checked where they are given.
 * @internal
 */
export function resourcesRules(r: ResourcesProps | undefined, where: string, report: Report): void {
  if (r !== undefined && !objectRule(r, where, report)) return;
  unknownOptionRules(r, RESOURCES_OPTIONS, where, report);
  for (const [kind, amount, type] of [
    ['cpu', Cpu, 'a Cpu (Cpu.millis or Cpu.cores)'],
    ['memory', Memory, 'a Memory (Memory.mebibytes or Memory.gibibytes)'],
  ] as const) {
    const pair = r?.[kind] as Record<string, unknown> | undefined;
    if (pair === undefined || !objectRule(pair, `${where}.${kind}`, report)) continue;
    for (const field of ['request', 'limit']) {
      if (pair[field] !== undefined && !(pair[field] instanceof amount))
        report(`'${where}.${kind}.${field}' must be ${type}, got ${show(pair[field])}`);
    }
  }
  unknownOptionRules(r?.cpu, REQUEST_LIMIT_OPTIONS, `${where}.cpu`, report);
  unknownOptionRules(r?.memory, REQUEST_LIMIT_OPTIONS, `${where}.memory`, report);
  for (const { kind, get } of KINDS) {
    const [request, limit] = get(r);
    for (const [field, v] of [
      ['request', request],
      ['limit', limit],
    ] as const) {
      if (v !== undefined && !(typeof v === 'number' && v > 0 && Number.isFinite(v)))
        report(`'${where}.${kind}.${field}' must be > 0, got ${show(v)}`);
      else if (kind === 'cpu' && v !== undefined && !Number.isInteger(v))
        report(`'${where}.cpu.${field}' must be a whole number of millicores, got ${show(v)}`);
    }
    if (request !== undefined && limit !== undefined && request > limit)
      report(`'${where}.${kind}' request must be <= limit, got request ${request} > limit ${limit}`);
  }
}

/**
 * Resources of a container from `levels` (most specific first: sidecar, service, application), then the defaults.
 * An inherited request above a more specific limit follows the limit down; a request given explicitly at a more
 * specific level than the limit it exceeds is an error (reported at `where`).
 * @internal
 */
export function resolveResources(levels: ResourceLevel[], where: string, report: Report): ResolvedResources {
  const pick = (k: (typeof KINDS)[number], which: 0 | 1, fallback: number) => {
    const at = levels.findIndex(([, r]) => k.get(r)[which] !== undefined);
    return { at, value: at < 0 ? fallback : k.get(levels[at][1])[which]! };
  };
  const [cpu, memory] = KINDS.map((k, i) => {
    const defaults =
      i === 0
        ? [DEFAULT_RESOURCES.cpuRequestMillis, DEFAULT_RESOURCES.cpuLimitMillis]
        : [DEFAULT_RESOURCES.memoryRequestMiB, DEFAULT_RESOURCES.memoryLimitMiB];
    const request = pick(k, 0, defaults[0]);
    const limit = pick(k, 1, defaults[1]);
    if (request.at >= 0 && (limit.at < 0 || limit.at > request.at) && request.value > limit.value) {
      const from = limit.at < 0 ? 'the defaults' : levels[limit.at][0];
      report(`'${where}.${k.kind}.request' must be <= the limit inherited from ${from} (${limit.value} ${k.unit}), got ${request.value}`);
    }
    return { request: Math.min(request.value, limit.value), limit: limit.value };
  });
  return { cpuRequestMillis: cpu.request, cpuLimitMillis: cpu.limit, memoryRequestMiB: memory.request, memoryLimitMiB: memory.limit };
}
