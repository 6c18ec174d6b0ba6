/**
 * Neural-network building blocks shared by the encoders, the backbones and the benchmarks:
 * seeded named parameters and the layers (dense, fused layer norm, seeded dropout).
 */
export {
  type DenseParameters,
  type NormParameters,
  ParameterStore,
  type Variable1D,
  type Variable2D,
} from "./parameter_store.ts";
export { dense, dropout, dropoutSeed, layerNorm } from "./layers.ts";
export { type GradientSink, tapGradient } from "./gradient_tap.ts";
export {
  type PackedRows,
  packRows,
  type Unpacking,
  unpackingOf,
  unpackRows,
} from "./packed_rows.ts";
