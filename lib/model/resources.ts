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
