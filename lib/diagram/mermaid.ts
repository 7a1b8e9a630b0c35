import { Application, ResolvedApplication } from '../model';

/**
 * The architecture as a Mermaid flowchart: services (replicas, ports), dependencies, gateway routes, persistent
 * volumes, published host ports and what the monitoring's Prometheus scrapes (dotted `metrics` edges).
 * Deterministic, so a diff of the diagram shows a change of architecture.
 */
export function toMermaid(application: Application | ResolvedApplication): string {
  const app = application instanceof Application ? application.resolve() : application;
  const id = (kind: string, name: string) => `${kind}_${name.replace(/[^A-Za-z0-9]/g, '_')}`;
  const lines = ['flowchart LR'];
  for (const s of app.services) {
    const ports = s.ports.map((p) => `${p.port}${p.protocol === 'UDP' ? '/udp' : ''}`).join(', ');
    const scale = s.autoscaling
      ? `${s.autoscaling.minReplicas}..${s.autoscaling.maxReplicas} replicas (cpu ${s.autoscaling.targetCpuPercent}%)`
      : `${s.replicas} replica${s.replicas === 1 ? '' : 's'}`;
    const sidecars = s.sidecars.length > 0 ? `<br/>+ ${s.sidecars.map((c) => c.name).join(', ')}` : '';
    lines.push(
      `  ${id('svc', s.name)}["<b>${s.name}</b><br/>${escape(s.image.reference)}<br/>${scale}${ports ? `<br/>ports ${ports}` : ''}${sidecars}"]`,
    );
  }
  for (const s of app.services) {
    for (const d of s.dependencies) lines.push(`  ${id('svc', s.name)} -->|${d.condition}| ${id('svc', d.service)}`);
    for (const v of s.volumes.filter((x) => !x.scratch)) {
      lines.push(`  ${id('vol', v.name)}[("${v.name} ${v.size}")]`, `  ${id('svc', s.name)} -.-|"${v.mountPath}"| ${id('vol', v.name)}`);
    }
    for (const p of s.ports.filter((x) => x.publish !== undefined)) {
      lines.push(`  ${id('host', `${p.publish}`)}(("host :${p.publish}"))`, `  ${id('host', `${p.publish}`)} --> ${id('svc', s.name)}`);
    }
  }
  if (app.monitoring) {
    const m = app.monitoring;
    for (const t of m.targets) lines.push(`  ${id('svc', m.service)} -.->|"metrics :${t.port}"| ${id('svc', t.service)}`);
  }
  if (app.gateway) {
    const g = app.gateway;
    lines.push(`  ${id('gw', g.name)}{{"<b>${g.name}</b><br/>${g.host ?? 'any host'} :${g.publish}"}}`);
    for (const r of g.routes) lines.push(`  ${id('gw', g.name)} -->|"${escape(r.path)}"| ${id('svc', r.service)}`);
  }
  return lines.join('\n') + '\n';
}

function escape(text: string): string {
  return text.replace(/"/g, '#quot;');
}
