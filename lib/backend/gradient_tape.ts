/**
 * Freeing what a gradient tape kept when the function being differentiated throws. tfjs saves a
 * copy of each recorded op's inputs on the tape (kept, so no tf.tidy frees them) and frees them
 * at the end of its backward pass; a throw before it skips that, and the copies stay alive for
 * good (3 tensors for each refused call of a one-op loss).
 *
 * @example
 * ```ts
 * const gradient = freeTapeOnThrow(() => tf.tidy(() => tf.grad(f)(x)));
 * ```
 */
import { tf } from "./tf.ts";

/**
 * Runs `f` (which calls `tf.grad`, `tf.grads` or `tf.variableGrads`) and returns what it returns;
 * when it throws, frees the tensors the outermost gradient tape saved, as tfjs's own backward pass
 * would, and throws the error on. A tape an outer gradient is still recording is left alone.
 */
export function freeTapeOnThrow<T>(f: () => T): T {
  try {
    return f();
  } catch (error) {
    const state = tf.engine().state;
    // Depth 0: no outer gradient (higher-order) is recording on this tape any more.
    if (state.gradientDepth === 0 && state.activeTape) {
      for (const node of state.activeTape) tf.dispose(node.saved ?? []);
      state.activeTape = null as unknown as typeof state.activeTape;
    }
    throw error;
  }
}
