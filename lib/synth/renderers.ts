import { App } from 'cdk8s';
import { composeYaml, toCompose } from '../compose';
import { toMermaid } from '../diagram';
import { ApplicationChart } from '../k8s';
import { Application } from '../model';
import { Renderer, RenderContext } from './synth';
import { fastYamlDocuments } from '../yaml';

/** `<stack>.k8s.yaml`: the Kubernetes manifests (cdk8s). */
export const kubernetesRenderer: Renderer = (stack: string, application: Application) => {
  const chart = new ApplicationChart(new App(), stack, { application });
  const docs = chart.toJson();
  // What `app.synthYaml()` writes for a one-chart app (same documents, same bytes), without yaml's slow writer. The
  // documents are fresh trees (no object in two places), so there is nothing to write as an alias, nor to look for.
  const content = fastYamlDocuments(docs, { aliasDuplicateObjects: false });
  return { files: [{ path: `${stack}.k8s.yaml`, content, data: docs }], diagnostics: chart.diagnostics };
};

/**
 * `<stack>.compose.yaml` and the files it mounts under `<stack>/`; build contexts are relative to the output
 * directory, and the secret files users put in `<stack>/secrets/` survive every synth.
 */
export const composeRenderer: Renderer = (stack: string, application: Application, context: RenderContext) => {
  const rendering = toCompose(application, { assetDir: stack, projectDir: context.outdir });
  return {
    files: [{ path: `${stack}.compose.yaml`, content: composeYaml(rendering), data: rendering.file }, ...rendering.files],
    diagnostics: rendering.diagnostics,
    ownedDirs: [stack],
    preservedDirs: [`${stack}/secrets`],
  };
};

/** `<stack>.mmd`: the architecture diagram (Mermaid). */
export const diagramRenderer: Renderer = (stack: string, application: Application) => ({
  files: [{ path: `${stack}.mmd`, content: toMermaid(application) }],
  diagnostics: [],
});

/** What `npm run synth` renders for every stack, in order (the bench times exactly these). */
export const SYNTH_RENDERERS: readonly Renderer[] = [kubernetesRenderer, composeRenderer, diagramRenderer];
