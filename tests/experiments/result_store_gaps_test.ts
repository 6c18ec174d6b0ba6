/**
 * ResultStore's cell files on their own (lib/experiments/result_store.ts): the file names (the
 * names of the cells every results folder already holds), a file holding another key, stored
 * settings that differ, the result's check, and the removal of a claim judged stale that was
 * replaced since. Found by mutation round AC (AC02, AC03, AC04, AC06, AC07, AC08, AC10, AC13, AC15, AC16, AC19).
 */
import { assertEquals, assertStringIncludes, assertThrows } from "@std/assert";
import type { CellClaim } from "../../lib/experiments/cell_claim.ts";
import { HELD_CLAIMS } from "../../lib/experiments/_claim_files.ts";
import { ResultStore } from "../../lib/experiments/result_store.ts";
import { withStore } from "./_in_temp_dir.ts";

Deno.test(
  "ResultStore: a cell's file and claim are named by its key, '/' and other signs as '__'",
  withStore((store, directory) => {
    assertEquals(
      store.pathOf("quick/tiny/Pop/seed=0"),
      `${directory}/quick__tiny__Pop__seed=0.json`,
    );
    assertEquals(store.pathOf("a b:c.d-e_f"), `${directory}/a__b__c.d-e_f.json`);
    assertEquals(
      store.claimPathOf("quick/tiny/Pop/seed=0"),
      `${directory}/quick__tiny__Pop__seed=0.claim`,
    );
  }),
);

Deno.test(
  "ResultStore.get: a file holding another key (two keys of one file name) is an error naming both",
  withStore((store) => {
    // "a/b" and "a__b" share the file name a__b.json.
    store.put("a/b", { n: 1 }, 1);
    const error = assertThrows(() => store.get("a__b", { n: 1 }), Error);
    assertStringIncludes(
      error.message,
      `${
        store.pathOf("a__b")
      }: unreadable cell result (holds key "a/b", expected "a__b"); delete it`,
    );
    assertEquals(store.get("a/b", { n: 1 }), 1);
  }),
);

Deno.test(
  "ResultStore.get: a cell stored with other settings is not finished; the check sees the result",
  withStore((store) => {
    store.put("k", { maxEpochs: 3 }, { valid: 0.5 });
    assertEquals(store.get("k", { maxEpochs: 4 }), undefined);
    assertEquals(store.has("k"), true, "stored, with whatever settings");
    // A folder of the cell file's name is no stored cell.
    Deno.mkdirSync(store.pathOf("folder"));
    assertEquals(store.has("folder"), false);
    const checked: unknown[] = [];
    const check = (result: unknown) => {
      checked.push(result);
      return "checked";
    };
    assertEquals(store.get("k", { maxEpochs: 3 }, check), "checked");
    assertEquals(checked, [{ valid: 0.5 }]);
    const refusing = () => {
      throw new Error('field "test" is missing');
    };
    const error = assertThrows(() => store.get("k", { maxEpochs: 3 }, refusing), Error);
    assertStringIncludes(
      error.message,
      `${store.pathOf("k")}: unreadable cell result (field "test" is missing); delete it`,
    );
  }),
);

Deno.test(
  "ResultStore.removeStaleClaim leaves a claim made since the stale one was read",
  withStore((store) => {
    const claimOf = (token: string): CellClaim => ({
      pid: 1,
      hostname: "elsewhere",
      since: "2020-01-01T00:00:00.000Z",
      heartbeat: "2020-01-01T00:00:00.000Z",
      token,
    });
    const path = store.claimPathOf("k");
    Deno.writeTextFileSync(path, JSON.stringify(claimOf("newer")));
    store.removeStaleClaim("k", claimOf("older"));
    assertEquals(store.claimOf("k"), claimOf("newer"));
    store.removeStaleClaim("k", claimOf("newer"));
    assertEquals(store.claimOf("k"), undefined);
  }),
);

Deno.test(
  "ResultStore: a claim is listed as held (given up on SIGINT) from claim to release only",
  withStore((store) => {
    const path = store.claimPathOf("k");
    assertEquals(store.claim("k"), undefined);
    assertEquals(HELD_CLAIMS.get(path), store.lockWaitSeconds, "listed once claimed");
    store.release("k");
    assertEquals(HELD_CLAIMS.has(path), false, "still listed after its release");
    assertEquals(store.claimOf("k"), undefined);
  }),
);

Deno.test("ResultStore.keepAlive: a heartbeat that fails (a full disk) is reported and tried again, the claim not lost", async () => {
  const directory = Deno.makeTempDirSync();
  const { error: consoleError } = console;
  const lines: string[] = [];
  console.error = (line: string) => lines.push(line);
  try {
    let beats = 0;
    let thirdBeat: () => void = () => {};
    const beaten = new Promise<void>((resolve) => thirdBeat = resolve);
    class FullDisk extends ResultStore {
      override heartbeat(_key: string): boolean {
        if (++beats === 3) thirdBeat();
        throw new Error("No space left on device");
      }
    }
    const store = new FullDisk(directory);
    let lost = 0;
    const stop = store.keepAlive("k", 0.01, () => {
      lost++;
      thirdBeat(); // No further beat comes: done.
    });
    // keepAlive's timer does not keep the process running: this one does, while it beats.
    const running = setTimeout(() => {}, 60_000);
    await beaten;
    clearTimeout(running);
    stop();
    assertEquals(lost, 0, "a failed heartbeat is not a lost claim");
    assertEquals(lines.length >= 3, true, lines.join("\n"));
    assertEquals(
      lines[0],
      `heartbeat of ${store.claimPathOf("k")} failed: No space left on device`,
    );
  } finally {
    console.error = consoleError;
    Deno.removeSync(directory, { recursive: true });
  }
});

Deno.test(
  "ResultStore.claim: a claim name that is taken but reads as absent is retried, never reported claimed",
  withStore((store) => {
    // A dangling link: creating the claim finds the name taken, reading it finds no claim (as a
    // claim released between the two does). Each attempt retries; none may count as claimed.
    const path = store.claimPathOf("k");
    Deno.symlinkSync(`${path}.nowhere`, path);
    const error = assertThrows(() => store.claim("k"), Error);
    assertStringIncludes(error.message, `${path}: could not claim the cell (claims kept changing)`);
    assertEquals(HELD_CLAIMS.has(path), false);
  }),
);

Deno.test("ResultStore.has: an error other than a missing file is thrown, not read as 'not stored'", () => {
  const directory = Deno.makeTempDirSync();
  try {
    const store = new ResultStore(`${directory}/cells`);
    // The folder replaced by a file: the cell's path cannot be looked at (not a directory).
    Deno.removeSync(store.directory);
    Deno.writeTextFileSync(store.directory, "");
    assertThrows(() => store.has("k"));
  } finally {
    Deno.removeSync(directory, { recursive: true });
  }
});
