/**
 * ModalityEncoders cases that mutation round mu50c (session 50) found untested: a feature matrix
 * with more entries than numItems * dim is refused as clearly as one with fewer (the check was
 * only exercised for a short matrix, so a `<` in place of `!==` went unseen).
 */
import { assertThrows } from "@std/assert";
import { initBackend } from "../../lib/backend/init_backend.ts";
import { ModalityEncoders } from "../../lib/encoders/modality_encoders.ts";
import { ParameterStore } from "../../lib/nn/parameter_store.ts";
import { tinyDataset } from "../models/_fixtures.ts";

await initBackend({ verbose: false });

Deno.test("encoders refuse a feature matrix with more entries than numItems * dim, naming both", () => {
  // The extra entries would be read as a seventh item's row or shift every row after them: the
  // message must name the modality and the expected size, not a tfjs shape error.
  for (const index of [1, 2]) {
    const long = tinyDataset();
    const modality = long.modalities[index];
    modality.values = Float32Array.from([...modality.values, 0]);
    assertThrows(
      () => new ModalityEncoders(long, { dim: 4 }, new ParameterStore(1)),
      Error,
      `modality "${modality.name}": values has ${modality.values.length} entries, expected ` +
        `numItems*dim = ${long.numItems}*${modality.dim}`,
    );
  }
});
