/** Helpers that keep absent settings absent: no `undefined` fields, no empty lists or maps in the file. */

/** `items`, or undefined when empty. */
export function nonEmpty<T>(items: T[]): T[] | undefined {
  return items.length > 0 ? items : undefined;
}

/** `record`, or undefined when empty. */
export function nonEmptyRecord<T>(record: Record<string, T>): Record<string, T> | undefined {
  return Object.keys(record).length > 0 ? record : undefined;
}

/** `o` without its undefined fields, in the same key order. */
export function compact<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
