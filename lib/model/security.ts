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
