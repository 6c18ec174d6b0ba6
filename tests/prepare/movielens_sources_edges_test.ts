/**
 * Third-pass edges of the MovieLens sources (mutation round ND): a wink vector of exactly
 * `dimensions` values (no norm or index after it) is enough, and what follows them is not read.
 */
import { assertEquals } from "@std/assert";
import { cutWinkEmbeddings } from "../../lib/prepare/mod.ts";

/** Writes `file` as JSON text to `<dir>/wink.json` and cuts it to `wanted`. */
function withWink(
  body: (
    cut: (file: string, wanted: string[]) => ReturnType<typeof cutWinkEmbeddings>,
    path: string,
  ) => void,
): void {
  const dir = Deno.makeTempDirSync();
  const path = `${dir}/wink.json`;
  try {
    body((file, wanted) => {
      Deno.writeTextFileSync(path, file);
      return cutWinkEmbeddings(path, new Set(wanted));
    }, path);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
}

Deno.test("cutWinkEmbeddings takes a vector of exactly `dimensions` values (ND46)", () => {
  withWink((cut) => {
    const file = JSON.stringify({ dimensions: 2, vectors: { heat: [1, 2], red: [3, 4, 5] } });
    assertEquals(cut(file, ["heat", "red"]), {
      words: ["heat", "red"],
      dim: 2,
      matrix: Float32Array.of(1, 2, 3, 4),
    });
  });
});

Deno.test("cutWinkEmbeddings reads only the first `dimensions` values: what follows them is not checked (ND51)", () => {
  withWink((cut) => {
    // wink writes the norm and index after the values; neither is read, so neither is checked.
    const file = JSON.stringify({ dimensions: 2, vectors: { heat: [1, 2, null, "x"] } });
    assertEquals(cut(file, ["heat"]).matrix, Float32Array.of(1, 2));
  });
});
