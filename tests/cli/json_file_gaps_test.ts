/**
 * readJsonFile's one-line reasons carry what went wrong, not just its kind: JSON.parse's message
 * (where the text breaks) with every line break of a CRLF file folded, and the read error's
 * message. Found by mutation round KG (KG50-KG52).
 */
import { assertEquals, assertThrows } from "@std/assert";
import { readJsonFile } from "../../scripts/cli/json_file.ts";
import { ScriptFailure } from "../../scripts/cli/options.ts";

Deno.test("readJsonFile: a malformed file's line is JSON.parse's reason, CRLF and tabs folded to spaces", () => {
  const folder = Deno.makeTempDirSync({ prefix: "json_file_gaps_" });
  try {
    const bad = `${folder}/bad.json`;
    const text = "[1,\r\n\t2,\r\nx]\r\n";
    Deno.writeTextFileSync(bad, text);
    let parseMessage = "";
    try {
      JSON.parse(text);
    } catch (error) {
      parseMessage = (error as Error).message;
    }
    const error = assertThrows(() => readJsonFile(bad), ScriptFailure);
    assertEquals(error.message, `${bad}: not JSON (${parseMessage.replace(/\s+/g, " ")})`);
    assertEquals(/[\r\n\t]/.test(error.message), false, JSON.stringify(error.message));
  } finally {
    Deno.removeSync(folder, { recursive: true });
  }
});

Deno.test("readJsonFile: an unreadable path's line is the read error's message", () => {
  const folder = Deno.makeTempDirSync({ prefix: "json_file_gaps_" });
  try {
    let readMessage = "";
    try {
      Deno.readTextFileSync(folder);
    } catch (error) {
      readMessage = (error as Error).message;
    }
    const error = assertThrows(() => readJsonFile(folder), ScriptFailure);
    assertEquals(error.message, `${folder}: cannot read (${readMessage})`);
  } finally {
    Deno.removeSync(folder, { recursive: true });
  }
});
