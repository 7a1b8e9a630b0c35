/*
 * One measurement in its own process (so peak RSS belongs to it alone):
 * `node --expose-gc run-ts bench/measure.ts <ours|raw> <n> <outdir>` prints
 * `{"ms":..,"cpuMs":..,"peakMb":..,"reportMs":..}`. Modules are loaded, and their garbage collected, before the
 * clock starts: the figure is the synth, not Node's start-up.
 */
import { benchSpecs } from './spec';

const [side, nText, outdir] = process.argv.slice(2);
const specs = benchSpecs(Number(nText));
// Each side loads only its own modules, so the other's code does not count towards its memory.
const ours = side === 'ours' ? (require('./ours') as typeof import('./ours')) : undefined;
const raw = side === 'raw' ? (require('./raw') as typeof import('./raw')) : undefined;
const synth = side === 'ours' ? (require('../lib/synth') as typeof import('../lib/synth')) : undefined;

// Start-up's garbage is collected before the clock starts, on both sides (the bench runs node with --expose-gc):
// otherwise the first collections of the measured run copy what module loading left behind, a cost that grows
// with how much code a side loads, not with what its synth does.
(globalThis as { gc?: () => void }).gc?.();
const start = process.hrtime.bigint();
const cpuStart = process.cpuUsage();
const result = ours ? ours.synthOurs(specs, outdir) : raw!.synthRaw(specs, outdir);
const ms = Number(process.hrtime.bigint() - start) / 1e6;
// CPU time as well: on a busy machine it is the steadier figure.
const cpu = process.cpuUsage(cpuStart);
const cpuMs = (cpu.user + cpu.system) / 1000;
const peakMb = process.resourceUsage().maxRSS / 1024;
// npm run synth then reports the changes (here: a first synth, everything new); timed apart from the synth.
let reportMs: number | undefined;
if (synth && result) {
  const t = process.hrtime.bigint();
  synth.formatChangeReport(synth.changeReport(result.previous, result.files));
  reportMs = Number(process.hrtime.bigint() - t) / 1e6;
}
process.stdout.write(`${JSON.stringify({ ms, cpuMs, peakMb, reportMs })}\n`);
