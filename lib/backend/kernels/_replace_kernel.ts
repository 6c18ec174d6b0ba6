/**
 * Swaps a stock tfjs kernel for a workspace one while keeping the stock kernel reachable: as the
 * fallback for inputs the replacement does not handle, and to restore it (tests, benchmarks).
 */
import { tf } from "../tf.ts";

const stockConfigs = new Map<string, tf.KernelConfig>();
const replacements = new Map<string, tf.KernelFunc>();

const keyOf = (kernelName: string, backend: string) => `${backend}/${kernelName}`;

/**
 * Registers `make(stock)` as `kernelName` on `backend`, where `stock` is the kernel it replaces.
 * Idempotent: a second call keeps the first replacement.
 *
 * @example
 * ```ts
 * replaceKernel("Sum", "cpu", (stock) => (args) => stock(args)); // a no-op replacement
 * ```
 */
export function replaceKernel(
  kernelName: string,
  backend: string,
  make: (stock: tf.KernelFunc) => tf.KernelFunc,
): void {
  const key = keyOf(kernelName, backend);
  if (replacements.has(key)) return;
  const previous = tf.getKernel(kernelName, backend);
  if (previous === undefined) throw new Error(`no stock ${kernelName} kernel on ${backend}`);
  const kernelFunc = make(previous.kernelFunc);
  tf.unregisterKernel(kernelName, backend);
  // The stock set-up stays: wasm kernels cwrap their C function there, and the fallback needs it.
  tf.registerKernel({
    kernelName,
    backendName: backend,
    kernelFunc,
    setupFunc: previous.setupFunc,
  });
  stockConfigs.set(key, previous);
  replacements.set(key, kernelFunc);
}

/**
 * Puts the stock kernel back; returns whether a replacement was registered.
 *
 * @example
 * ```ts
 * restoreKernel("Sum", "cpu");
 * ```
 */
export function restoreKernel(kernelName: string, backend: string): boolean {
  const key = keyOf(kernelName, backend);
  const stock = stockConfigs.get(key);
  if (stock === undefined) return false;
  tf.unregisterKernel(kernelName, backend);
  tf.registerKernel(stock);
  stockConfigs.delete(key);
  replacements.delete(key);
  return true;
}
