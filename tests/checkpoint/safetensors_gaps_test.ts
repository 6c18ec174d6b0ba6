import { assertEquals, assertThrows } from "@std/assert";
import { decodeSafetensors } from "../../lib/checkpoint/safetensors.ts";

/** A safetensors file from a header written by hand (to make the files a writer never makes). */
function rawSafetensors(header: unknown, data: Uint8Array): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header));
  const bytes = new Uint8Array(8 + json.length + data.length);
  new DataView(bytes.buffer).setBigUint64(0, BigInt(json.length), true);
  bytes.set(json, 8);
  bytes.set(data, 8 + json.length);
  return bytes;
}

Deno.test("safetensors: a file with no tensor but data bytes after its header is refused as trailing bytes", () => {
  // The tiling check must run with no tensor too: bytes no tensor owns mean a corrupt file.
  for (const header of [{}, { __metadata__: { format: "x" } }]) {
    assertThrows(
      () => decodeSafetensors(rawSafetensors(header, new Uint8Array(4)), "empty.safetensors"),
      Error,
      "empty.safetensors: the tensors' data ends at byte 0, the file holds 4 data bytes " +
        "(trailing bytes: corrupt file)",
    );
  }
  assertEquals(decodeSafetensors(rawSafetensors({}, new Uint8Array(0)), "none").tensors.size, 0);
});
