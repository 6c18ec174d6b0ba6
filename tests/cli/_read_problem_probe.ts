/**
 * Run by read_problem_test.ts under a narrow --allow-read: prints, as JSON, readProblem of each
 * path given and what checkResultsFolder says of it ("UsageError: " and its message, or null).
 */
import { checkResultsFolder, readProblem } from "../../scripts/cli/read_problem.ts";
import { UsageError } from "../../scripts/cli/options.ts";

const answers = Deno.args.map((path) => {
  let refused: string | null = null;
  try {
    checkResultsFolder(path);
  } catch (error) {
    const kind = error instanceof UsageError ? "UsageError" : "other";
    refused = `${kind}: ${(error as Error).message}`;
  }
  return { problem: readProblem(path, "folder") ?? null, refused };
});
console.log(JSON.stringify(answers));
