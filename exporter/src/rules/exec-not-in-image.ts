import type { BehaviouralRule } from './behavioural-rule.js';

/**
 * A binary on the overlayfs upper layer was written (or modified) after the
 * container started: it is not part of the image. Image-anchored, so it stays on
 * whatever a profile learned.
 */
export const execNotInImage: BehaviouralRule = {
  id: 'exec-not-in-image',
  severity: 'warning',
  category: 'exec',
  description: 'Execution of a binary on an overlayfs upper layer: written after the container started, not part of its image',
  evaluate(event) {
    if (event.kind !== 'exec' || !event.facts.overlayUpper) return null;
    return { item: event.exe, summary: `Binary not in the image executed: ${event.exe} lives on the container's writable layer` };
  },
};
