/*
 * `npm run bench`: our full synth (model -> Kubernetes + compose (+ diagram), via synthStacks as `npm run synth`)
 * against a raw cdk8s-plus-27 program writing the same Deployments and Services, for N = 10, 100, 1000 services.
 * Every run is its own child process; runs of both sides alternate so drift hits both alike. Medians are
 * reported; the last line is machine-readable.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Application, Image, Microservice } from '../lib/model';
import { median, table } from './stats';

const ROOT = path.resolve(__dirname, '..');
const RUN_TS = path.join(ROOT, 'scripts', 'run-ts.js');
const SIZES: Array<[number, number]> = [
  [10, 7],
  [100, 7],
  [1000, 5],
]; // [services, runs]: five at 1000, so one slow run on a busy machine does not move the median
const SIDES = ['ours', 'raw'] as const;
type Side = (typeof SIDES)[number];

interface Sample {
  readonly ms: number;
  readonly cpuMs: number;
  readonly peakMb: number;
  readonly reportMs?: number;
}

function measure(side: Side, n: number, tmp: string): Sample {
  const outdir = fs.mkdtempSync(path.join(tmp, `${side}-${n}-`));
  // --expose-gc: measure.ts collects start-up's garbage before its clock starts (both sides alike).
  const args = ['--expose-gc', RUN_TS, path.join(__dirname, 'measure.ts'), side, String(n), outdir];
  const r = spawnSync(process.execPath, args, { encoding: 'utf8' });
  fs.rmSync(outdir, { recursive: true, force: true });
  if (r.status !== 0) throw new Error(`${side} n=${n} failed:\n${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as Sample;
}

/**
 * `npm run synth` of the shipped stacks from a cold process (Node start-up and module loading included), median
 * of 3; undefined (with the reason on stderr) when it cannot run.
 */
function coldSynth(tmp: string): number | undefined {
  const main = path.join(ROOT, 'main.ts');
  if (!fs.existsSync(main)) {
    process.stderr.write('bench: main.ts not found: npm run synth not timed\n');
    return undefined;
  }
  const times: number[] = [];
  for (let i = 0; i < 3; i++) {
    const cwd = fs.mkdtempSync(path.join(tmp, 'synth-'));
    const start = process.hrtime.bigint();
    const r = spawnSync(process.execPath, [RUN_TS, main], { cwd, encoding: 'utf8' });
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
    if (r.status !== 0) {
      process.stderr.write(`bench: npm run synth failed:\n${r.stderr}\n`);
      return undefined;
    }
  }
  return median(times);
}

/**
 * Resolving (validating) an application of `n` services each depending on the one before: the dependency checks
 * must stay linear in services + edges. Median of 3, in seconds.
 */
function chainValidation(n: number): number {
  const times: number[] = [];
  for (let run = 0; run < 3; run++) {
    const app = new Application('chain');
    const image = Image.fromRegistry('nginx:1.27-alpine');
    let previous: Microservice | undefined;
    for (let i = 0; i < n; i++) {
      previous = new Microservice(app, `s${i}`, { image, ports: [{ port: 8080, name: 'http' }], dependsOn: previous ? [previous] : [] });
    }
    const start = process.hrtime.bigint();
    app.resolve();
    times.push(Number(process.hrtime.bigint() - start) / 1e9);
  }
  return median(times);
}

function main(): void {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'msc-bench-'));
  try {
    const results = new Map<string, Sample[]>();
    for (const [n, runs] of SIZES) {
      for (let i = 0; i < runs; i++) {
        for (const side of SIDES) {
          const key = `${side}:${n}`;
          results.set(key, [...(results.get(key) ?? []), measure(side, n, tmp)]);
        }
      }
      process.stderr.write(`bench: n=${n} done\n`);
    }
    const synthMs = coldSynth(tmp);
    const chainS = chainValidation(10000);

    const med = (side: Side, n: number) => median(results.get(`${side}:${n}`)!.map((s) => s.ms));
    const cpu = (side: Side, n: number) => median(results.get(`${side}:${n}`)!.map((s) => s.cpuMs));
    const peak = (side: Side, n: number) => median(results.get(`${side}:${n}`)!.map((s) => s.peakMb));
    const report = (n: number) => median(results.get(`ours:${n}`)!.map((s) => s.reportMs ?? 0));
    const rows = [
      [
        'services',
        'runs',
        'ours ms',
        'raw ms',
        'ours/raw',
        'cpu ours/raw',
        'ours ms/svc',
        'raw ms/svc',
        'ours peak MB',
        'raw peak MB',
        '+change report ms',
      ],
    ];
    for (const [n, runs] of SIZES) {
      const ours = med('ours', n);
      const raw = med('raw', n);
      rows.push([
        String(n),
        String(runs),
        ours.toFixed(0),
        raw.toFixed(0),
        (ours / raw).toFixed(2),
        (cpu('ours', n) / cpu('raw', n)).toFixed(2),
        (ours / n).toFixed(2),
        (raw / n).toFixed(2),
        peak('ours', n).toFixed(0),
        peak('raw', n).toFixed(0),
        report(n).toFixed(0),
      ]);
    }
    console.log(table(rows));
    const synthText = synthMs === undefined ? 'not measured' : `${(synthMs / 1000).toFixed(2)} s`;
    console.log(
      `load average at the end: ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')} on ${os.cpus().length} CPUs (wall times grow with it)`,
    );
    console.log(`\nnpm run synth (shipped stacks, cold process, median of 3): ${synthText} (target < 2 s)`);
    console.log(
      `validating 10,000 chained services (each depends on the previous one), median of 3: ${chainS.toFixed(2)} s (target < 2 s)`,
    );
    console.log(
      'ours: synthStacks with the Kubernetes, compose and diagram renderers; ' +
        'the change report npm run synth prints after it is timed apart',
    );
    console.log('targets: n100_ratio <= 1.25, n1000_ratio <= 1.0, n1000_s <= 3, cost linear in N (ms/svc flat)');
    const ratio = (n: number) => (med('ours', n) / med('raw', n)).toFixed(2);
    console.log(
      `bench: n100_ratio=${ratio(100)} n1000_ratio=${ratio(1000)} n1000_s=${(med('ours', 1000) / 1000).toFixed(2)} ` +
        `n1000_peak_mb=${peak('ours', 1000).toFixed(0)} chain10k_s=${chainS.toFixed(2)}`,
    );
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main();
