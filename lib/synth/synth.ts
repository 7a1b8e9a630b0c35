import * as path from 'path';
import { Application, Diagnostic, formatDiagnostic, UnsupportedError } from '../model';
import { OutputFile, readOutputFiles, writeOutputFiles } from './output-files';

/** What one target makes of one application. */
export interface Rendering {
  readonly files: OutputFile[];
  readonly diagnostics: Diagnostic[];
  /** Folders (relative to the output directory) this rendering owns entirely. @default [] */
  readonly ownedDirs?: string[];
  /** Folders inside owned ones that users fill (secret files): kept when the owned folder is replaced. @default [] */
  readonly preservedDirs?: string[];
}

/** Where a rendering will be written. */
export interface RenderContext {
  /** Absolute output directory. */
  readonly outdir: string;
}

/** A target: renders an application named `stack` into files. */
export type Renderer = (stack: string, application: Application, context: RenderContext) => Rendering;

/** Properties of {@link synthStacks}. */
export interface SynthOptions {
  /** Output directory. */
  readonly outdir: string;
  /** Applications by stack name. */
  readonly stacks: Record<string, () => Application>;
  /** Targets to render, in order. */
  readonly renderers: Renderer[];
  /**
   * Called with every output file before it is written (e.g. to copy manifests where the cdk8s CLI expects them).
   * @default - nothing
   */
  readonly onFile?: (file: OutputFile) => void;
}

/**
 * Result of a synth: written files and diagnostics, or the errors that stopped it. An invalid application stops
 * everything before writing; a setting one target cannot express (UnsupportedError, e.g. a Docker-only rule) fails
 * that target alone: its files stay as they were and the other targets are written.
 */
export interface SynthResult {
  /** Every stack rendered in every target. */
  readonly ok: boolean;
  /** Whether anything was written (false when an application is invalid). */
  readonly written: boolean;
  readonly errors: string[];
  readonly diagnostics: Diagnostic[];
  readonly files: OutputFile[];
  /** Previous content of the output directory, for change reports. */
  readonly previous: Map<string, string>;
}

/**
 * Builds, validates and renders every stack; writes only when every application is valid, so an invalid definition
 * leaves the existing output untouched. A target that cannot express a setting keeps its previous files.
 */
export function synthStacks(options: SynthOptions): SynthResult {
  const errors: string[] = [];
  const targetErrors: string[] = [];
  const diagnostics: Diagnostic[] = [];
  const files: OutputFile[] = [];
  const ownedDirs: string[] = [];
  const preservedDirs: string[] = [];
  const context: RenderContext = { outdir: path.resolve(options.outdir) };
  for (const [stack, build] of Object.entries(options.stacks)) {
    try {
      const application = build();
      // Every backend resolves the application: locked, the tree cannot change, so it is resolved (validated) once.
      application.node.lock();
      application.resolve();
      for (const render of options.renderers) {
        let r: Rendering;
        try {
          r = render(stack, application, context);
        } catch (e) {
          if (!(e instanceof UnsupportedError)) throw e;
          targetErrors.push(`stack '${stack}': ${e.message}`);
          continue;
        }
        files.push(...r.files);
        diagnostics.push(...r.diagnostics);
        ownedDirs.push(...(r.ownedDirs ?? []));
        preservedDirs.push(...(r.preservedDirs ?? []));
      }
    } catch (e) {
      errors.push(`stack '${stack}': ${(e as Error).message}`);
    }
  }
  const previous = readOutputFiles(options.outdir);
  if (errors.length > 0) return { ok: false, written: false, errors, diagnostics, files: [], previous };
  files.forEach((f) => options.onFile?.(f));
  writeOutputFiles(options.outdir, files, ownedDirs, preservedDirs);
  return { ok: targetErrors.length === 0, written: true, errors: targetErrors, diagnostics, files, previous };
}

/** Diagnostics as printable lines. */
export function formatDiagnostics(diagnostics: Diagnostic[]): string[] {
  return diagnostics.map(formatDiagnostic);
}
