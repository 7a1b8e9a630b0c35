/*
 * One measurement in its own process (so peak RSS belongs to it alone):
 * `run-ts bench/measure.ts <ours|raw> <n> <outdir>` prints `{"ms":..,"peakMb":..}`.
 * Modules are loaded before the clock starts: the figure is the synth, not Node's start-up.
 */
import { benchSpecs } from './spec';

const [side, nText, outdir] = process.argv.slice(2);
const specs = benchSpecs(Number(nText));
// Each side loads only its own modules, so the other's code does not count towards its memory.
const run: (outdir: string) => void = side === 'ours'
  ? ((m: typeof import('./ours')) => (o: string) => void m.synthOurs(specs, o))(require('./ours'))
  : ((m: typeof import('./raw')) => (o: string) => m.synthRaw(specs, o))(require('./raw'));

const start = process.hrtime.bigint();
run(outdir);
const ms = Number(process.hrtime.bigint() - start) / 1e6;
const peakMb = process.resourceUsage().maxRSS / 1024;
process.stdout.write(`${JSON.stringify({ ms, peakMb })}\n`);
