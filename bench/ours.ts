/* Our side of the benchmark: the specs as a model Application, synthesized as `npm run synth` does it. */
import { Application, EnvValue, Image, Microservice, Probe } from '../lib/model';
import { SYNTH_RENDERERS, SynthResult, synthStacks } from '../lib/synth';
import { ProbeSpec, ServiceSpec } from './spec';

export function oursApplication(specs: ServiceSpec[]): Application {
  const app = new Application('bench', { namespace: 'bench' });
  const byName = new Map<string, Microservice>();
  for (const s of specs) {
    const svc = new Microservice(app, s.name, {
      name: s.name,
      image: Image.fromRegistry(s.image),
      ports: s.ports.map((p) => ({ ...p })),
      env: Object.fromEntries(Object.entries(s.env).map(([k, v]) => [k, EnvValue.fromValue(v)])),
      replicas: s.replicas,
      dependsOn: s.dependsOn.map((d) => byName.get(d)!),
      readinessProbe: probe(s.readiness),
      livenessProbe: s.liveness && probe(s.liveness),
      volumes: s.volumes.map((v) => ({ ...v })),
      security: { user: s.user, group: s.user },
      metrics: s.kind === 'api' ? { port: 9090 } : undefined,
    });
    byName.set(s.name, svc);
  }
  return app;
}

function probe(p: ProbeSpec): Probe {
  switch (p.kind) {
    case 'http':
      return Probe.http(p.path!, { port: p.port, periodSeconds: p.periodSeconds });
    case 'tcp':
      return Probe.tcp({ port: p.port, periodSeconds: p.periodSeconds });
    default:
      return Probe.command(p.command!, { periodSeconds: p.periodSeconds });
  }
}

/** Builds and renders the application into `outdir`, exactly the path `npm run synth` takes. */
export function synthOurs(specs: ServiceSpec[], outdir: string): SynthResult {
  const result = synthStacks({ outdir, stacks: { bench: () => oursApplication(specs) }, renderers: [...SYNTH_RENDERERS] });
  if (!result.ok) throw new Error(`bench synth failed: ${result.errors.join('; ')}`);
  return result;
}
