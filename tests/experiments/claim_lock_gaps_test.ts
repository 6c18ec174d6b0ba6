/**
 * Edges of a claim's lock (`withClaimLock`, `removeAbandonedLocks`: lib/experiments/_claim_lock.ts)
 * that the other claim tests do not reach: an action that throws, a lock file replaced by another
 * process's while this one failed to lock its own, the errors' causes and names, what the sweep of
 * abandoned locks skips and how long it waits, and an open that fails for another reason than an
 * existing file. A held lock is held through a second open file of this process (flock locks belong
 * to the open file, so the two exclude each other as two processes would); nothing here asserts a
 * duration. Found by mutation round MC.
 */
import { assert, assertEquals, assertStringIncludes, assertThrows } from "@std/assert";
import {
  CLAIM_LOCK_WAIT_SECONDS,
  ClaimLockError,
  ClaimLockTimeoutError,
  removeAbandonedLocks,
  withClaimLock,
} from "../../lib/experiments/_claim_lock.ts";
import { namesIn } from "./_names_in.ts";
import { withLockWaitsElapsing } from "./_paused_lock.ts";
import { holdingLock } from "./_held_lock.ts";

/** Runs `action` in a fresh folder, removed afterwards. */
function inFolder(action: (directory: string) => void): void {
  const directory = Deno.makeTempDirSync();
  try {
    action(directory);
  } finally {
    Deno.removeSync(directory, { recursive: true });
  }
}

Deno.test("an action that throws leaves no lock file behind, and its error is what withClaimLock throws", () => {
  inFolder((directory) => {
    const claim = `${directory}/k.claim`;
    const error = assertThrows(() =>
      withClaimLock(claim, () => {
        throw new Error("action failed");
      }, 1)
    );
    assertEquals(error.message, "action failed");
    assertEquals(namesIn(directory), []);
    // The lock is free: the next holder takes it at once.
    assertEquals(withClaimLock(claim, () => "again", 0.05), "again");
  });
});

Deno.test("a lock file it created but another process replaced before the failed flock is left in place", () => {
  inFolder((directory) => {
    const claim = `${directory}/k.claim`;
    const lock = `${claim}.lock`;
    const files = Deno.FsFile.prototype;
    const { tryLockSync } = files;
    files.tryLockSync = function (): boolean {
      // Another process removed this one's new lock file and made its own (which it may hold).
      Deno.removeSync(lock);
      Deno.writeTextFileSync(lock, "the other process's");
      throw new Error("Function not implemented (os error 38)");
    };
    try {
      const error = assertThrows(() => withClaimLock(claim, () => {}, 1));
      assert(error instanceof ClaimLockError, String(error));
    } finally {
      files.tryLockSync = tryLockSync;
    }
    assertEquals(Deno.readTextFileSync(lock), "the other process's");
  });
});

Deno.test("ClaimLockError keeps the flock error as its cause; ClaimLockTimeoutError is named so", () => {
  inFolder((directory) => {
    const claim = `${directory}/k.claim`;
    const files = Deno.FsFile.prototype;
    const { tryLockSync } = files;
    const flockError = new Error("No locks available (os error 37)");
    files.tryLockSync = () => {
      throw flockError;
    };
    let error: Error;
    try {
      error = assertThrows(() => withClaimLock(claim, () => {}, 1));
    } finally {
      files.tryLockSync = tryLockSync;
    }
    assert(error instanceof ClaimLockError, String(error));
    assertEquals(error.cause, flockError);
    const lock = `${claim}.lock`;
    holdingLock(lock, () => {
      const timeout = assertThrows(() => withClaimLock(claim, () => {}, 0.02));
      assert(timeout instanceof ClaimLockTimeoutError, String(timeout));
      assertEquals(timeout.name, "ClaimLockTimeoutError");
      assertStringIncludes(
        timeout.message,
        `${lock}: this claim lock file was still locked after 0.02 s`,
      );
    });
  });
});

Deno.test("the sweep of abandoned claim locks skips a folder named like one and waits the wait it is given", () => {
  inFolder((directory) => {
    Deno.mkdirSync(`${directory}/d.claim.lock`);
    Deno.writeTextFileSync(`${directory}/gone.claim.lock`, "");
    removeAbandonedLocks(directory, 0.05);
    assertEquals(namesIn(directory), ["d.claim.lock"]);
    const held = `${directory}/held.claim.lock`;
    holdingLock(held, () => {
      const error = assertThrows(() => removeAbandonedLocks(directory, 0.02));
      assert(error instanceof ClaimLockTimeoutError, String(error));
      assertStringIncludes(
        error.message,
        `${held}: this claim lock file was still locked after 0.02 s`,
      );
    });
  });
});

Deno.test("a lock file that cannot be created for another reason than an existing one is that error", () => {
  inFolder((directory) => {
    const claim = `${directory}/missing-folder/k.claim`;
    const { openSync } = Deno;
    let opens = 0;
    Deno.openSync = (file: string | URL, options?: Deno.OpenOptions) => {
      // A wrong open that retries for good is cut off, so the test fails instead of hanging.
      if (++opens > 20) throw new Error("opened the lock file over and over");
      return openSync(file, options);
    };
    try {
      const error = assertThrows(() => withClaimLock(claim, () => {}, 1));
      assert(error instanceof Deno.errors.NotFound, String(error));
      assert(opens <= 2, `opens: ${opens}`);
    } finally {
      Deno.openSync = openSync;
    }
  });
});

Deno.test("while one holder runs its action, no other can take the claim's lock", () => {
  // Found by mutation round MC (MC42, MC43): a lock file removed before the action, or a shared
  // lock, lets a second holder in while the first still moves the claim (the cell runs twice).
  inFolder((directory) => {
    const claim = `${directory}/k.claim`;
    const seen = withClaimLock(claim, () => {
      const error = assertThrows(() => withClaimLock(claim, () => "second holder", 0.02));
      assert(error instanceof ClaimLockTimeoutError, String(error));
      return namesIn(directory);
    }, 1);
    assertEquals(seen, ["k.claim.lock"]);
    assertEquals(namesIn(directory), []);
  });
});

Deno.test("withClaimLock waits CLAIM_LOCK_WAIT_SECONDS by default", async () => {
  // Found by mutation round MC (MC45). The wait elapses by a minute per failed try
  // (withLockWaitsElapsing), so nothing here waits; the lock itself stays really held.
  const directory = Deno.makeTempDirSync();
  try {
    const claim = `${directory}/k.claim`;
    const lock = `${claim}.lock`;
    const file = Deno.openSync(lock, { read: true, write: true, create: true });
    try {
      file.lockSync(true);
      const error = await withLockWaitsElapsing(() =>
        assertThrows(() => withClaimLock(claim, () => {}))
      );
      assert(error instanceof ClaimLockTimeoutError, String(error));
      assertStringIncludes(
        error.message,
        `${lock}: this claim lock file was still locked after ${CLAIM_LOCK_WAIT_SECONDS} s`,
      );
    } finally {
      file.close();
    }
  } finally {
    Deno.removeSync(directory, { recursive: true });
  }
});
