/**
 * SequentialRecommender cases that mutation round mu50c (session 50) found unpinned: the model
 * hands its `ModelConfig.modalities` on to its encoders. A model that built every modality of the
 * dataset while its config named a subset (an ID-only baseline that saw the content) passed the
 * model and encoder tests, which checked the subset on `ModalityEncoders` alone.
 */
import { assertEquals } from "@std/assert";
import { tf } from "../../lib/backend/tf.ts";
import { initBackend } from "../../lib/backend/init_backend.ts";
import { SequentialRecommender } from "../../lib/models/sequential_recommender.ts";
import { tinyDataset, TWO_PADDED_HISTORIES } from "./_fixtures.ts";

await initBackend({ verbose: false });

Deno.test("a model encodes only the modalities its config names, in that order", () => {
  const dataset = tinyDataset();
  assertEquals(dataset.modalities.map((m) => m.name), ["id", "text", "genre"]);
  const model = new SequentialRecommender(dataset, {
    dim: 4,
    maxLength: 4,
    modalities: ["genre", "id"],
  });
  assertEquals(model.modalityNames, ["genre", "id"]);
  assertEquals(model.numModalities, 2);
  // No parameter of the text encoder exists; the genre table comes before the id table.
  const encoders = model.parameters.names().filter((name) => name.startsWith("encoder/"));
  assertEquals(encoders, ["encoder/genre/table", "encoder/id/table"]);
  const out = model.forward(TWO_PADDED_HISTORIES);
  assertEquals(out.embeddings.shape, [2, 3, 2, 4]);
  // Item 0 has no genre, every item has an id: presence is [genre, id] per position.
  assertEquals(Array.from(model.presenceOf([0, 1])), [0, 1, 1, 1]);
  tf.dispose(Object.values(out));
  model.dispose();
});
