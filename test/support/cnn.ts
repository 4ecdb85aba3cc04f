/** The small CNNs the kernel tests build: 8×8 digits in, 10 classes out. */
import type { CnnArchitecture } from "../../lib/nets/architecture.ts";

/** A CNN of `filters` 3×3 ReLU conv layers on 8×8×1 inputs, no pooling, 10 outputs. */
export function digitsCnn(
  filters: number[],
  extra: Partial<CnnArchitecture> = {},
): CnnArchitecture {
  return {
    kind: "cnn",
    inputShape: [8, 8, 1],
    filters,
    pooling: "none",
    outputs: 10,
    activation: "relu",
    ...extra,
  };
}
