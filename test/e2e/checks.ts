/*
 * Checks made from inside running containers.
 */
import { ContainerInfo, execIn } from './engine';

/** What is wrong with the hardening of `c`, checked from inside (PID 1 and an exec'd shell). */
export async function securityViolations(c: ContainerInfo): Promise<string[]> {
  const problems: string[] = [];
  const script = [
    'echo "uid=$(id -u)"',
    'grep -E "^(Uid|CapEff|CapPrm|CapBnd|NoNewPrivs):" /proc/1/status | sed "s/^/pid1 /"',
    'grep -E "^(CapEff|NoNewPrivs):" /proc/self/status | sed "s/^/self /"',
    'touch /e2e-root-probe 2>&1 && echo "root=writable" || echo "root=refused"',
    'touch /tmp/e2e-tmp-probe && rm /tmp/e2e-tmp-probe && echo "tmp=writable" || echo "tmp=refused"',
  ].join('; ');
  const r = await execIn(c.name, script);
  const out = r.stdout + r.stderr;
  const field = (re: RegExp) => re.exec(out)?.[1]?.trim();
  const uid = field(/^uid=(\d+)$/m);
  if (uid === undefined || uid === '0') problems.push(`${c.service}: exec runs as uid ${uid}`);
  const pid1Uids = field(/^pid1 Uid:\s*(.+)$/m)?.split(/\s+/);
  if (!pid1Uids || pid1Uids.length !== 4 || pid1Uids.some((u) => u === '0')) problems.push(`${c.service}: PID 1 uids ${pid1Uids}`);
  for (const cap of ['CapEff', 'CapPrm', 'CapBnd']) {
    const v = field(new RegExp(`^pid1 ${cap}:\\s*(\\S+)$`, 'm'));
    if (v !== '0000000000000000') problems.push(`${c.service}: PID 1 ${cap} ${v}`);
  }
  if (field(/^self CapEff:\s*(\S+)$/m) !== '0000000000000000')
    problems.push(`${c.service}: exec CapEff ${field(/^self CapEff:\s*(\S+)$/m)}`);
  if (field(/^pid1 NoNewPrivs:\s*(\S+)$/m) !== '1') problems.push(`${c.service}: PID 1 NoNewPrivs ${field(/^pid1 NoNewPrivs:\s*(\S+)$/m)}`);
  // Read-only, not merely not permitted: the kernel answers EROFS.
  if (!/^root=refused$/m.test(out) || !/Read-only file system/.test(out))
    problems.push(`${c.service}: root filesystem not read-only: ${out}`);
  if (!/^tmp=writable$/m.test(out)) problems.push(`${c.service}: /tmp not writable: ${out}`);
  if (c.raw.HostConfig.ReadonlyRootfs !== true) problems.push(`${c.service}: ReadonlyRootfs ${c.raw.HostConfig.ReadonlyRootfs}`);
  return problems;
}
