/* The shipped stacks synthesize with zero unacknowledged warnings, so a user's new warning stands out. */
import { Testing } from 'cdk8s';
import { planDocker } from '../../lib/docker-plan';
import { ApplicationChart } from '../../lib/k8s';
import { formatDiagnostic } from '../../lib/model';
import { STACKS } from '../../stacks';

test.each(Object.keys(STACKS))('%s: no unacknowledged warning in any target, every acknowledgement with its reason', (name) => {
  const chart = new ApplicationChart(Testing.app(), name, { application: STACKS[name]() });
  const resolved = STACKS[name]().resolve();
  const lines = [...chart.diagnostics, ...planDocker(resolved, 'docker').diagnostics, ...planDocker(resolved, 'compose').diagnostics].map(
    formatDiagnostic,
  );
  expect(lines).toEqual([]);
  for (const a of resolved.acknowledgements) expect(a.reason.length).toBeGreaterThan(20);
});
