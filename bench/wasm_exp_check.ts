/**
 * Could the softmax's exponential move into the fused cross-entropy host kernel without changing a
 * single bit of the results of record? The chain max -> subtract -> exp -> sum -> fused kernel
 * walks the [real positions x items] matrix five times; `Exp` alone is a fifth of a MovieLens
 * training step (76 of 436 ms, idle, `deno task profile`). One host pass would save the `Max` and
 * `Sub` passes and two [n, items] temporaries, but only if the exponential gives the same bits as
 * the wasm kernel's, or every record (16 h of training) would have to be rerun.
 *
 * tfjs-backend-wasm's `Exp` is `std::exp` on float, compiled by Emscripten: musl's `expf` (the
 * module imports no `Math.exp`; the 32-entry table of `__exp2f_data` sits in its data segment,
 * from where {@linkcode TABLE_BITS} was copied). This check ports that `expf` to JavaScript (its
 * double arithmetic in the same order), compares it bit for bit with `tf.exp` on wasm over every
 * float32 that `x - max` can produce (all 2^31 non-positive values, -0, -Infinity and NaNs
 * included), and times both on one [6,400 x 3,496] matrix of typical inputs.
 *
 * Measured 2026-12-02 19:47-19:54 (idle): 0 mismatches in 2,147,483,648 inputs; wasm 2.31 ns
 * per entry, the port 3.07 ns. So the port is exact but slower than the wasm scalar loop it would
 * replace: the fusion would lose about 17 ms a step on the exponential and save about 27 ms on the
 * other passes, 2 % of the step, and is not built (docs/performance.md, "Why the whole plan does
 * not fit an hour on two cores").
 *
 * Run: `deno run -A bench/wasm_exp_check.ts [--exhaustive]` (the exhaustive comparison takes
 * about 7 min; without it, 16 M inputs spread over the range, about 20 s; `--help` prints the
 * options).
 */
import { parseOptions, runScript } from "../scripts/cli/options.ts";
import { initBackend, tf } from "../lib/backend/mod.ts";

/** musl's `__exp2f_data.tab`: bits of 2^(i/32) minus i << 47 (its layout, kept as found). */
const TABLE_BITS: readonly bigint[] = [
  0x3ff0000000000000n,
  0x3fefd9b0d3158574n,
  0x3fefb5586cf9890fn,
  0x3fef9301d0125b51n,
  0x3fef72b83c7d517bn,
  0x3fef54873168b9aan,
  0x3fef387a6e756238n,
  0x3fef1e9df51fdee1n,
  0x3fef06fe0a31b715n,
  0x3feef1a7373aa9cbn,
  0x3feedea64c123422n,
  0x3feece086061892dn,
  0x3feebfdad5362a27n,
  0x3feeb42b569d4f82n,
  0x3feeab07dd485429n,
  0x3feea47eb03a5585n,
  0x3feea09e667f3bcdn,
  0x3fee9f75e8ec5f74n,
  0x3feea11473eb0187n,
  0x3feea589994cce13n,
  0x3feeace5422aa0dbn,
  0x3feeb737b0cdc5e5n,
  0x3feec49182a3f090n,
  0x3feed503b23e255dn,
  0x3feee89f995ad3adn,
  0x3feeff76f2fb5e47n,
  0x3fef199bdd85529cn,
  0x3fef3720dcef9069n,
  0x3fef5818dcfba487n,
  0x3fef7c97337b9b5fn,
  0x3fefa4afa2a490dan,
  0x3fefd0765b6e4540n,
];

function doubleOf(bits: bigint): number {
  const word = new BigUint64Array([bits]);
  return new Float64Array(word.buffer)[0];
}

/** 2^(i/32) as doubles (the table with its i << 47 put back). */
const TWO_TO_I_OVER_32 = Float64Array.from(
  TABLE_BITS,
  (bits, i) => doubleOf(bits + (BigInt(i) << 47n)),
);
/** 2^e for e in [-160, 160): exact, so s = 2^(i/32) * 2^e equals musl's integer-add scaling. */
const POWERS_OF_TWO = Float64Array.from({ length: 320 }, (_, e) => 2 ** (e - 160));
const SHIFT = doubleOf(0x4338000000000000n); // 0x1.8p52: rounds z to an integer in the add
const INV_LN2_SCALED = doubleOf(0x40471547652b82fen); // 32 / ln 2
const C0 = doubleOf(0x3ebc6af84b912394n);
const C1 = doubleOf(0x3f2ebfce50fac4f3n);
const C2 = doubleOf(0x3f962e42ff0c52d6n);
const OVERFLOW = 88.72283172607422; // 0x1.62e42ep6f
const UNDERFLOW = -103.97207641601562; // -0x1.9fe368p6f

/**
 * musl's `expf` in JavaScript: the same double operations in the same order, rounded to float32.
 *
 * @example
 * ```ts
 * muslExpf(0); // 1
 * muslExpf(-1); // 0.3678794503211975 (Math.fround(Math.exp(-1)))
 * ```
 */
export function muslExpf(x: number): number {
  if (!(x > -88 && x < 88)) {
    if (x !== x) return x + x;
    if (x === -Infinity) return 0;
    if (x === Infinity || x > OVERFLOW) return Infinity;
    if (x < UNDERFLOW) return 0;
  }
  const z = INV_LN2_SCALED * x;
  const k = (z + SHIFT) - SHIFT;
  const r = z - k;
  const ki = k | 0;
  const s = TWO_TO_I_OVER_32[ki & 31] * POWERS_OF_TWO[(ki >> 5) + 160];
  const cubic = C0 * r + C1;
  let y = C2 * r + 1;
  y = cubic * (r * r) + y;
  return Math.fround(y * s);
}

/** Bit-for-bit comparison of `tf.exp` (current backend) with {@linkcode muslExpf}. */
function compare(bitsOf: (i: number) => number, count: number): number {
  const chunk = 1 << 24;
  const words = new Uint32Array(chunk);
  const values = new Float32Array(words.buffer);
  const ours = new Float32Array(chunk);
  const oursWords = new Uint32Array(ours.buffer);
  let mismatches = 0;
  for (let start = 0; start < count; start += chunk) {
    const size = Math.min(chunk, count - start);
    for (let i = 0; i < size; i++) words[i] = bitsOf(start + i);
    const theirs = tf.tidy(() => tf.exp(tf.tensor1d(values.subarray(0, size))).dataSync());
    const theirsWords = new Uint32Array(theirs.buffer, theirs.byteOffset, size);
    for (let i = 0; i < size; i++) ours[i] = muslExpf(values[i]);
    for (let i = 0; i < size; i++) {
      const bothNaN = Number.isNaN(theirs[i]) && Number.isNaN(ours[i]);
      if (theirsWords[i] !== oursWords[i] && !bothNaN) {
        if (mismatches < 5) console.log(`mismatch at ${values[i]}: ${theirs[i]} vs ${ours[i]}`);
        mismatches++;
      }
    }
  }
  return mismatches;
}

function timeBoth(): { wasmNsPerEntry: number; portNsPerEntry: number } {
  const n = 6400 * 3496;
  const inputs = new Float32Array(n);
  let state = 1;
  for (let i = 0; i < n; i++) {
    state = (state * 1103515245 + 12345) % 2147483648;
    inputs[i] = -(state / 2147483648) * 15; // typical x - max of a trained model's logits
  }
  const out = new Float32Array(n);
  const x = tf.tensor1d(inputs);
  const wasm: number[] = [], port: number[] = [];
  for (let rep = 0; rep < 6; rep++) {
    let start = performance.now();
    tf.exp(x).dispose(); // wasm kernels run synchronously
    wasm.push(performance.now() - start);
    start = performance.now();
    for (let i = 0; i < n; i++) out[i] = muslExpf(inputs[i]);
    port.push(performance.now() - start);
  }
  x.dispose();
  const median = (xs: number[]) => xs.slice(1).sort((a, b) => a - b)[2]; // first is warm-up
  return { wasmNsPerEntry: median(wasm) * 1e6 / n, portNsPerEntry: median(port) * 1e6 / n };
}

/** Without `--exhaustive`, every SAMPLE_STEP-th non-positive input is compared (--help says so). */
const SAMPLE_STEP = 128;

const USAGE = `usage: deno run -A bench/wasm_exp_check.ts [--exhaustive]
  --exhaustive  compare all 2^31 non-positive inputs (about 7 min; default every ${SAMPLE_STEP}th, 20 s)
  -h, --help    print this text`;

async function main(): Promise<number> {
  const { values } = parseOptions(Deno.args, {
    exhaustive: { type: "boolean", default: false },
    help: { type: "boolean", short: "h", default: false },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const exhaustive = values.exhaustive;
  await initBackend({ blas: false, verbose: false });
  if (tf.getBackend() !== "wasm") throw new Error(`needs the wasm backend, got ${tf.getBackend()}`);
  const count = exhaustive ? 2 ** 31 : 2 ** 31 / SAMPLE_STEP;
  const step = exhaustive ? 1 : SAMPLE_STEP; // every non-positive float, or every SAMPLE_STEP-th
  const mismatches = compare((i) => (0x80000000 | (i * step)) >>> 0, count);
  console.log(
    `${mismatches} mismatches of tf.exp (wasm) and musl's expf ported to JavaScript over ` +
      `${count.toLocaleString("en-US")} non-positive float32 inputs${exhaustive ? " (all)" : ""}`,
  );
  const { wasmNsPerEntry, portNsPerEntry } = timeBoth();
  console.log(
    `exp of 22.4 M entries: wasm ${wasmNsPerEntry.toFixed(2)} ns per entry, ` +
      `JavaScript port ${portNsPerEntry.toFixed(2)} ns per entry`,
  );
  return mismatches > 0 ? 1 : 0;
}

if (import.meta.main) await runScript("wasm_exp_check", main);
