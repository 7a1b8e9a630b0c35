import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { stringify } from 'yaml';
import { ComposeImport, ComposeImportDiagnostic, ComposeImportOptions, importCompose } from '../../lib/compose-import';
import { findMicroservices, MicroserviceProps, ResolvedService } from '../../lib/model';

/** The real compose files of docker/awesome-compose (see corpus/README.md). */
export const CORPUS_DIR = path.join(__dirname, 'corpus');
export const CORPUS = fs
  .readdirSync(CORPUS_DIR)
  .filter((f) => f.endsWith('.compose.yaml'))
  .sort();

/** The text of corpus file `file`. */
export function corpusText(file: string): string {
  return fs.readFileSync(path.join(CORPUS_DIR, file), 'utf8');
}

/** The application name a corpus file is imported as. */
export function corpusName(file: string): string {
  return file.replace(/\.compose\.yaml$/, '');
}

/** Imports a compose file given as an object. */
export function importObject(compose: object, options: ComposeImportOptions = {}): ComposeImport {
  return importCompose(stringify(compose), { name: 'app', ...options });
}

/** The result of importing one service `svc` defined by `definition` (plus top-level keys in `top`). */
export interface ServiceImport {
  readonly result: ComposeImport;
  readonly props: MicroserviceProps;
  /** Diagnostics about `svc` and key `field` (all of `svc` when omitted). */
  diags(field?: string): ComposeImportDiagnostic[];
}

/** Imports `{ services: { svc: definition }, ...top }` and returns the service's props and diagnostics. */
export function importService(definition: object, top: object = {}, options: ComposeImportOptions = {}): ServiceImport {
  const result = importObject({ services: { svc: definition }, ...top }, options);
  return { result, props: propsOf(result, 'svc'), diags: (field?: string) => diagnosticsOf(result, 'svc', field) };
}

/** The props of the imported service `name`; fails when there is none. */
export function propsOf(result: ComposeImport, name: string): MicroserviceProps {
  const found = findMicroservices(result.application).find((m) => m.node.id === name);
  if (!found) throw new Error(`no service '${name}' was imported`);
  return found.props;
}

/** Diagnostics of `service` (and `field`). */
export function diagnosticsOf(result: ComposeImport, service: string, field?: string): ComposeImportDiagnostic[] {
  return result.diagnostics.filter((d) => d.service === service && (field === undefined || d.field === field));
}

/** The resolved service `name`; fails when there is none. */
export function resolvedService(result: ComposeImport, name: string): ResolvedService {
  const s = result.application.resolve().services.find((x) => x.name === name);
  if (!s) throw new Error(`no resolved service '${name}'`);
  return s;
}

const projects: string[] = [];
afterAll(() => projects.splice(0).forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

/** A temporary project directory holding `files` (path -> content), removed after the test file. */
export function tempProject(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'compose-import-'));
  projects.push(dir);
  for (const [file, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), content);
  }
  return dir;
}
