/* The diagnostics collector of one import (internal). */
import { DiagnosticLevel } from '../model';
import { COMPOSE_IMPORT_TARGET, ComposeImportDiagnostic } from './options';

/** Collects the diagnostics of one import. */
export class ImportReport {
  public readonly diagnostics: ComposeImportDiagnostic[] = [];

  public info(service: string, field: string, message: string): void {
    this.add('info', service, field, message);
  }

  public warn(service: string, field: string, message: string): void {
    this.add(DiagnosticLevel.WARNING, service, field, message);
  }

  public error(service: string, field: string, message: string): void {
    this.add(DiagnosticLevel.ERROR, service, field, message);
  }

  /** The standard report of a key the model has no place for. */
  public notCarried(service: string, field: string, reason?: string): void {
    this.warn(service, field, `cannot be carried over${reason ? `: ${reason}` : ''}`);
  }

  private add(level: ComposeImportDiagnostic['level'], service: string, field: string, message: string): void {
    this.diagnostics.push({ level, target: COMPOSE_IMPORT_TARGET, service, field, message });
  }
}
