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
  /**
   * Seccomp profile of the processes: the container runtime's default filter, a profile file on the node
   * (Kubernetes `Localhost`, relative to the kubelet's seccomp directory; Docker targets keep the engine default and
   * say so), or none (`Unconfined`, which breaks the baseline and restricted Pod Security profiles).
   * @default { type: SeccompProfileType.RUNTIME_DEFAULT }
   */
  readonly seccompProfile?: SeccompProfileProps;
  /**
   * AppArmor profile: 'runtime/default' (the runtime's default, Docker's docker-default), 'localhost/<profile>'
   * (a profile loaded on the node or host) or 'unconfined' (breaks the baseline profile). Unset, nothing is
   * requested: where the node has AppArmor the runtime applies its default profile anyway, and where it has none the
   * pod still runs — a 1.27 kubelet refuses every pod that requests a profile, even 'runtime/default', on a node
   * without AppArmor (seen on a real 1.20 kubelet: "Cannot enforce AppArmor: AppArmor is not enabled on the host").
   * @default - none requested (the runtime's default where the host has AppArmor)
   */
  readonly appArmorProfile?: string;
  /**
   * The explicit opt-out for settings that the Kubernetes Pod Security Standards reject: name the strictest
   * profile they break. Capabilities other than NET_BIND_SERVICE, root, privilege escalation and an Unconfined
   * seccomp profile break 'restricted'; capabilities outside the baseline list and unconfined seccomp or AppArmor
   * break 'baseline' too. Without it such settings are errors.
   * @default - none: the container meets the restricted profile
   */
  readonly breaksPodSecurity?: PodSecurityLevel;
}

/** The Kubernetes Pod Security Standards profiles, most permissive first. */
export enum PodSecurityLevel {
  PRIVILEGED = 'privileged',
  BASELINE = 'baseline',
  RESTRICTED = 'restricted',
}

/** Kinds of seccomp profile (Kubernetes' names). */
export enum SeccompProfileType {
  /** The container runtime's default filter (Docker's default profile). */
  RUNTIME_DEFAULT = 'RuntimeDefault',
  /** A profile file on the node, `localhostProfile` relative to the kubelet's seccomp directory. */
  LOCALHOST = 'Localhost',
  /** No filter. */
  UNCONFINED = 'Unconfined',
}

/** A seccomp profile. */
export interface SeccompProfileProps {
  readonly type: SeccompProfileType;
  /** Relative path of the profile on the node; required for and only allowed with `Localhost`. */
  readonly localhostProfile?: string;
}

export interface ResolvedSeccompProfile {
  readonly type: SeccompProfileType;
  readonly localhostProfile?: string;
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
  readonly seccompProfile: ResolvedSeccompProfile;
  /** Undefined: none requested (the runtime's default where the host has AppArmor). */
  readonly appArmorProfile?: string;
  /** The strictest Pod Security profile these settings break (declared by the user), if any. */
  readonly breaksPodSecurity?: PodSecurityLevel;
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
  seccompProfile: { type: SeccompProfileType.RUNTIME_DEFAULT },
};

/** The only capability the restricted profile lets a container add. */
export const RESTRICTED_CAPABILITIES: readonly string[] = ['NET_BIND_SERVICE'];
/** The capabilities the baseline profile lets a container add (Kubernetes 1.27 Pod Security Standards). */
export const BASELINE_CAPABILITIES: readonly string[] = [
  'AUDIT_WRITE',
  'CHOWN',
  'DAC_OVERRIDE',
  'FOWNER',
  'FSETID',
  'KILL',
  'MKNOD',
  'NET_BIND_SERVICE',
  'SETFCAP',
  'SETGID',
  'SETPCAP',
  'SETUID',
  'SYS_CHROOT',
];
const LEVEL_RANK: Record<PodSecurityLevel, number> = { privileged: 0, baseline: 1, restricted: 2 };

/**
 * What the settings break of the Pod Security Standards: per broken profile, the reasons, strictest profile last.
 * Empty when they meet 'restricted'.
 */
export function podSecurityViolations(s: ResolvedSecurity): Array<{ level: PodSecurityLevel; reason: string }> {
  const out: Array<{ level: PodSecurityLevel; reason: string }> = [];
  const baseline = (reason: string) => out.push({ level: PodSecurityLevel.BASELINE, reason });
  const restricted = (reason: string) => out.push({ level: PodSecurityLevel.RESTRICTED, reason });
  for (const cap of s.capabilitiesAdd) {
    if (!BASELINE_CAPABILITIES.includes(cap)) baseline(`capabilitiesAdd ${cap}`);
    else if (!RESTRICTED_CAPABILITIES.includes(cap)) restricted(`capabilitiesAdd ${cap}`);
  }
  if (s.seccompProfile.type === SeccompProfileType.UNCONFINED) baseline('seccompProfile Unconfined');
  if (s.appArmorProfile === 'unconfined') baseline('appArmorProfile unconfined');
  if (!s.runAsNonRoot) restricted('runAsNonRoot false');
  if (s.user === 0) restricted('user 0');
  if (s.allowPrivilegeEscalation) restricted('allowPrivilegeEscalation true');
  return out;
}

/** The strictest profile `s` breaks, if any (baseline when it breaks both). */
export function brokenPodSecurity(s: ResolvedSecurity): PodSecurityLevel | undefined {
  const levels = podSecurityViolations(s).map((v) => v.level);
  if (levels.length === 0) return undefined;
  return levels.reduce((a, b) => (LEVEL_RANK[a] <= LEVEL_RANK[b] ? a : b));
}

/** Whether a namespace enforcing `enforced` admits pods whose containers break `broken`. */
export function admits(enforced: PodSecurityLevel, broken: PodSecurityLevel | undefined): boolean {
  return broken === undefined || LEVEL_RANK[enforced] < LEVEL_RANK[broken];
}

const CAPABILITY = /^[A-Z][A-Z_]*$/;
const SECURITY_OPTIONS: OptionNames<SecurityProps> = {
  user: true,
  group: true,
  runAsNonRoot: true,
  readOnlyRootFilesystem: true,
  writablePaths: true,
  allowPrivilegeEscalation: true,
  capabilitiesAdd: true,
  seccompProfile: true,
  appArmorProfile: true,
  breaksPodSecurity: true,
};
const SECCOMP_OPTIONS: OptionNames<SeccompProfileProps> = { type: true, localhostProfile: true };
const APPARMOR = /^(runtime\/default|unconfined|localhost\/[A-Za-z0-9][-A-Za-z0-9_.\/]*)$/;

/**
 * Resolves the security of one level: `over` (as given at `where`) on top of the `base` it inherits. A root user
 * is checked on the merged result, and only where this level sets `user` or `runAsNonRoot`.
 * @internal
 */
export function resolveSecurity(base: ResolvedSecurity, over: SecurityProps | undefined, where: string, report: Report): ResolvedSecurity {
  if (!over || !objectRule(over, where, report)) return cloneSecurity(base);
  unknownOptionRules(over, SECURITY_OPTIONS, where, report);
  for (const field of ['user', 'group'] as const) {
    if (over[field] !== undefined && !inRange(over[field], 0, 2147483647))
      report(`'${where}.${field}' must be an integer >= 0, got ${show(over[field])}`);
  }
  for (const cap of over.capabilitiesAdd ?? []) {
    if (!CAPABILITY.test(cap) || cap.startsWith('CAP_'))
      report(`'${where}.capabilitiesAdd' must hold names like NET_BIND_SERVICE, got ${show(cap)}`);
  }
  for (const p of over.writablePaths ?? []) {
    if (!path.posix.isAbsolute(p)) report(`'${where}.writablePaths' must be absolute paths, got ${show(p)}`);
  }
  const seccomp = over.seccompProfile;
  if (seccomp !== undefined) {
    unknownOptionRules(seccomp, SECCOMP_OPTIONS, `${where}.seccompProfile`, report);
    if (!Object.values(SeccompProfileType).includes(seccomp?.type)) {
      report(`'${where}.seccompProfile.type' must be one of ${Object.values(SeccompProfileType).join(', ')}, got ${show(seccomp?.type)}`);
    } else if (seccomp.type === SeccompProfileType.LOCALHOST) {
      const lp = seccomp.localhostProfile;
      if (typeof lp !== 'string' || lp === '' || path.posix.isAbsolute(lp) || lp.split('/').includes('..')) {
        report(`'${where}.seccompProfile.localhostProfile' must be a relative path below the kubelet's seccomp directory, got ${show(lp)}`);
      }
    } else if (seccomp.localhostProfile !== undefined) {
      report(`'${where}.seccompProfile.localhostProfile' is only allowed with type Localhost, got ${show(seccomp.localhostProfile)}`);
    }
  }
  if (over.appArmorProfile !== undefined && !(typeof over.appArmorProfile === 'string' && APPARMOR.test(over.appArmorProfile))) {
    report(
      `'${where}.appArmorProfile' must be 'runtime/default', 'unconfined' or 'localhost/<profile>', got ${show(over.appArmorProfile)}`,
    );
  }
  if (over.breaksPodSecurity !== undefined && ![PodSecurityLevel.BASELINE, PodSecurityLevel.RESTRICTED].includes(over.breaksPodSecurity)) {
    report(`'${where}.breaksPodSecurity' must be 'restricted' or 'baseline', got ${show(over.breaksPodSecurity)}`);
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
    seccompProfile: seccomp && Object.values(SeccompProfileType).includes(seccomp.type) ? { ...seccomp } : { ...base.seccompProfile },
    appArmorProfile: over.appArmorProfile ?? base.appArmorProfile,
    ...((over.breaksPodSecurity ?? base.breaksPodSecurity) !== undefined
      ? { breaksPodSecurity: over.breaksPodSecurity ?? base.breaksPodSecurity }
      : {}),
  };
  if ((over.user !== undefined || over.runAsNonRoot !== undefined) && merged.user === 0 && merged.runAsNonRoot) {
    report(`'${where}.user' must not be 0 (root) while 'runAsNonRoot' is true (set runAsNonRoot: false to run as root), got 0`);
  } else if (merged.capabilitiesAdd.every((cap) => CAPABILITY.test(cap) && !cap.startsWith('CAP_'))) {
    // Only on settings that are otherwise valid: one mistake, one message.
    podSecurityRules(merged, over, where, report);
  }
  return merged;
}

/**
 * The opt-out rule, checked where a level changes a field the Pod Security Standards look at: settings that break
 * a profile need `breaksPodSecurity` naming the strictest profile they break.
 */
function podSecurityRules(merged: ResolvedSecurity, over: SecurityProps, where: string, report: Report): void {
  const touched =
    over.capabilitiesAdd !== undefined ||
    over.seccompProfile !== undefined ||
    over.appArmorProfile !== undefined ||
    over.runAsNonRoot !== undefined ||
    over.user !== undefined ||
    over.allowPrivilegeEscalation !== undefined ||
    over.breaksPodSecurity !== undefined;
  if (!touched) return;
  const violations = podSecurityViolations(merged);
  const broken = brokenPodSecurity(merged);
  if (broken === undefined || merged.breaksPodSecurity === broken) return;
  const reasons = violations
    .filter((v) => v.level === broken)
    .map((v) => v.reason)
    .join(', ');
  if (merged.breaksPodSecurity === undefined) {
    report(`'${where}' breaks the ${broken} Pod Security profile (${reasons}); add breaksPodSecurity: '${broken}' to opt out explicitly`);
  } else {
    report(
      `'${where}.breaksPodSecurity' must name the strictest profile the settings break, '${broken}' (${reasons}), got ` +
        `${show(merged.breaksPodSecurity)}`,
    );
  }
}

function cloneSecurity(s: ResolvedSecurity): ResolvedSecurity {
  return {
    ...s,
    seccompProfile: { ...s.seccompProfile },
    writablePaths: [...s.writablePaths],
    capabilitiesDrop: [...s.capabilitiesDrop],
    capabilitiesAdd: [...s.capabilitiesAdd],
  };
}
