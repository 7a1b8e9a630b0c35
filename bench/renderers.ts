/*
 * The renderers of `npm run synth`: Kubernetes, compose and the Mermaid diagram. lib/synth's own renderers are
 * used when it exports them; until then these mirror main.ts's (same backends, same calls).
 */
import { App } from 'cdk8s';
import { composeYaml, toCompose } from '../lib/compose';
import { toMermaid } from '../lib/diagram';
import { ApplicationChart } from '../lib/k8s';
import * as synth from '../lib/synth';
import { Renderer } from '../lib/synth';

const kubernetes: Renderer = (stack, application) => {
  const app = new App();
  const chart = new ApplicationChart(app, stack, { application });
  return { files: [{ path: `${stack}.k8s.yaml`, content: app.synthYaml() }], diagnostics: chart.diagnostics };
};

const compose: Renderer = (stack, application) => {
  const rendering = toCompose(application, { assetDir: stack });
  return {
    files: [{ path: `${stack}.compose.yaml`, content: composeYaml(rendering) }, ...rendering.files],
    diagnostics: rendering.diagnostics,
    ownedDirs: [stack],
  };
};

const diagram: Renderer = (stack, application) => ({ files: [{ path: `${stack}.mmd`, content: toMermaid(application) }], diagnostics: [] });

export function synthRenderers(): Renderer[] {
  const own = synth as unknown as Record<string, Renderer | undefined>;
  return [own.kubernetesRenderer ?? kubernetes, own.composeRenderer ?? compose, own.mermaidRenderer ?? own.diagramRenderer ?? diagram];
}
