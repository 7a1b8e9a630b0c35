import { stringify } from 'yaml';

/*
 * A fast YAML writer for plain JSON-like data (objects, arrays, strings, finite numbers, booleans, null): the
 * `yaml` package builds a node tree for every document, which makes it most of a large synth's time. The output is
 * byte-identical to `yaml.stringify(value, { version: '1.1', lineWidth: 0 })` — the settings of cdk8s's
 * `Yaml.stringify` and of the compose backend — because every scalar is written the way `yaml` writes it (asked
 * once per distinct value and cached) and everything this writer does not handle falls back to `yaml` itself.
 */

/** Options of {@link fastYaml}. */
export interface FastYamlOptions {
  /**
   * Write an object that occurs twice in one document as an anchor and alias, as `yaml` does by default
   * (cdk8s); when false, it is written out twice (`aliasDuplicateObjects: false`, the compose backend).
   * @default true
   */
  readonly aliasDuplicateObjects?: boolean;
}

const YAML_OPTIONS = { version: '1.1', lineWidth: 0 } as const;

/** The YAML text of one document, as `yaml.stringify(value, { version: '1.1', lineWidth: 0, ...options })`. */
export function fastYaml(value: unknown, options: FastYamlOptions = {}): string {
  const aliases = options.aliasDuplicateObjects ?? true;
  try {
    if (!isMap(value) || Object.keys(value).length === 0) throw FALLBACK;
    const out: string[] = [];
    writeMap(value, '', out, aliases ? new Set() : undefined);
    return out.join('');
  } catch (e) {
    if (e !== FALLBACK) throw e;
    return stringify(value, { ...YAML_OPTIONS, aliasDuplicateObjects: aliases });
  }
}

/** Several documents, as cdk8s's `Yaml.stringify(...docs)` writes them (`---` between documents). */
export function fastYamlDocuments(docs: unknown[], options: FastYamlOptions = {}): string {
  return docs.map((d) => (d === undefined ? '\n' : fastYaml(d, options))).join('---\n');
}

/** Thrown (never escapes) when `yaml` must write the document. */
const FALLBACK = new Error('fallback to yaml');

type Json = Record<string, unknown>;

function isMap(v: unknown): v is Json {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** Writes a non-empty map at `pad`; `seen` tracks collections when duplicates would become aliases. */
function writeMap(map: Json, pad: string, out: string[], seen: Set<unknown> | undefined): void {
  visit(map, seen);
  for (const key of Object.keys(map)) {
    const v = map[key];
    const k = keyText(key);
    if (v !== null && typeof v === 'object') {
      const empty = emptyCollection(v);
      if (empty !== undefined) {
        visit(v, seen);
        out.push(`${pad}${k}: ${empty}\n`);
      } else {
        out.push(`${pad}${k}:\n`);
        writeCollection(v, `${pad}  `, out, seen);
      }
    } else {
      out.push(`${pad}${k}: ${scalarText(v)}\n`);
    }
  }
}

/** Writes a non-empty sequence at `pad` (`yaml` indents sequences inside maps). */
function writeSeq(seq: unknown[], pad: string, out: string[], seen: Set<unknown> | undefined): void {
  visit(seq, seen);
  for (const item of seq) {
    if (item !== null && typeof item === 'object') {
      const empty = emptyCollection(item);
      if (empty !== undefined) {
        visit(item, seen);
        out.push(`${pad}- ${empty}\n`);
        continue;
      }
      // A nested collection starts on the dash's line: write it one level deeper, then put the dash in front.
      const start = out.length;
      writeCollection(item, `${pad}  `, out, seen);
      out[start] = `${pad}- ${out[start].slice(pad.length + 2)}`;
    } else {
      out.push(`${pad}- ${scalarText(item)}\n`);
    }
  }
}

function writeCollection(v: object, pad: string, out: string[], seen: Set<unknown> | undefined): void {
  if (Array.isArray(v)) writeSeq(v, pad, out, seen);
  else if (isMap(v)) writeMap(v, pad, out, seen);
  else throw FALLBACK;
}

/** `{}` or `[]` for an empty plain collection; undefined otherwise. */
function emptyCollection(v: object): string | undefined {
  if (Array.isArray(v)) return v.length === 0 ? '[]' : undefined;
  if (!isMap(v)) throw FALLBACK;
  for (const _ in v) return undefined;
  return '{}';
}

/** A collection seen twice in one document would be an alias: leave that to `yaml`. */
function visit(v: unknown, seen: Set<unknown> | undefined): void {
  if (!seen) return;
  if (seen.has(v)) throw FALLBACK;
  seen.add(v);
}

// YAML 1.1 words that a plain scalar would turn into booleans or null.
const SPECIAL_WORDS = new Set([
  'y',
  'Y',
  'yes',
  'Yes',
  'YES',
  'n',
  'N',
  'no',
  'No',
  'NO',
  'true',
  'True',
  'TRUE',
  'false',
  'False',
  'FALSE',
  'on',
  'On',
  'ON',
  'off',
  'Off',
  'OFF',
  'null',
  'Null',
  'NULL',
]);
// Starts with a letter and has no character YAML gives a meaning: `yaml` writes it plain unless it is a special
// word or what its 1.1 float pattern takes for an exponent without digits before it (`e5`, `E-2`).
const SAFE_PLAIN = /^(?![eE]-?[0-9]+$)[A-Za-z][A-Za-z0-9_./-]*$/;

// For values: printable ASCII that `yaml`'s plain-scalar rule accepts (its own regex) and that cannot read as another
// YAML 1.1 type (those start with a digit, sign, '.', '~' or '<', or are e-exponents or special words).
const PRINTABLE = /^[\x20-\x7e]+$/;
const NOT_PLAIN = /^[\n\t ,[\]{}#&*!|>'"%@`]|^[?-]$|^[?-][ \t]|[\n:][ \t]|[ \t]\n|[\n\t ]#|[\n\t :]$/;
const OTHER_TYPE = /^[-+.~<0-9]|^[eE][-+]?[0-9]+$/;
const DIGITS = /^[0-9]+$/;

const scalarCache = new Map<unknown, string>();
const keyCache = new Map<string, string>();

function scalarText(v: unknown): string {
  if (typeof v === 'string' && PRINTABLE.test(v) && !NOT_PLAIN.test(v) && !OTHER_TYPE.test(v) && !SPECIAL_WORDS.has(v)) return v;
  // Ports and counts as strings ("8080"): an integer to YAML, so `yaml` double-quotes them; the commonest miss.
  if (typeof v === 'string' && DIGITS.test(v)) return `"${v}"`;
  if (typeof v === 'boolean' || v === null) return String(v);
  if (typeof v === 'number' && Number.isSafeInteger(v) && !Object.is(v, -0)) return String(v);
  if (typeof v !== 'string' && typeof v !== 'number') throw FALLBACK; // undefined, bigint, functions...
  let text = scalarCache.get(v);
  if (text === undefined) {
    // How `yaml` writes it as a map value; multi-line forms (block scalars) depend on the indentation.
    const line = stringify({ a: v }, YAML_OPTIONS);
    text = line.indexOf('\n') === line.length - 1 ? line.slice(3, -1) : '';
    cache(scalarCache, v, text);
  }
  if (text === '') throw FALLBACK;
  return text;
}

function keyText(key: string): string {
  // Keys repeat across documents (apiVersion, metadata, name...): one map lookup instead of the checks below.
  let text = keyCache.get(key);
  if (text === undefined) {
    text = computeKeyText(key);
    cache(keyCache, key, text);
  }
  if (text === '') throw FALLBACK;
  return text;
}

/** How `yaml` writes `key`; '' when this writer must leave the document to `yaml`. */
function computeKeyText(key: string): string {
  if (SAFE_PLAIN.test(key) && !SPECIAL_WORDS.has(key)) return key;
  // A document marker is written differently at the start of a line than inside: leave it to `yaml`.
  if (key.startsWith('---') || key.startsWith('...')) return '';
  const line = stringify({ [key]: 0 }, YAML_OPTIONS);
  return line.indexOf('\n') === line.length - 1 && line.endsWith(': 0\n') ? line.slice(0, -4) : '';
}

/** Bounded, so a long-running process rendering many different values does not grow without end. */
function cache<K>(map: Map<K, string>, key: K, text: string): void {
  if (map.size >= 100_000) map.clear();
  map.set(key, text);
}
