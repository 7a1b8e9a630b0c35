/*
 * An Application as TypeScript source: the stack a user keeps and edits after `microservice-constructs import`.
 * The source is printed from the model objects themselves (not from the compose file), so whatever the importer
 * decided is exactly what the code says.
 */
import * as path from 'path';
import {
  Application,
  Cpu,
  DependencyCondition,
  EnvSource,
  EnvValue,
  findMicroservices,
  Image,
  Memory,
  Probe,
  ProbeKind,
  PodSecurityLevel,
  Protocol,
  RestartPolicy,
  ServiceType,
} from '../model';

/** Options of {@link applicationToTypeScript}. */
export interface TypeScriptOptions {
  /** Name of the exported function. @default - the application name in camelCase */
  readonly functionName?: string;
  /** Module the code imports the library from. @default 'microservice-constructs' */
  readonly importFrom?: string;
  /**
   * Directory build contexts are written relative to (the model resolves relative contexts against the working
   * directory of the synth).
   * @default process.cwd()
   */
  readonly relativeTo?: string;
  /** Comment lines above the code. @default [] */
  readonly header?: string[];
}

/** Fields whose string values are members of an exported enum. */
const ENUM_FIELDS: Record<string, [string, Record<string, string>]> = {
  protocol: ['Protocol', Protocol],
  restartPolicy: ['RestartPolicy', RestartPolicy],
  serviceType: ['ServiceType', ServiceType],
  condition: ['DependencyCondition', DependencyCondition],
  breaksPodSecurity: ['PodSecurityLevel', PodSecurityLevel],
};

const RESERVED = new Set(
  (
    'break case catch class const continue debugger default delete do else enum export extends false finally for ' +
    'function if import in instanceof new null return super switch this throw true try typeof var void while with yield let static ' +
    'implements interface package private protected public await app props'
  ).split(' '),
);

/**
 * `export function <name>(props: ApplicationProps = {}): Application { ... }` building `application`'s services
 * and dependencies. Only services directly below the application are supported (what compose import creates).
 */
export function applicationToTypeScript(application: Application, options: TypeScriptOptions = {}): string {
  const printer = new Printer(path.resolve(options.relativeTo ?? process.cwd()));
  const services = findMicroservices(application);
  const vars = new Map<unknown, string>();
  const taken = new Set<string>();
  const body: string[] = [];
  const appProps = Object.keys(application.props).length > 0 ? `{ ...${printer.value(application.props, 1)}, ...props }` : 'props';
  body.push(`  const app = new Application(${quote(application.name)}, ${appProps});`);
  // Only services that take part in a dependency get a variable: an unused one would not compile under noUnusedLocals.
  const linked = new Set(services.flatMap((s) => (s.dependsOn.length > 0 ? [s, ...s.dependsOn.map((d) => d.service)] : [])));
  for (const s of services) {
    if (s.node.scope !== application)
      throw new Error(`service '${s.node.path}': only services directly below the application can be printed`);
    printer.use('Microservice');
    const construct = `new Microservice(app, ${quote(s.node.id)}, ${printer.value(s.props, 1)});`;
    if (!linked.has(s)) {
      body.push(`  ${construct}`);
      continue;
    }
    const v = identifier(s.node.id, taken);
    vars.set(s, v);
    body.push(`  const ${v} = ${construct}`);
  }
  for (const s of services) {
    for (const dep of s.dependsOn) {
      const condition = dep.condition ? `, ${printer.value({ condition: dep.condition }, 1)}` : '';
      body.push(`  ${vars.get(s)}.addDependency(${vars.get(dep.service)}${condition});`);
    }
  }
  body.push('  return app;');
  const name = options.functionName ?? identifier(application.name, new Set());
  return [
    ...(options.header ?? []).map((l) => `// ${l}`.trimEnd()),
    `import { ${['Application', 'ApplicationProps', ...printer.imports].sort().join(', ')} } from ` +
      `${quote(options.importFrom ?? 'microservice-constructs')};`,
    '',
    `/** The application '${application.name}'. */`,
    `export function ${name}(props: ApplicationProps = {}): Application {`,
    ...body,
    '}',
    '',
  ].join('\n');
}

/** Prints model values as TypeScript expressions, collecting the names they need. */
class Printer {
  private readonly used = new Set<string>();

  constructor(private readonly relativeTo: string) {}

  public get imports(): string[] {
    return [...this.used];
  }

  public use(name: string): void {
    this.used.add(name);
  }

  /** `v` at nesting `depth` (two spaces a level); `field` is the property it is the value of. */
  public value(v: unknown, depth: number, field?: string): string {
    if (typeof v === 'string') return field && ENUM_FIELDS[field] ? this.enumMember(field, v) : quote(v);
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    if (v instanceof Image) return this.image(v, depth);
    if (v instanceof EnvValue) return this.envValue(v);
    if (v instanceof Probe) return this.probe(v, depth);
    if (v instanceof Cpu) return this.call('Cpu', 'millis', [String(v.millis)]);
    if (v instanceof Memory) return this.call('Memory', 'mebibytes', [String(v.mebibytes)]);
    if (Array.isArray(v))
      return this.list(
        v.map((x) => this.value(x, depth + 1)),
        depth,
      );
    if (v !== null && typeof v === 'object') {
      const entries = Object.entries(v).filter(([, x]) => x !== undefined);
      return this.object(
        entries.map(([k, x]) => `${key(k)}: ${this.value(x, depth + 1, k)}`),
        depth,
      );
    }
    throw new Error(`cannot print ${String(v)} as TypeScript`);
  }

  private image(image: Image, depth: number): string {
    if (!image.build) {
      const options = image.allowUnpinned ? [`{ allowUnpinned: true }`] : [];
      return this.call('Image', 'fromRegistry', [quote(image.reference!), ...options]);
    }
    const b = image.build;
    const relative = path.isAbsolute(b.context) ? path.relative(this.relativeTo, b.context) || '.' : b.context;
    const context = relative.startsWith('.') || path.isAbsolute(relative) ? relative : `./${relative}`;
    const options = {
      dockerfile: b.dockerfile === 'Dockerfile' ? undefined : b.dockerfile,
      buildArgs: Object.keys(b.buildArgs).length > 0 ? b.buildArgs : undefined,
      target: b.target,
      tag: image.reference,
    };
    const hasOptions = Object.values(options).some((x) => x !== undefined);
    return this.call('Image', 'fromDockerfile', [quote(context), ...(hasOptions ? [this.value(options, depth)] : [])]);
  }

  private envValue(v: EnvValue): string {
    switch (v.source) {
      case EnvSource.SECRET:
        return this.call('EnvValue', 'fromSecret', [quote(v.secret!.name), quote(v.secret!.key)]);
      case EnvSource.CONFIG:
        return this.call('EnvValue', 'fromConfig', [quote(v.configKey!)]);
      default:
        return this.call('EnvValue', 'fromValue', [quote(v.value ?? ''), ...(v.valueOptions?.notSecret ? ['{ notSecret: true }'] : [])]);
    }
  }

  private probe(p: Probe, depth: number): string {
    const timing = { ...p.timing, ...(p.port !== undefined ? { port: p.port } : {}) };
    const options = Object.keys(timing).length > 0 ? [this.value(timing, depth)] : [];
    switch (p.kind) {
      case ProbeKind.COMMAND:
        return this.call('Probe', 'command', [this.value(p.command, depth), ...options]);
      case ProbeKind.HTTP:
        return this.call('Probe', 'http', [quote(p.path ?? '/'), ...options]);
      default:
        return this.call('Probe', p.kind, options);
    }
  }

  private enumMember(field: string, value: string): string {
    const [enumName, members] = ENUM_FIELDS[field];
    const member = Object.keys(members).find((k) => members[k] === value);
    if (!member) return quote(value);
    this.use(enumName);
    return `${enumName}.${member}`;
  }

  private call(type: string, method: string, args: string[]): string {
    this.use(type);
    return `${type}.${method}(${args.join(', ')})`;
  }

  private list(items: string[], depth: number): string {
    return wrap('[', ']', items, depth);
  }

  private object(entries: string[], depth: number): string {
    return entries.length === 0 ? '{}' : wrap('{ ', ' }', entries, depth, '{', '}');
  }
}

/** Items on one line when short, else one per line. */
function wrap(open: string, close: string, items: string[], depth: number, openMulti = open.trim(), closeMulti = close.trim()): string {
  const inline = `${open}${items.join(', ')}${close}`;
  if (inline.length <= 100 && !inline.includes('\n')) return inline;
  const pad = '  '.repeat(depth + 1);
  return `${openMulti}\n${items.map((i) => `${pad}${i},`).join('\n')}\n${'  '.repeat(depth)}${closeMulti}`;
}

/** A TypeScript string literal: single-quoted, or a template literal for multi-line text (config files). */
function quote(s: string): string {
  if (s.includes('\n') && !/[\r\u2028\u2029]/.test(s))
    return '`' + s.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${') + '`';
  return `'${JSON.stringify(s).slice(1, -1).replace(/\\"/g, '"').replace(/'/g, "\\'")}'`;
}

/** An object key: bare when it is an identifier. */
function key(k: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(k) ? k : quote(k);
}

/** A camelCase identifier for `name`, unique among `taken` and not a reserved word. */
function identifier(name: string, taken: Set<string>): string {
  const words = name.split(/[^A-Za-z0-9]+/).filter(Boolean);
  let id =
    words.map((w, i) => (i === 0 ? w.charAt(0).toLowerCase() + w.slice(1) : w.charAt(0).toUpperCase() + w.slice(1))).join('') || 'service';
  if (/^\d/.test(id)) id = `s${id}`;
  if (RESERVED.has(id)) id = `${id}Service`;
  let unique = id;
  for (let n = 2; taken.has(unique); n++) unique = `${id}${n}`;
  taken.add(unique);
  return unique;
}
