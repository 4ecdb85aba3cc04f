/**
 * The neural estimators' method names and filled-in settings, in a module
 * of their own so that `neural.ts` and the critic trainers it builds can
 * both name them without importing each other.
 *
 * @module
 */

import type { CriticSpec } from "./_critic.ts";

/**
 * The neural bounds `estimateMI` and `traceMI` train a critic for: MINE
 * (Donsker–Varadhan with a moving-average gradient correction), its biased
 * and f-divergence variants, NWJ, InfoNCE and SMILE.
 */
export type NeuralMethod =
  | "mine"
  | "mine-biased"
  | "mine-f"
  | "nwj"
  | "infonce"
  | "smile";

/** Every neural option with its default filled in, validated. */
export interface NeuralSettings {
  steps: number;
  batchSize: number;
  lr: number;
  testFraction: number;
  emaAlpha: number;
  tau: number;
  seed: number;
  evalEvery: number;
  patience: number;
  spec: CriticSpec;
  /** Threads for the fast trainers' large products (1: none). */
  threads: number;
}
