/*
 * Renderers hand the change report the data they wrote as YAML, so it need not parse it back: the report must be
 * exactly the one parsing gives.
 */
import { changeReport, composeRenderer, kubernetesRenderer, OutputFile } from '../../lib/synth';
import { shop } from '../../stacks/shop';

function render(replicas: string | undefined): OutputFile[] {
  const context = { outdir: process.cwd() };
  const app = shop({ labels: replicas ? { release: replicas } : {} });
  return [kubernetesRenderer, composeRenderer].flatMap((r) => r('shop', app, context).files);
}

const parsedOnly = (files: OutputFile[]) => files.map(({ data: _data, ...f }) => f);

test.each([
  ['first synth', undefined],
  ['changed labels', 'b'],
])('%s: same report with and without data', (_name, label) => {
  const previous = new Map(label ? render('a').map((f) => [f.path, f.content]) : []);
  const files = render(label);
  expect(files.filter((f) => f.data !== undefined)).toHaveLength(2);
  const report = changeReport(previous, files);
  expect(report).toEqual(changeReport(previous, parsedOnly(files)));
  if (label) expect(report.flatMap((r) => r.changes).some((c) => c.kind === 'changed')).toBe(true);
});

test('unchanged files are reported unchanged without parsing', () => {
  const files = render(undefined);
  const report = changeReport(new Map(files.map((f) => [f.path, f.content])), files);
  expect(report.every((r) => !r.isNew && r.changes.length === 0)).toBe(true);
});
