/* The renderers of `npm run synth`, in main.ts's order (main.ts itself runs on import, so it is mirrored here). */
import { composeRenderer, diagramRenderer, kubernetesRenderer, Renderer } from '../lib/synth';

export function synthRenderers(): Renderer[] {
  return [kubernetesRenderer, composeRenderer, diagramRenderer];
}
