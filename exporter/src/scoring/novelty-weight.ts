import type { Observation } from '../profiles/observation.js';
import type { ProfileMatch } from '../profiles/profile-model.js';
import { classifyExec } from './exec-classes.js';
import type { ScoringConfig } from './scoring-config.js';

/**
 * The evidence one observation adds, given what the profile said about it (see the
 * formula in deviation-score.ts). 0 for anything the profile knows well.
 */
export function noveltyWeight(obs: Observation, match: ProfileMatch, config: ScoringConfig): number {
  const base = config.novelWeight[obs.category];
  let weight: number;
  if (match.known) {
    weight = match.support <= config.rareSupport ? base * config.rareFactor ** match.support : 0;
  } else if (match.parentKnown) {
    const special = obs.category === 'exec' && isSpecial(classifyExec(obs.path, obs.argv));
    weight = base * (special ? config.specialPartialFactor : config.partialFactor);
  } else {
    weight = base;
  }
  if (weight === 0) return 0;
  if (obs.category === 'exec') weight *= config.execClassFactor[classifyExec(obs.path, obs.argv)];
  if (obs.category === 'syscall_sequence' && config.sequenceContext) weight *= sequenceFactor(obs.calls.length, match, config.contextDecay);
  return weight;
}

/**
 * A new piece of behaviour of length m (an unknown transition, m = 2, up to a new
 * combination of known steps, m = n) shows up in up to n − m + 1 of the n-grams around
 * it; its weight is spread over them so one cause counts about once. n-grams around an
 * unknown syscall (m = 1) weigh nothing here: the syscall category weighs the syscall
 * itself, so a single new syscall cannot page through its n-grams.
 */
export function sequenceFactor(n: number, match: ProfileMatch, contextDecay: number): number {
  const order = match.noveltyOrder ?? n;
  if (!match.known && order <= 1) return 0;
  const m = Math.min(n, Math.max(2, order));
  const decay = contextDecay ** (m - 2);
  if (match.known) return decay;
  return decay / (n - m + 1);
}

function isSpecial(execClass: string): boolean {
  return execClass === 'shell' || execClass === 'interpreter';
}
