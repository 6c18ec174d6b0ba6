/**
 * replaceKernel / restoreKernel on a kernel the workspace does not replace (wasm `Floor`): the
 * replacement keeps the stock kernel's set-up (wasm kernels bind their C function there, and the
 * fallback to the stock kernel needs it when a backend is initialised after the swap), restoring
 * puts the stock registration back exactly once (without tfjs's warning of a kernel registered
 * twice), and an unknown kernel is named with its backend.
 */
import { assert, assertEquals, assertThrows } from "@std/assert";
import { tf } from "../../lib/backend/tf.ts";
import { replaceKernel, restoreKernel } from "../../lib/backend/kernels/_replace_kernel.ts";

Deno.test("replaceKernel keeps the stock set-up; restoreKernel puts the stock back once", () => {
  const stock = tf.getKernel("Floor", "wasm")!;
  assert(stock.setupFunc !== undefined, "wasm Floor binds its C function in its set-up");
  let madeFrom: tf.KernelFunc | undefined;
  const replacement: tf.KernelFunc = (args) => stock.kernelFunc(args);
  try {
    replaceKernel("Floor", "wasm", (previous) => {
      madeFrom = previous;
      return replacement;
    });
    const now = tf.getKernel("Floor", "wasm")!;
    assertEquals(madeFrom, stock.kernelFunc, "made from the stock kernel");
    assertEquals(now.kernelFunc, replacement);
    assertEquals(now.setupFunc, stock.setupFunc);
    // Unregistered before the stock one goes back: tfjs warns of a kernel registered twice.
    const warnings: unknown[] = [];
    const warn = console.warn;
    console.warn = (...args: unknown[]) => warnings.push(args);
    try {
      assertEquals(restoreKernel("Floor", "wasm"), true);
    } finally {
      console.warn = warn;
    }
    assertEquals(warnings, []);
    assertEquals(tf.getKernel("Floor", "wasm"), stock);
    // Nothing replaced any more: a second restore has nothing to put back (and must not
    // re-register the stock kernel over whatever is registered by then).
    assertEquals(restoreKernel("Floor", "wasm"), false);
  } finally {
    restoreKernel("Floor", "wasm");
  }
});

Deno.test("replaceKernel of a kernel the backend lacks names the kernel and the backend", () => {
  assertThrows(
    () => replaceKernel("NoSuchKernel", "wasm", (stock) => stock),
    Error,
    "no stock NoSuchKernel kernel on wasm",
  );
});

Deno.test("replaceKernel: one kernel replaced on two backends is two replacements, each restored", () => {
  const stocks = { wasm: tf.getKernel("Floor", "wasm")!, cpu: tf.getKernel("Floor", "cpu")! };
  const made: string[] = [];
  try {
    for (const backend of ["wasm", "cpu"] as const) {
      replaceKernel("Floor", backend, (stock) => {
        made.push(backend);
        return (args) => stock(args);
      });
    }
    // Replaced on cpu too, though wasm's Floor was replaced first (the key names the backend).
    assertEquals(made, ["wasm", "cpu"]);
    assert(tf.getKernel("Floor", "cpu")!.kernelFunc !== stocks.cpu.kernelFunc);
    // Idempotent per backend: a second replacement on wasm keeps the first.
    replaceKernel("Floor", "wasm", (stock) => {
      made.push("again");
      return stock;
    });
    assertEquals(made, ["wasm", "cpu"]);
    assertEquals(restoreKernel("Floor", "wasm"), true);
    assertEquals(tf.getKernel("Floor", "wasm"), stocks.wasm);
    assertEquals(restoreKernel("Floor", "cpu"), true);
    assertEquals(tf.getKernel("Floor", "cpu"), stocks.cpu);
  } finally {
    restoreKernel("Floor", "wasm");
    restoreKernel("Floor", "cpu");
  }
});

Deno.test("replaceKernel: a replacement that cannot be made leaves the stock kernel registered", () => {
  // Found by mutation round JM (JM08): with the stock kernel unregistered before `make` ran, a
  // throwing `make` left the backend without the kernel, and nothing to restore.
  const stock = tf.getKernel("Floor", "wasm")!;
  try {
    assertThrows(
      () =>
        replaceKernel("Floor", "wasm", () => {
          throw new Error("cannot make it");
        }),
      Error,
      "cannot make it",
    );
    assertEquals(tf.getKernel("Floor", "wasm"), stock);
    assertEquals(restoreKernel("Floor", "wasm"), false, "nothing was replaced");
  } finally {
    if (tf.getKernel("Floor", "wasm") === undefined) tf.registerKernel(stock);
  }
});
