/*
 * `npm run synth` / `npx cdk8s synth`: renders every application in stacks/ into dist/ — Kubernetes YAML,
 * a compose file (+ the files it mounts) and a Mermaid diagram, and reports what changed since the last synth.
 * `npm run synth -- shop` renders one stack. Nothing is written unless every stack validates; a target that cannot
 * express a setting (a Docker-only rule) fails alone and keeps its previous files.
 */
import * as fs from 'fs';
import * as path from 'path';
import { changeReport, formatChangeReport, formatDiagnostics, synthStacks, SYNTH_RENDERERS } from './lib/synth';
import { STACKS } from './stacks';

const args = process.argv.slice(2);
const option = (name: string) => {
  const i = args.indexOf(name);
  return i < 0 ? undefined : args.splice(i, 2)[1];
};
const outdir = path.resolve(option('--outdir') ?? 'dist');
// `--stacks <module>`: render another module's STACKS (used by the tests; handy for a team's own stacks).
const stacksModule = option('--stacks');
const allStacks: typeof STACKS = stacksModule ? require(path.resolve(stacksModule)).STACKS : STACKS;
const unknown = args.filter((s) => !(s in allStacks));
if (unknown.length > 0) {
  console.error(`unknown stack(s) ${unknown.join(', ')}; stacks: ${Object.keys(allStacks).join(', ')}`);
  process.exit(1);
}
const stacks = Object.fromEntries(Object.entries(allStacks).filter(([name]) => args.length === 0 || args.includes(name)));
// The cdk8s CLI passes its own output directory (which it empties first); dist/ stays the source of truth.
const cliOutdir = process.env.CDK8S_OUTDIR && path.resolve(process.env.CDK8S_OUTDIR) !== outdir ? process.env.CDK8S_OUTDIR : undefined;

const result = synthStacks({
  outdir,
  stacks,
  renderers: [...SYNTH_RENDERERS],
  onFile: (file) => {
    if (cliOutdir && file.path.endsWith('.k8s.yaml')) {
      fs.mkdirSync(cliOutdir, { recursive: true });
      fs.writeFileSync(path.join(cliOutdir, file.path), file.content);
    }
  },
});
for (const line of formatDiagnostics(result.diagnostics)) console.error(line);
for (const e of result.errors) console.error(`error: ${e}`);
if (!result.written) {
  console.error(`synth failed: nothing was written; ${path.relative(process.cwd(), outdir)}/ is unchanged`);
  process.exit(1);
}
for (const line of formatChangeReport(changeReport(result.previous, result.files))) console.log(line);
if (!result.ok) {
  console.error('synth failed for the target(s) above: their files are unchanged; the other targets were written');
  process.exit(1);
}
console.log(
  `synthesized ${Object.keys(stacks).length} stack(s) into ${path.relative(process.cwd(), outdir)}/: ${result.files
    .filter((f) => !f.path.includes('/'))
    .map((f) => f.path)
    .join(', ')}`,
);
