/*
 * Every pod we render meets the Pod Security Standards' "restricted" profile, checked control by control as
 * https://kubernetes.io/docs/concepts/security/pod-security-standards/ lists them for Kubernetes 1.27 (baseline
 * controls first: restricted includes them).
 */
import { Testing } from 'cdk8s';
import { ApplicationChart } from '../../lib/k8s';
import { PodSecurityLevel, SeccompProfileType } from '../../lib/model';
import { STACKS } from '../../stacks';
import { find, httpService, IMAGE, newApp, podSpec, synth, worker } from './helpers';

const BASELINE_CAPABILITIES = [
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
const SAFE_SYSCTLS = [
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range',
];
const RESTRICTED_VOLUMES = ['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret'];
const SELINUX_TYPES = [undefined, '', 'container_t', 'container_init_t', 'container_kvm_t'];

/** The violations of the restricted profile of one pod template (metadata + spec); empty when it passes. */
export function restrictedViolations(meta: any, spec: any): string[] {
  const out: string[] = [];
  const containers: any[] = [...(spec.containers ?? []), ...(spec.initContainers ?? []), ...(spec.ephemeralContainers ?? [])];
  const pod = spec.securityContext ?? {};
  const each = (check: (c: any) => string | undefined) =>
    containers.forEach((c) => {
      const v = check(c);
      if (v) out.push(`container ${c.name}: ${v}`);
    });
  // Baseline
  if (pod.windowsOptions?.hostProcess) out.push('HostProcess');
  each((c) => (c.securityContext?.windowsOptions?.hostProcess ? 'HostProcess' : undefined));
  for (const f of ['hostNetwork', 'hostPID', 'hostIPC']) if (spec[f]) out.push(`host namespaces: ${f}`);
  each((c) => (c.securityContext?.privileged ? 'privileged' : undefined));
  each((c) =>
    (c.securityContext?.capabilities?.add ?? []).find((x: string) => !BASELINE_CAPABILITIES.includes(x))
      ? 'capability beyond baseline'
      : undefined,
  );
  for (const v of spec.volumes ?? []) if (v.hostPath) out.push(`hostPath volume ${v.name}`);
  each((c) => ((c.ports ?? []).some((p: any) => p.hostPort) ? 'hostPort' : undefined));
  for (const [k, v] of Object.entries<string>(meta?.annotations ?? {})) {
    if (k.startsWith('container.apparmor.security.beta.kubernetes.io/') && !(v === 'runtime/default' || v.startsWith('localhost/')))
      out.push(`AppArmor ${k}=${v}`);
  }
  for (const so of [pod.seLinuxOptions, ...containers.map((c) => c.securityContext?.seLinuxOptions)]) {
    if (so && (!SELINUX_TYPES.includes(so.type) || so.user || so.role)) out.push('SELinux options');
  }
  each((c) => (c.securityContext?.procMount && c.securityContext.procMount !== 'Default' ? 'procMount' : undefined));
  if (pod.seccompProfile?.type === 'Unconfined') out.push('pod seccomp Unconfined');
  each((c) => (c.securityContext?.seccompProfile?.type === 'Unconfined' ? 'seccomp Unconfined' : undefined));
  for (const s of pod.sysctls ?? []) if (!SAFE_SYSCTLS.includes(s.name)) out.push(`sysctl ${s.name}`);
  // Restricted
  for (const v of spec.volumes ?? []) {
    const type = Object.keys(v).find((k) => k !== 'name');
    if (!RESTRICTED_VOLUMES.includes(type!)) out.push(`volume ${v.name} of type ${type}`);
  }
  each((c) => (c.securityContext?.allowPrivilegeEscalation !== false ? 'allowPrivilegeEscalation not false' : undefined));
  if (pod.runAsNonRoot !== true) each((c) => (c.securityContext?.runAsNonRoot !== true ? 'runAsNonRoot not true' : undefined));
  each((c) => (c.securityContext?.runAsNonRoot === false ? 'runAsNonRoot false' : undefined));
  if (pod.runAsUser === 0) out.push('pod runAsUser 0');
  each((c) => (c.securityContext?.runAsUser === 0 ? 'runAsUser 0' : undefined));
  const allowedSeccomp = (p: any) => p?.type === 'RuntimeDefault' || p?.type === 'Localhost';
  if (!allowedSeccomp(pod.seccompProfile))
    each((c) => (!allowedSeccomp(c.securityContext?.seccompProfile) ? 'seccompProfile not RuntimeDefault or Localhost' : undefined));
  each((c) => (!(c.securityContext?.capabilities?.drop ?? []).includes('ALL') ? 'capabilities do not drop ALL' : undefined));
  each((c) =>
    (c.securityContext?.capabilities?.add ?? []).some((x: string) => x !== 'NET_BIND_SERVICE')
      ? 'adds a capability other than NET_BIND_SERVICE'
      : undefined,
  );
  return out;
}

function podTemplates(objects: any[]): Array<{ name: string; meta: any; spec: any }> {
  return objects
    .filter((o) => ['Deployment', 'StatefulSet', 'Job', 'DaemonSet', 'CronJob', 'Pod'].includes(o.kind))
    .map((o) => {
      const template = o.kind === 'Pod' ? o : o.kind === 'CronJob' ? o.spec.jobTemplate.spec.template : o.spec.template;
      return { name: `${o.kind}/${o.metadata.name}`, meta: template.metadata, spec: template.spec };
    });
}

describe.each(Object.keys(STACKS))('stack %s', (stack) => {
  test('every pod passes the restricted Pod Security profile', () => {
    const objects = Testing.synth(new ApplicationChart(Testing.app(), 'test', { application: STACKS[stack]() }));
    const pods = podTemplates(objects);
    expect(pods.length).toBeGreaterThan(0);
    for (const p of pods)
      expect({ pod: p.name, violations: restrictedViolations(p.meta, p.spec) }).toEqual({ pod: p.name, violations: [] });
  });
});

describe('pod security', () => {
  test('every pod runs RuntimeDefault seccomp, requests no AppArmor profile unless asked (a kubelet without AppArmor refuses it)', () => {
    const app = newApp();
    const db = httpService(app, 'db');
    httpService(app, 'web', { dependsOn: [db], sidecars: [{ name: 'proxy', image: db.props.image }] });
    const web = find(synth(app).objects, 'Deployment', 'web');
    expect(podSpec(web).securityContext.seccompProfile).toEqual({ type: 'RuntimeDefault' });
    expect(Object.keys(web.spec.template.metadata.annotations ?? {}).filter((k) => k.includes('apparmor'))).toEqual([]);
    expect(restrictedViolations(web.spec.template.metadata, podSpec(web))).toEqual([]);
  });

  test('appArmorProfile runtime/default annotates every container, the wait-for init containers included', () => {
    const app = newApp({ security: { appArmorProfile: 'runtime/default' } });
    const db = httpService(app, 'db');
    httpService(app, 'web', { dependsOn: [db], sidecars: [{ name: 'proxy', image: db.props.image }] });
    const web = find(synth(app).objects, 'Deployment', 'web');
    expect(web.spec.template.metadata.annotations).toMatchObject({
      'container.apparmor.security.beta.kubernetes.io/web': 'runtime/default',
      'container.apparmor.security.beta.kubernetes.io/proxy': 'runtime/default',
      'container.apparmor.security.beta.kubernetes.io/wait-for-db': 'runtime/default',
    });
  });

  test('a Localhost seccomp profile and a localhost AppArmor profile are passed through; a differing sidecar gets its own', () => {
    const app = newApp();
    httpService(app, 'web', {
      security: {
        seccompProfile: { type: SeccompProfileType.LOCALHOST, localhostProfile: 'profiles/web.json' },
        appArmorProfile: 'localhost/web',
      },
      sidecars: [{ name: 'proxy', image: IMAGE, security: { seccompProfile: { type: SeccompProfileType.RUNTIME_DEFAULT } } }],
    });
    const web = find(synth(app).objects, 'Deployment', 'web');
    expect(podSpec(web).securityContext.seccompProfile).toEqual({ type: 'Localhost', localhostProfile: 'profiles/web.json' });
    expect(podSpec(web).containers[1].securityContext.seccompProfile).toEqual({ type: 'RuntimeDefault' });
    expect(web.spec.template.metadata.annotations['container.apparmor.security.beta.kubernetes.io/web']).toBe('localhost/web');
    expect(restrictedViolations(web.spec.template.metadata, podSpec(web))).toEqual([]);
  });

  test('the Namespace enforces the restricted profile unless the application opts out', () => {
    const ns = (props: object) => find(synth(newApp({ namespace: 'shop', ...props })).objects, 'Namespace', 'shop').metadata.labels;
    expect(ns({})['pod-security.kubernetes.io/enforce']).toBe('restricted');
    expect(ns({ podSecurity: PodSecurityLevel.BASELINE })['pod-security.kubernetes.io/enforce']).toBe('baseline');
  });

  test('an opted-out capability renders, and the checks catch it', () => {
    const app = newApp();
    worker(app, 'clock', { security: { capabilitiesAdd: ['SYS_TIME'], breaksPodSecurity: PodSecurityLevel.BASELINE } });
    const clock = find(synth(app).objects, 'Deployment', 'clock');
    expect(restrictedViolations(clock.spec.template.metadata, podSpec(clock))).toEqual([
      'container clock: capability beyond baseline',
      'container clock: adds a capability other than NET_BIND_SERVICE',
    ]);
  });

  test('fails: a service breaking the profile its namespace enforces', () => {
    const app = newApp({ namespace: 'shop' });
    worker(app, 'ping', { security: { capabilitiesAdd: ['CHOWN'], breaksPodSecurity: PodSecurityLevel.RESTRICTED } });
    expect(() => synth(app)).toThrow(
      /service 'ping': breaks the restricted Pod Security profile \(capabilitiesAdd CHOWN\) that namespace 'shop' enforces/,
    );
  });
});
