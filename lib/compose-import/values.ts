/*
 * Parsers for the value syntaxes of the Compose Specification (durations, sizes, port and volume specs, shell
 * words, dotenv files, interpolation). Pure functions: they return `undefined` or throw `ValueError` for input
 * they do not understand, and the importer turns that into a diagnostic naming the service and key.
 */

import { MAX_REPLICAS } from '../model';

/** A value the importer cannot read; `message` is the reason, without the service or key. */
export class ValueError extends Error {
  /** `error` when the compose file is invalid there (docker-compose rejects it too), else a value left out. */
  constructor(
    message: string,
    public readonly level: 'warning' | 'error' = 'warning',
  ) {
    super(message);
  }
}

/**
 * A value as the user wrote it, for messages: JSON, except that numbers YAML reads as `.nan`/`.inf` show as NaN and
 * Infinity (JSON would say null), and an interpolated credential shows as `${NAME}`, never as its value.
 */
export function show(v: unknown): string {
  if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
  if (v === undefined) return 'undefined';
  if (typeof v === 'bigint') return String(v);
  const text = JSON.stringify(v, (_k, x) => (typeof x === 'number' && !Number.isFinite(x) ? `<${x}>` : x)) ?? String(v);
  return redact(text.replace(/"<(NaN|-?Infinity)>"/g, '$1'));
}

/*
 * Interpolated credentials. `${DB_PASSWORD}` (a variable whose name looks like a credential, or whose value is a
 * URL with a password) is not replaced by its value but by a mark naming the variable; whatever key ends up holding
 * a mark becomes a secret reference as a whole (environment) or an error (anywhere else), so the value itself never
 * reaches a draft, a message or an output.
 */
const MARK_OPEN = '\uE000';
const MARK_CLOSE = '\uE001';
const MARKS = /\uE000([A-Za-z_][A-Za-z0-9_]*)\uE001/g;

/** The mark that stands for the interpolated credential `name`. */
export function credentialMark(name: string): string {
  return `${MARK_OPEN}${name}${MARK_CLOSE}`;
}

/** The credentials interpolated into `value` (deep: lists and maps too), by variable name. */
export function credentialsIn(value: unknown): string[] {
  const found = new Set<string>();
  const seen = new Set<object>();
  const walk = (v: unknown): void => {
    if (typeof v === 'string') {
      if (v.includes(MARK_OPEN)) for (const m of v.matchAll(MARKS)) found.add(m[1]);
      return;
    }
    if (v === null || typeof v !== 'object' || seen.has(v)) return;
    seen.add(v);
    if (Array.isArray(v)) v.forEach(walk);
    else {
      for (const [k, x] of Object.entries(v)) {
        walk(k);
        walk(x);
      }
    }
  };
  walk(value);
  return [...found];
}

/** `text` with every credential mark shown as `${NAME}`. */
export function redact(text: string): string {
  return text.includes(MARK_OPEN) ? text.replace(MARKS, '$${$1}') : text;
}

/** `${A}, ${B}` for messages. */
export function showCredentials(names: string[]): string {
  return names.map((n) => `\${${n}}`).join(', ');
}

/** URLs with a password in their user info: `postgres://user:pw@db/app`, `redis://:pw@cache`. */
const URL_WITH_PASSWORD = /[a-z][a-z0-9+.-]*:\/\/[^/@\s:]*:[^/@\s]+@/i;

/** Whether `text` holds a URL with a password. */
export function hasUrlPassword(text: string | undefined): boolean {
  return text !== undefined && URL_WITH_PASSWORD.test(text);
}

/**
 * A boolean as docker-compose reads it: true/false, yes/no, on/off, y/n (any case), 1/0; anything else throws.
 */
export function parseBoolean(value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  if (value === 1 || value === 0) return value === 1;
  if (typeof value === 'string') {
    const text = value.trim().toLowerCase();
    if (['true', 'yes', 'on', 'y', '1'].includes(text)) return true;
    if (['false', 'no', 'off', 'n', '0'].includes(text)) return false;
  }
  throw new ValueError(`must be a boolean (true/false, yes/no, on/off, 1/0), got ${show(value)}`);
}

/** A string value (numbers are read as their text, as compose does); anything else throws. */
export function scalarText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'boolean') return String(value);
  throw new ValueError(`must be a string, got ${show(value)}`);
}

/** `deploy.replicas`/`scale`: an integer 0..MAX_REPLICAS (the model's bound), as a number or the digits of a string. */
export function parseReplicas(value: unknown): number {
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\s*\d{1,16}\s*$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n < 0) throw new ValueError(`must be an integer >= 0, got ${show(value)}`);
  if (n > MAX_REPLICAS) throw new ValueError(`must be at most ${MAX_REPLICAS}, got ${show(value)}`);
  return n;
}

/** `1m30s`, `10s`, `500ms`, `1h` (or a plain number of seconds) in seconds. */
export function parseDuration(value: unknown): number {
  if (typeof value === 'number' && value >= 0) return value;
  const text = String(value).trim();
  const units: Record<string, number> = { us: 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(us|ms|s|m|h)/g)];
  if (!text || parts.map((p) => p[0]).join('') !== text) throw new ValueError(`is not a duration like 1m30s, got ${show(value)}`);
  return parts.reduce((sum, [, n, unit]) => sum + Number(n) * units[unit], 0);
}

/** `SIGINT`, `sigint` or `INT` as the model's signal name `SIGINT`; numbers and other forms are not read. */
export function parseSignal(value: unknown): string {
  const text = String(value).trim().toUpperCase();
  const name = text.startsWith('SIG') ? text : `SIG${text}`;
  if (typeof value !== 'string' || !/^SIG[A-Z][A-Z0-9]*$/.test(name))
    throw new ValueError(`is not a signal name like SIGINT, got ${show(value)}`);
  return name;
}

/** `512m`, `1g`, `1gb`, `2048k` or a byte count, in mebibytes (rounded up; compose sizes are 1024-based). */
export function parseMemoryMiB(value: unknown): number {
  const match = /^(\d+(?:\.\d+)?)\s*([bkmg]?)b?$/i.exec(String(value).trim());
  if (!match) throw new ValueError(`is not a size like 512m or 1g, got ${show(value)}`);
  const power = { '': 0, b: 0, k: 1, m: 2, g: 3 }[match[2].toLowerCase() as '' | 'b' | 'k' | 'm' | 'g'];
  const mib = (Number(match[1]) * 1024 ** power) / 1024 ** 2;
  if (!(mib > 0)) throw new ValueError(`must be > 0, got ${show(value)}`);
  return Math.max(1, Math.ceil(mib));
}

/** `0.5`, `'2'` cores in millicores. */
export function parseCpuMillis(value: unknown): number {
  const cores = Number(String(value).trim());
  if (!(cores > 0) || !Number.isFinite(cores)) throw new ValueError(`is not a number of CPUs like 0.5, got ${show(value)}`);
  return Math.max(1, Math.round(cores * 1000));
}

/** Splits a command string into words as docker-compose does (POSIX shell quoting, no expansion). */
export function splitShellWords(text: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote === "'") {
      if (c === "'") quote = undefined;
      else word += c;
    } else if (quote === '"') {
      if (c === '"') quote = undefined;
      else if (c === '\\' && (text[i + 1] === '"' || text[i + 1] === '\\')) word += text[++i];
      else word += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      inWord = true;
    } else if (c === '\\' && i + 1 < text.length) {
      word += text[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (quote) throw new ValueError(`has an unclosed ${quote} quote, got ${show(text)}`);
  if (inWord) words.push(word);
  return words;
}

/** A command as compose accepts it: a list of words, or a string split into words. */
export function commandWords(value: unknown): string[] {
  if (Array.isArray(value)) {
    return value.map((word, i) => {
      if (typeof word === 'string' || (typeof word === 'number' && Number.isFinite(word))) return String(word);
      throw new ValueError(`must be a string or a list of strings, got ${show(word)} at index ${i}`);
    });
  }
  if (typeof value === 'string') return splitShellWords(value);
  throw new ValueError(`must be a string or a list, got ${show(value)}`);
}

/**
 * Entries of a list-or-map key (`environment`, `labels`, `build.args`): `['A=1', 'B']` or `{ A: 1, B: null }`.
 * A missing value (`B`, `B:`) is `undefined`: compose takes it from the shell.
 */
export function keyValueEntries(value: unknown): Array<[string, string | undefined]> {
  if (value === null || value === undefined) return [];
  if (Array.isArray(value)) {
    return value.map((entry) => {
      if (typeof entry !== 'string') throw new ValueError(`must list KEY=VALUE strings, got ${show(entry)}`);
      const eq = entry.indexOf('=');
      return eq < 0 ? [entry, undefined] : [entry.slice(0, eq), entry.slice(eq + 1)];
    });
  }
  if (typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>).map(([k, v]) => {
      if (v === null || v === undefined) return [k, undefined];
      if (typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v))) return [k, String(v)];
      throw new ValueError(`${k} must be a string, number or boolean, got ${show(v)}`);
    });
  }
  throw new ValueError(`must be a list of KEY=VALUE or a map, got ${show(value)}`);
}

/** A list of strings, or one string as a list of one (`tmpfs`, `env_file`, `dns`). */
export function stringList(value: unknown): string[] {
  if (value === null || value === undefined) return [];
  return Array.isArray(value) ? value.map(scalarText) : [scalarText(value)];
}

/** The variables of a dotenv file (`KEY=value`, `export KEY=value`, quotes, `#` comments). */
export function parseDotenv(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const match = /^(?:export\s+)?([^=\s]+)\s*=\s*(.*)$/.exec(line);
    if (!match) continue;
    const [, name, rest] = match;
    const quoted = /^(['"])(.*)\1$/.exec(rest);
    if (quoted) out[name] = quoted[1] === '"' ? quoted[2].replace(/\\n/g, '\n').replace(/\\(["\\])/g, '$1') : quoted[2];
    else out[name] = rest.replace(/\s+#.*$/, '');
  }
  return out;
}

/** What {@link interpolate} could not resolve. */
export interface InterpolationProblem {
  readonly variable: string;
  readonly message: string;
}

/**
 * Compose interpolation of one string: `$$` -> `$`, `$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR-default}`,
 * `${VAR:?error}`, `${VAR?error}`, `${VAR:+alt}`, `${VAR+alt}` (defaults may nest). Unset variables become ''
 * and are reported through `problems`.
 */
export function interpolate(
  text: string,
  env: Record<string, string>,
  problems: InterpolationProblem[],
  isCredential: (name: string) => boolean = () => false,
): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c !== '$') {
      out += c;
      continue;
    }
    const next = text[i + 1];
    if (next === '$') {
      out += '$';
      i++;
    } else if (next === '{') {
      const end = closingBrace(text, i + 2);
      if (end < 0) throw new ValueError(`has an unclosed \${, got ${show(text)}`);
      out += substitute(text.slice(i + 2, end), env, problems, isCredential);
      i = end;
    } else {
      const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i + 1))?.[0];
      if (!name) {
        out += c;
        continue;
      }
      out += isCredential(name) ? credentialMark(name) : lookup(name, env, problems);
      i += name.length;
    }
  }
  return out;
}

function closingBrace(text: string, from: number): number {
  let depth = 1;
  for (let i = from; i < text.length; i++) {
    if (text[i] === '$' && text[i + 1] === '{') {
      depth++;
      i++;
    } else if (text[i] === '}' && --depth === 0) return i;
  }
  return -1;
}

function substitute(
  expr: string,
  env: Record<string, string>,
  problems: InterpolationProblem[],
  isCredential: (name: string) => boolean,
): string {
  const match = /^([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([\s\S]*))?$/.exec(expr);
  if (!match) throw new ValueError(`has an invalid substitution \${${expr}}`);
  const [, name, op, arg = ''] = match;
  const set = Object.prototype.hasOwnProperty.call(env, name);
  const kind = op?.replace(':', '');
  // A credential (or its default) is marked, never substituted; `${SECRET:+text}` inserts only the text.
  if (isCredential(name) && kind !== '+') {
    if (kind === '?' && !(op!.startsWith(':') ? set && env[name] !== '' : set))
      problems.push({ variable: name, message: `is required: ${interpolate(arg, env, problems, isCredential) || 'not set'}` });
    return credentialMark(name);
  }
  const recurse = (t: string) => interpolate(t, env, problems, isCredential);
  const nonEmpty = set && env[name] !== '';
  const present = op?.startsWith(':') ? nonEmpty : set;
  switch (kind) {
    case '-':
      return present ? env[name] : recurse(arg);
    case '+':
      return present ? recurse(arg) : '';
    case '?':
      if (!present) problems.push({ variable: name, message: `is required: ${recurse(arg) || 'not set'}` });
      return set ? env[name] : '';
    default:
      return lookup(name, env, problems);
  }
}

function lookup(name: string, env: Record<string, string>, problems: InterpolationProblem[]): string {
  if (Object.prototype.hasOwnProperty.call(env, name)) return env[name];
  problems.push({ variable: name, message: 'is not set: substituted an empty string' });
  return '';
}

/** A port mapping of `ports:` or `expose:`. */
export interface PortSpec {
  readonly port: number;
  readonly protocol: string;
  /** Host port; undefined: not published (expose) or published on a random host port (see `randomHost`). */
  readonly publish?: number;
  /** `ports: ['80']`: published on a host port Docker picks. */
  readonly randomHost?: boolean;
  readonly hostIp?: string;
  /** Port name of the long syntax. */
  readonly name?: string;
  /** Swarm publishing mode of the long syntax (`ingress`, `host`). */
  readonly mode?: string;
  readonly appProtocol?: string;
}

/** One entry of `ports:`: `"8080:80"`, `"127.0.0.1:80:80/udp"`, `"80"`, `80` or the long syntax. */
export function parsePortEntry(entry: unknown): PortSpec {
  if (entry !== null && typeof entry === 'object' && !Array.isArray(entry)) {
    const e = entry as Record<string, unknown>;
    const extra = Object.keys(e).filter((k) => !['target', 'published', 'host_ip', 'protocol', 'mode', 'name', 'app_protocol'].includes(k));
    if (extra.length > 0) throw new ValueError(`has keys that cannot be carried over: ${extra.join(', ')}`);
    const published = e.published === undefined || e.published === null || e.published === '' ? undefined : portNumber(e.published);
    return {
      port: portNumber(e.target),
      protocol: String(e.protocol ?? 'tcp').toLowerCase(),
      publish: published,
      randomHost: published === undefined && e.published !== undefined,
      hostIp: e.host_ip === undefined ? undefined : String(e.host_ip),
      name: e.name === undefined ? undefined : String(e.name),
      mode: e.mode === undefined ? undefined : String(e.mode),
      appProtocol: e.app_protocol === undefined ? undefined : String(e.app_protocol),
    };
  }
  const text = scalarText(entry).trim();
  const [spec, protocol = 'tcp'] = text.split('/');
  // An IPv6 host address is bracketed: `[::1]:80:80`.
  const ipv6 = /^\[([^\]]+)\]:(.*)$/.exec(spec);
  const parts = ipv6 ? [ipv6[1], ...ipv6[2].split(':')] : spec.split(':');
  if (parts.length > 3 || parts.some((p, i) => p === '' && !(i === 1 && parts.length === 3)))
    throw new ValueError(`is not a port mapping, got ${show(entry)}`);
  const container = parts[parts.length - 1];
  const host = parts.length >= 2 ? parts[parts.length - 2] : undefined;
  const hostIp = parts.length === 3 ? parts[0] : undefined;
  return {
    port: portNumber(container),
    protocol: protocol.toLowerCase(),
    publish: host ? portNumber(host) : undefined,
    randomHost: !host,
    hostIp,
  };
}

/** One entry of `expose:`: `3000`, `"3000/udp"`. */
export function parseExposeEntry(entry: unknown): PortSpec {
  const [port, protocol = 'tcp'] = scalarText(entry).trim().split('/');
  return { port: portNumber(port), protocol: protocol.toLowerCase() };
}

function portNumber(value: unknown): number {
  const text = String(value).trim();
  if (/^\d+-\d+$/.test(text)) throw new ValueError(`is a port range (${text}); the model declares single ports`);
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < 1 || n > 65535) throw new ValueError(`is not a port number in 1..65535, got ${show(value)}`);
  return n;
}

/** A mount of `volumes:`. */
export interface VolumeSpec {
  readonly type: 'volume' | 'bind' | 'tmpfs' | string;
  /** Volume name or host path; undefined for anonymous volumes and tmpfs. */
  readonly source?: string;
  readonly target: string;
  readonly readOnly: boolean;
  /** Options that cannot be carried over (`z`, `nocopy`, `bind.propagation`, ...). */
  readonly ignoredOptions: string[];
}

/** One entry of a service's `volumes:`, short (`name:/path:ro`, `./dir:/path`, `/path`) or long syntax. */
export function parseVolumeEntry(entry: unknown): VolumeSpec {
  if (entry !== null && typeof entry === 'object' && !Array.isArray(entry)) {
    const e = entry as Record<string, unknown>;
    if (typeof e.target !== 'string' || !e.target) throw new ValueError(`needs a 'target' path, got ${show(entry)}`);
    if (e.source !== undefined && e.source !== null && typeof e.source !== 'string')
      throw new ValueError(`has a 'source' that is not a string, got ${show(e.source)}`);
    const source = e.source === undefined || e.source === null || e.source === '' ? undefined : e.source;
    const ignoredOptions = Object.keys(e).filter((k) => !['type', 'source', 'target', 'read_only'].includes(k));
    return {
      type: String(e.type ?? (source ? 'volume' : 'volume')),
      source,
      target: e.target,
      readOnly: e.read_only === undefined ? false : parseBoolean(e.read_only),
      ignoredOptions,
    };
  }
  if (typeof entry !== 'string') throw new ValueError(`is not a volume mapping (a string or a map), got ${show(entry)}`);
  const text = entry;
  const parts = text.split(':');
  if (parts.length === 1) return { type: 'volume', target: text, readOnly: false, ignoredOptions: [] };
  if (parts.length > 3 || !parts[0] || !parts[1]) throw new ValueError(`is not a volume mapping, got ${show(entry)}`);
  const [source, target, mode = ''] = parts;
  const modes = mode.split(',').filter(Boolean);
  return {
    type: isHostPath(source) ? 'bind' : 'volume',
    source,
    target,
    readOnly: modes.includes('ro'),
    ignoredOptions: modes.filter((m) => m !== 'ro' && m !== 'rw'),
  };
}

/** Compose treats a volume source as a host path when it starts with '.', '/' or '~'. */
export function isHostPath(source: string): boolean {
  return /^[./~]/.test(source);
}
