/**
 * Third-pass edges of the MovieLens sources (mutation round ND): a wink vector of exactly
 * `dimensions` values (no norm or index after it) is enough; a wink file cut short, or JSON that
 * is no object, is refused naming the file.
 */
import { assertEquals, assertThrows } from "@std/assert";
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

Deno.test("cutWinkEmbeddings names the file of a download cut short, or of JSON that is no object (ND45)", () => {
  withWink((cut, path) => {
    const whole = JSON.stringify({ dimensions: 2, vectors: { heat: [1, 2, 2.2, 7] } });
    // JSON.parse alone said "Unterminated string in JSON at position ..." and named no file.
    assertThrows(
      () => cut(whole.slice(0, 20), ["heat"]),
      Error,
      `${path}: not JSON (Unterminated string in JSON`,
    );
    assertThrows(() => cut("", ["heat"]), Error, `${path}: not JSON (`);
    // null has no fields: reading one was a TypeError naming no file.
    for (const file of ["null", "5", '"wink"']) {
      assertThrows(() => cut(file, ["heat"]), Error, `${path}: not a wink embeddings file`);
    }
  });
});

Deno.test("cutWinkEmbeddings reads only the first `dimensions` values: what follows them is not checked (ND51)", () => {
  withWink((cut) => {
    // wink writes the norm and index after the values; neither is read, so neither is checked.
    const file = JSON.stringify({ dimensions: 2, vectors: { heat: [1, 2, null, "x"] } });
    assertEquals(cut(file, ["heat"]).matrix, Float32Array.of(1, 2));
  });
});
