/* Container hardening: the secure defaults, their inheritance (container, service, application) and rules. */
import * as path from 'path';
import { inRange, objectRule, OptionNames, Report, show, unknownOptionRules } from './validation';

/**
 * Container hardening. Every field falls back to the application's setting, then to the secure default.
 */
export interface SecurityProps {
  /**
   * User id the processes run as. Set 0 only together with `runAsNonRoot: false`.
   * @default 10001
   */
  readonly user?: number;
  /**
   * Group id the processes run as (also the Kubernetes fsGroup, so volumes are writable).
   * @default 10001
   */
  readonly group?: number;
  /**
   * Refuse to run as uid 0.
   * @default true
   */
  readonly runAsNonRoot?: boolean;
  /**
   * Mount the container's root filesystem read-only.
   * @default true
   */
  readonly readOnlyRootFilesystem?: boolean;
  /**
   * Paths that stay writable (as tmpfs / emptyDir) when the root filesystem is read-only.
   * @default ['/tmp']
   */
  readonly writablePaths?: string[];
  /**
   * Allow gaining privileges (setuid binaries); off means `no-new-privileges`.
   * @default false
   */
  readonly allowPrivilegeEscalation?: boolean;
  /**
   * Linux capabilities added back after all are dropped, e.g. `['NET_BIND_SERVICE']`.
   * @default []
   */
  readonly capabilitiesAdd?: string[];
}

export interface ResolvedSecurity {
  readonly user: number;
  readonly group: number;
  readonly runAsNonRoot: boolean;
  readonly readOnlyRootFilesystem: boolean;
  readonly writablePaths: string[];
  readonly allowPrivilegeEscalation: boolean;
  readonly capabilitiesDrop: string[];
  readonly capabilitiesAdd: string[];
}

export const DEFAULT_SECURITY: ResolvedSecurity = {
  user: 10001,
  group: 10001,
  runAsNonRoot: true,
  readOnlyRootFilesystem: true,
  writablePaths: ['/tmp'],
  allowPrivilegeEscalation: false,
  capabilitiesDrop: ['ALL'],
  capabilitiesAdd: [],
};

const CAPABILITY = /^[A-Z][A-Z_]*$/;
const SECURITY_OPTIONS: OptionNames<SecurityProps> = {
  user: true, group: true, runAsNonRoot: true, readOnlyRootFilesystem: true, writablePaths: true, allowPrivilegeEscalation: true, capabilitiesAdd: true,
};

/**
 * Resolves the security of one level: `over` (as given at `where`) on top of the `base` it inherits. A root user
 * is checked on the merged result, and only where this level sets `user` or `runAsNonRoot`.
 * @internal
 */
export function resolveSecurity(base: ResolvedSecurity, over: SecurityProps | undefined, where: string, report: Report): ResolvedSecurity {
  if (!over || !objectRule(over, where, report)) return cloneSecurity(base);
  unknownOptionRules(over, SECURITY_OPTIONS, where, report);
  for (const field of ['user', 'group'] as const) {
    if (over[field] !== undefined && !inRange(over[field], 0, 2147483647)) report(`'${where}.${field}' must be an integer >= 0, got ${show(over[field])}`);
  }
  for (const cap of over.capabilitiesAdd ?? []) {
    if (!CAPABILITY.test(cap) || cap.startsWith('CAP_')) report(`'${where}.capabilitiesAdd' must hold names like NET_BIND_SERVICE, got ${show(cap)}`);
  }
  for (const p of over.writablePaths ?? []) {
    if (!path.posix.isAbsolute(p)) report(`'${where}.writablePaths' must be absolute paths, got ${show(p)}`);
  }
  const merged: ResolvedSecurity = {
    user: over.user ?? base.user,
    group: over.group ?? base.group,
    runAsNonRoot: over.runAsNonRoot ?? base.runAsNonRoot,
    readOnlyRootFilesystem: over.readOnlyRootFilesystem ?? base.readOnlyRootFilesystem,
    writablePaths: [...(over.writablePaths ?? base.writablePaths)],
    allowPrivilegeEscalation: over.allowPrivilegeEscalation ?? base.allowPrivilegeEscalation,
    capabilitiesDrop: [...base.capabilitiesDrop],
    capabilitiesAdd: [...(over.capabilitiesAdd ?? base.capabilitiesAdd)],
  };
  if ((over.user !== undefined || over.runAsNonRoot !== undefined) && merged.user === 0 && merged.runAsNonRoot) {
    report(`'${where}.user' must not be 0 (root) while 'runAsNonRoot' is true (set runAsNonRoot: false to run as root), got 0`);
  }
  return merged;
}

function cloneSecurity(s: ResolvedSecurity): ResolvedSecurity {
  return { ...s, writablePaths: [...s.writablePaths], capabilitiesDrop: [...s.capabilitiesDrop], capabilitiesAdd: [...s.capabilitiesAdd] };
}
