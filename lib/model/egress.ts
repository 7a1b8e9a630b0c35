/* Egress: the external destinations a service may open connections to (its dependencies are implied). */
import * as net from 'net';
import { isDnsSubdomain } from './names';
import { inRange, objectEntries, OptionNames, Report, show, unknownOptionRules } from './validation';

/** Kinds of external egress destination. */
export enum EgressKind {
  /** An address block, e.g. '0.0.0.0/0' or '203.0.113.0/24'. */
  CIDR = 'cidr',
  /** A host name (Kubernetes policies cannot name hosts: a rule on the ports to any address, reported). */
  HOST = 'host',
}

/** Options of an {@link Egress} destination. */
export interface EgressOptions {
  /**
   * TCP ports allowed to the destination.
   * @default - every port
   */
  readonly ports?: number[];
}

const EGRESS_OPTIONS: OptionNames<EgressOptions> = { ports: true };
const EGRESS_SYMBOL = Symbol.for('microservice-constructs.Egress');

/** An external destination a service may reach: `Egress.cidr('0.0.0.0/0', { ports: [443] })`. */
export class Egress {
  /** Addresses in `cidr` (a NetworkPolicy ipBlock). */
  public static cidr(cidr: string, options: EgressOptions = {}): Egress {
    return new Egress(EgressKind.CIDR, cidr, options);
  }

  /** A host by name, e.g. 'api.psp.example'. */
  public static host(host: string, options: EgressOptions = {}): Egress {
    return new Egress(EgressKind.HOST, host, options);
  }

  public static isEgress(x: unknown): x is Egress {
    return x !== null && typeof x === 'object' && EGRESS_SYMBOL in (x as object);
  }

  private constructor(
    public readonly kind: EgressKind,
    public readonly value: string,
    public readonly options: EgressOptions,
  ) {
    Object.defineProperty(this, EGRESS_SYMBOL, { value: true });
  }
}

/** The external egress of a service. */
export interface EgressProps {
  /**
   * External destinations the service may open connections to. Its dependencies and the cluster DNS are always
   * allowed; anything else is denied (Kubernetes: egress NetworkPolicies; Docker: a service without egress sits
   * only on internal networks, one with egress also joins the application's edge network).
   * @default [] - no external destination
   */
  readonly egress?: Egress[];
}

export const EGRESS_PROPS_OPTIONS: OptionNames<EgressProps> = { egress: true };

export interface ResolvedEgress {
  readonly kind: EgressKind;
  /** A CIDR block or a host name. */
  readonly value: string;
  /** TCP ports; empty means every port. */
  readonly ports: number[];
}

/** Resolves a service's `egress`. @internal */
export function resolveEgress(egress: Egress[] | undefined, report: Report): ResolvedEgress[] {
  return objectEntries(egress, 'egress', report).flatMap(([e, i]) => {
    if (!Egress.isEgress(e)) {
      report(`'egress[${i}]' must be an Egress (Egress.cidr or Egress.host), got ${show(e)}`);
      return [];
    }
    unknownOptionRules(e.options, EGRESS_OPTIONS, `egress[${i}]`, report);
    if (e.kind === EgressKind.CIDR && !isCidr(e.value))
      report(`'egress[${i}]' must be an IPv4 or IPv6 CIDR block such as '0.0.0.0/0', got ${show(e.value)}`);
    if (e.kind === EgressKind.HOST && !(typeof e.value === 'string' && isDnsSubdomain(e.value)))
      report(`'egress[${i}]' must be a DNS host name, got ${show(e.value)}`);
    const given = e.options.ports ?? [];
    if (!Array.isArray(given)) report(`'egress[${i}].ports' must be a list of port numbers, got ${show(given)}`);
    const ports: number[] = Array.isArray(given) ? [...given] : [];
    for (const p of ports) if (!inRange(p, 1, 65535)) report(`'egress[${i}].ports' must hold integers in 1..65535, got ${show(p)}`);
    return [{ kind: e.kind, value: e.value, ports }];
  });
}

function isCidr(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  const [address, bits, extra] = value.split('/');
  if (extra !== undefined || bits === undefined || !/^\d{1,3}$/.test(bits)) return false;
  const family = net.isIP(address);
  return family !== 0 && Number(bits) <= (family === 4 ? 32 : 128);
}
