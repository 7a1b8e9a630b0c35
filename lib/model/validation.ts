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

/** Records a broken rule; `undefined` (a rule that holds) is ignored. @internal */
export type Report = (message: string | undefined) => void;

/** A service as the resolvers see it: its construct, its name and its props as given. @internal */
export interface ServiceEntry {
  readonly construct: Microservice;
  readonly name: string;
  readonly props: MicroserviceProps;
}

/** What every resolver may read about the whole application. @internal */
export interface ResolveContext {
  readonly app: Application;
  readonly services: ServiceEntry[];
  readonly byConstruct: Map<Microservice, ServiceEntry>;
}

/** A report that drops every message: for a value resolved again where its own rules were already reported. @internal */
export const ignoreReport: Report = () => undefined;

/** A value as error messages show it. @internal */
export const show = (v: unknown): string => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : (JSON.stringify(v) ?? String(v)));
/** @internal */
export const isInt = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n);
/** @internal */
export const inRange = (n: unknown, lo: number, hi: number): boolean => isInt(n) && n >= lo && n <= hi;

/** A report that prefixes every message, e.g. with `service 'web': `. @internal */
export function prefixed(report: Report, prefix: string): Report {
  return (m) => report(m === undefined ? undefined : prefix + m);
}

/**
 * The option names of a props interface, listed once beside it: `Record<keyof T, true>` makes the compiler
 * reject a list that misses or invents a name, and the runtime then rejects typos that type stripping lets through.
 */
export type OptionNames<T> = { readonly [K in keyof Required<T>]: true };

/**
 * Reports every key of `value` that `known` does not name; `where` is the field that holds `value` (none for a
 * service's or application's own props). Plain-JavaScript users and `npm run synth` (no type check) rely on it.
 * @internal
 */
export function unknownOptionRules(value: unknown, known: object, where: string | undefined, report: Report): void {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return;
  for (const key of Object.keys(value)) {
    if (Object.prototype.hasOwnProperty.call(known, key)) continue;
    report(`unknown option '${key}'${where ? ` in '${where}'` : ''} (known: ${Object.keys(known).join(', ')})`);
  }
}

/** Reports a value that is not a plain object where an options object belongs. @internal */
export function objectRule(value: unknown, where: string, report: Report): boolean {
  if (value === undefined) return false;
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) return true;
  report(`'${where}' must be an object, got ${show(value)}`);
  return false;
}

/**
 * The entries of a list option that are objects; a value that is not a list, or an entry that is not an object,
 * is reported (`where` is the field). `undefined` is the empty list.
 * @internal
 */
export function objectEntries<T>(value: readonly T[] | undefined, where: string, report: Report): Array<[T, number]> {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    report(`'${where}' must be a list, got ${show(value)}`);
    return [];
  }
  const out: Array<[T, number]> = [];
  value.forEach((entry, i) => {
    if (entry !== null && typeof entry === 'object' && !Array.isArray(entry)) out.push([entry, i]);
    else report(`'${where}[${i}]' must be an object, got ${show(entry)}`);
  });
  return out;
}

/** A list of strings, or a report naming `where` and the value. @internal */
export function stringList(value: unknown, where: string, report: Report): string[] | undefined {
  if (value === undefined) return undefined;
  if (Array.isArray(value) && value.every((x) => typeof x === 'string')) return [...value];
  report(`'${where}' must be a list of strings, got ${show(value)}`);
  return undefined;
}

/** Reports a value outside `values` (an enum's), naming `where`. @internal */
export function oneOfRule(value: unknown, values: readonly string[], where: string, report: Report): void {
  if (value !== undefined && !values.includes(value as string))
    report(`'${where}' must be one of ${values.join(', ')}, got ${show(value)}`);
}
