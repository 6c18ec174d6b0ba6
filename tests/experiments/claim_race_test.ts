/**
 * A claim appears with its content or not at all: processes contending for one cell never read
 * an empty claim, and a claim file that is not a claim (left by an earlier version's writer that
 * was killed or ran out of space) is an error naming it until it is as old as a stale heartbeat,
 * then taken over; a failed claim leaves no file behind. What killed writers and takeovers leave
 * (temporaries, claims moved aside) blocks nothing and is swept once it can be no live one's.
 */
import { assert, assertEquals, assertStringIncludes, assertThrows } from "@std/assert";
import type { CellClaim } from "../../lib/experiments/cell_claim.ts";
import { ResultStore } from "../../lib/experiments/result_store.ts";
import { canMakeImmutable, setImmutable } from "../_immutable.ts";

const root = new URL("../../", import.meta.url).pathname;

interface RaceCounts {
  taken: number;
  held: number;
  errors: string[];
}

Deno.test("two processes claiming one cell at once never see an empty or half-made claim", async () => {
  const directory = Deno.makeTempDirSync();
  try {
    const race = () =>
      new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", "tests/experiments/_claim_race_probe.ts", directory, "k", "2000"],
        cwd: root,
        stdout: "piped",
        stderr: "piped",
      }).output();
    const outputs = await Promise.all([race(), race()]);
    const counts = outputs.map((output) => {
      assert(output.success, new TextDecoder().decode(output.stderr));
      return JSON.parse(new TextDecoder().decode(output.stdout)) as RaceCounts;
    });
    // Before, about 4 % of the contended claims read the other's claim empty ("unreadable claim").
    // A claim that gives up because the other process released and took the cell again on every
    // try (only this tight loop does that) is not what is tested here.
    for (const { taken, held, errors } of counts) {
      const other = errors.filter((error) => !error.includes("(claims kept changing)"));
      assertEquals(other.slice(0, 3), [], `${other.length} errors, ${taken} taken, ${held} held`);
    }
    assert(counts.every(({ held }) => held > 0), `no contention: ${JSON.stringify(counts)}`);
    assertEquals([...Deno.readDirSync(directory)].map((entry) => entry.name), []);
  } finally {
    Deno.removeSync(directory, { recursive: true });
  }
});

Deno.test("an unreadable claim is an error naming it until it is as old as a stale heartbeat, then taken over", () => {
  const directory = Deno.makeTempDirSync();
  try {
    const store = new ResultStore(directory, { staleSeconds: 60 });
    const path = store.claimPathOf("k");
    Deno.writeTextFileSync(path, "");
    const error = assertThrows(() => store.claim("k"));
    assertStringIncludes(error.message, `${path}: unreadable claim (`);
    assertStringIncludes(error.message, "it is taken over once 60 s old, or delete it");
    assertEquals(Deno.readTextFileSync(path), "", "left alone while young");
    const old = new Date(Date.now() - 120_000);
    Deno.utimeSync(path, old, old);
    assertEquals(store.claim("k"), undefined, "taken over");
    assertEquals(store.claimOf("k")?.pid, Deno.pid);
    store.release("k");
    assertEquals([...Deno.readDirSync(directory)].map((entry) => entry.name), []);
  } finally {
    Deno.removeSync(directory, { recursive: true });
  }
});

Deno.test(
  "a claim that cannot be written fails with the error and leaves no file behind",
  { ignore: !canMakeImmutable() },
  () => {
    const directory = Deno.makeTempDirSync();
    const store = new ResultStore(directory);
    setImmutable(directory, true);
    try {
      assertThrows(() => store.claim("k"), Deno.errors.PermissionDenied);
    } finally {
      setImmutable(directory, false);
    }
    assertEquals([...Deno.readDirSync(directory)].map((entry) => entry.name), []);
    Deno.removeSync(directory, { recursive: true });
  },
);

Deno.test("a store sweeps temporaries that killed writers left, only old ones of other processes", () => {
  const directory = Deno.makeTempDirSync();
  try {
    const old = new Date(Date.now() - 3600_000);
    const left = "cell.json.tmp-999999-1700000000000";
    const recent = "other.json.tmp-999998-1700000000001";
    const mine = `mine.json.tmp-${Deno.pid}-1700000000002`;
    for (const name of [left, recent, mine, "cell.json"]) {
      Deno.writeTextFileSync(`${directory}/${name}`, "{}");
    }
    for (const name of [left, mine, "cell.json"]) Deno.utimeSync(`${directory}/${name}`, old, old);
    // Before, a result written when its process was killed stayed next to the cell for good.
    new ResultStore(directory);
    const names = [...Deno.readDirSync(directory)].map((entry) => entry.name).sort();
    assertEquals(names, ["cell.json", mine, recent].sort());
  } finally {
    Deno.removeSync(directory, { recursive: true });
  }
});

class SimulatedKill extends Error {}

/**
 * Takes over a stale claim on "k" in `store` as a process killed right before it removed the claim
 * it had moved aside, `minutesAgo` minutes ago (this process's clock set back meanwhile).
 */
function takeOverKilledMidway(store: ResultStore, minutesAgo: number): void {
  const old = "2020-01-01T00:00:00.000Z";
  const dead: CellClaim = { pid: 2 ** 22 + 1, hostname: "gone", since: old, heartbeat: old };
  Deno.writeTextFileSync(store.claimPathOf("k"), JSON.stringify(dead));
  const { now } = Date;
  const remove = Deno.removeSync;
  Date.now = () => now() - minutesAgo * 60_000;
  Deno.removeSync = (path, options) => {
    if (String(path).endsWith(".stale")) throw new SimulatedKill("killed during the takeover");
    remove(path, options);
  };
  try {
    assertThrows(() => store.claim("k"), SimulatedKill);
  } finally {
    Date.now = now;
    Deno.removeSync = remove;
  }
}

Deno.test("a claim moved aside by a takeover killed midway blocks nothing and is swept once 10 min old", () => {
  const directory = Deno.makeTempDirSync();
  try {
    const store = new ResultStore(directory);
    const names = () => [...Deno.readDirSync(directory)].map((entry) => entry.name).sort();
    takeOverKilledMidway(store, 11);
    const [left] = names();
    assert(left.endsWith(".stale"), `the claim moved aside is left: ${names()}`);
    assertEquals(store.claim("k"), undefined, "the cell is not blocked");
    store.release("k");
    // Before, it stayed for good: nothing swept claims moved aside.
    new ResultStore(directory);
    assertEquals(names(), []);
    // One moved aside a minute ago may be a takeover's in progress: left alone.
    takeOverKilledMidway(store, 1);
    const recent = names();
    new ResultStore(directory);
    assertEquals(names(), recent);
    assertEquals(recent.length, 1);
  } finally {
    Deno.removeSync(directory, { recursive: true });
  }
});
