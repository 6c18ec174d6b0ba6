/** replaceReadmeTables refuses a README with only the end marker (mutation round PA, PA42). */
import { assertThrows } from "@std/assert";
import {
  README_TABLES_END,
  README_TABLES_START,
  replaceReadmeTables,
} from "../../lib/experiments/markdown_report.ts";

Deno.test("replaceReadmeTables: only the end marker is an error naming both markers", () => {
  assertThrows(
    () => replaceReadmeTables(`intro\n${README_TABLES_END}\nrest\n`, "tables"),
    Error,
    `README.md: the markers "${README_TABLES_START}" and "${README_TABLES_END}" are missing`,
  );
});
