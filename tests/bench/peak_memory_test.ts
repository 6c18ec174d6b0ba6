/** The leak check of bench/peak_memory.ts: the live tensors at the end of every epoch. */
import { assertEquals } from "@std/assert";
import { tensorTrend } from "../../bench/peak_memory.ts";

Deno.test("peak_memory: the same live tensors after every epoch is flat; any growth is not", () => {
  assertEquals(tensorTrend([145, 145, 145]), { flat: true, text: "flat (145 after every epoch)" });
  assertEquals(tensorTrend([180]).flat, true);
  assertEquals(tensorTrend([145, 145, 146]), {
    flat: false,
    text: "NOT FLAT (145, 145, 146 after epochs 1..3)",
  });
  assertEquals(tensorTrend([145, 144]).flat, false);
});
