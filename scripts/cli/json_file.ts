/**
 * A JSON file named on a command line, read for a script: a missing file is a mistake in the
 * command line (a {@linkcode UsageError}), an unreadable or malformed one a {@linkcode
 * ScriptFailure}; each is one line naming the file, never Deno's NotFound or JSON.parse's
 * SyntaxError with a stack. The caller checks the fields it reads.
 */
import { ScriptFailure, UsageError } from "./options.ts";

/** The parsed contents of `path`; `hint` follows "no such file" (what the file should be). */
export function readJsonFile(path: string, hint = ""): unknown {
  let text: string;
  try {
    text = Deno.readTextFileSync(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new UsageError(`${path}: no such file${hint ? ` (${hint})` : ""}`);
    }
    throw new ScriptFailure(`${path}: cannot read (${(error as Error).message})`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    // JSON.parse quotes the text, line breaks included: one line.
    const reason = (error as Error).message.replace(/\s+/g, " ");
    throw new ScriptFailure(`${path}: not JSON (${reason})`);
  }
}
