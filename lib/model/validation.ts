/*
 * What every concept's resolver shares: the error type, the value checks and the context. Each concept file
 * validates its own fields on the values it resolves, in the same pass, and reports through `Report`; the
 * application throws all failures together, before any backend writes anything.
 */
import type { Application } from './application';
import type { Microservice, MicroserviceProps } from './microservice';

/** Thrown when a definition is invalid; `errors` holds one message per broken rule. */
export class ValidationError extends Error {
  constructor(public readonly errors: string[]) {
    super(errors.join('\n'));
    this.name = 'ValidationError';
  }
}

/** Records a broken rule; `undefined` (a rule that holds) is ignored. */
export type Report = (message: string | undefined) => void;

/** A service as the resolvers see it: its construct, its name and its props as given. */
export interface ServiceEntry {
  readonly construct: Microservice;
  readonly name: string;
  readonly props: MicroserviceProps;
}

/** @internal What every resolver may read about the whole application. */
export interface ResolveContext {
  readonly app: Application;
  readonly services: ServiceEntry[];
  readonly byConstruct: Map<Microservice, ServiceEntry>;
}

/** A value as error messages show it. */
export const show = (v: unknown): string => JSON.stringify(v);
export const isInt = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n);
export const inRange = (n: unknown, lo: number, hi: number): boolean => isInt(n) && n >= lo && n <= hi;

/** A report that prefixes every message, e.g. with `service 'web': `. */
export function prefixed(report: Report, prefix: string): Report {
  return (m) => report(m === undefined ? undefined : prefix + m);
}
