/*
 * Compose substitutes `$VAR` and `${VAR}` in every value of the file. Values we write are literal, so their `$`
 * is doubled; only secret references are written as variables on purpose.
 */

/** `value` as compose must see it to keep it literal (`$` -> `$$`). */
export function literal(value: string): string {
  return value.includes('$') ? value.replace(/\$/g, '$$$$') : value;
}

/** A value compose reads from the shell or the `.env` file next to the compose file. */
export function variable(name: string): string {
  return `\${${name}}`;
}

/**
 * `fields` without its undefined entries and with every string inside the others made literal, except in field
 * `spelled` (already written for compose); one copy, in the same key order.
 */
export function literalFields<T extends object>(fields: T, spelled: keyof T): T {
  const out: Record<string, unknown> = {};
  for (const k in fields) {
    const v = fields[k];
    if (v !== undefined) out[k] = k === spelled ? v : literalDeep(v);
  }
  return out as T;
}

/** `value` with every string inside it made literal (object keys are not substituted, so they stay). */
export function literalDeep<T>(value: T): T {
  if (typeof value === 'string') return literal(value) as T;
  if (Array.isArray(value)) return value.map(literalDeep) as T;
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const k in value) out[k] = literalDeep((value as Record<string, unknown>)[k]);
    return out as T;
  }
  return value;
}
