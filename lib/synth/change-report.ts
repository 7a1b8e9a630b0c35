import { parseAllDocuments } from 'yaml';
import { OutputFile } from './output-files';

/** One object that a synth adds, changes or removes. */
export interface ObjectChange {
  readonly kind: 'added' | 'changed' | 'removed';
  /** `Deployment/web`, `service/web`, `line 3`. */
  readonly object: string;
  /** Changed fields, `path: old -> new` (changed objects only). */
  readonly fields: string[];
}

/** Changes of one output file (one stack, one target). */
export interface FileChanges {
  readonly file: string;
  readonly target: string;
  /** The file did not exist before: everything in it is new. */
  readonly isNew: boolean;
  readonly changes: ObjectChange[];
}

const MAX_FIELDS = 6;

/**
 * What a synth changes compared with the previous output, object by object (like helm-diff), so a reviewer
 * sees what applying it would do. Kubernetes objects are keyed by kind/namespace/name, compose entries by
 * section/name, other files by line.
 */
export function changeReport(previous: Map<string, string>, files: OutputFile[]): FileChanges[] {
  const report: FileChanges[] = [];
  for (const f of files) {
    const target = targetOf(f.path);
    if (!target) continue;
    // Same text, same objects: nothing to parse or compare.
    if (previous.get(f.path) === f.content) {
      report.push({ file: f.path, target, isNew: false, changes: [] });
      continue;
    }
    const before = previous.has(f.path) ? objectsOf(f.path, previous.get(f.path)!) : new Map<string, unknown>();
    const after = objectsOf(f.path, f.content, f.data);
    const changes: ObjectChange[] = [];
    for (const [key, value] of after) {
      if (!before.has(key)) changes.push({ kind: 'added', object: key, fields: [] });
      else {
        const fields = diffFields(before.get(key), value, '');
        if (fields.length > 0) changes.push({ kind: 'changed', object: key, fields });
      }
    }
    for (const key of before.keys()) if (!after.has(key)) changes.push({ kind: 'removed', object: key, fields: [] });
    report.push({ file: f.path, target, isNew: !previous.has(f.path), changes });
  }
  return report;
}

/** Printable lines of a report: a summary per file, then one line per object. */
export function formatChangeReport(report: FileChanges[]): string[] {
  const lines: string[] = [];
  for (const r of report) {
    const count = (k: ObjectChange['kind']) => r.changes.filter((c) => c.kind === k).length;
    if (r.isNew) {
      lines.push(`${r.file} (${r.target}): new, ${count('added')} objects`);
      continue;
    }
    if (r.changes.length === 0) {
      lines.push(`${r.file} (${r.target}): unchanged`);
      continue;
    }
    lines.push(`${r.file} (${r.target}): ${count('added')} added, ${count('changed')} changed, ${count('removed')} removed`);
    for (const c of r.changes) {
      const sign = c.kind === 'added' ? '+' : c.kind === 'removed' ? '-' : '~';
      const shown =
        c.fields.slice(0, MAX_FIELDS).join('; ') + (c.fields.length > MAX_FIELDS ? `; (+${c.fields.length - MAX_FIELDS} more)` : '');
      lines.push(`  ${sign} ${c.object}${shown ? `: ${shown}` : ''}`);
    }
  }
  return lines;
}

function targetOf(file: string): string | undefined {
  if (file.endsWith('.k8s.yaml')) return 'kubernetes';
  if (file.endsWith('.compose.yaml')) return 'compose';
  if (file.endsWith('.mmd')) return 'diagram';
  return undefined;
}

/** The objects of a file by key, from `data` (what the YAML was written from) when given, else parsed. */
function objectsOf(file: string, text: string, data?: unknown): Map<string, unknown> {
  const out = new Map<string, unknown>();
  if (file.endsWith('.k8s.yaml')) {
    const docs = Array.isArray(data) ? data : parseAllDocuments(text).map((d) => d.toJS());
    for (const doc of docs) {
      const o = doc as { kind?: string; metadata?: { name?: string; namespace?: string } } | null;
      if (!o) continue;
      out.set(`${o.kind}/${o.metadata?.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata?.name}`, o);
    }
  } else if (file.endsWith('.compose.yaml')) {
    const doc = (data ?? parseAllDocuments(text)[0]?.toJS() ?? {}) as Record<string, Record<string, unknown> | undefined>;
    for (const section of ['services', 'networks', 'volumes', 'secrets']) {
      for (const [name, value] of Object.entries(doc[section] ?? {})) out.set(`${section.replace(/s$/, '')}/${name}`, value);
    }
  } else {
    // Diagram lines are the objects: a line appears or disappears.
    for (const line of text.split('\n').filter((l) => l.trim())) out.set(line.trim(), line);
  }
  return out;
}

function diffFields(a: unknown, b: unknown, path: string): string[] {
  if (JSON.stringify(a) === JSON.stringify(b)) return [];
  const isObj = (x: unknown) => x !== null && typeof x === 'object';
  if (isObj(a) && isObj(b) && Array.isArray(a) === Array.isArray(b)) {
    const keys = [...new Set([...Object.keys(a as object), ...Object.keys(b as object)])];
    return keys.flatMap((k) => {
      const sub = Array.isArray(a) ? `${path}[${k}]` : path ? `${path}.${k}` : k;
      return diffFields((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], sub);
    });
  }
  return [`${path} ${short(a)} -> ${short(b)}`];
}

function short(v: unknown): string {
  if (v === undefined) return '(none)';
  const s = JSON.stringify(v);
  return s.length > 40 ? `${s.slice(0, 37)}...` : s;
}
