/** Softmax cross-entropy of one row, by hand: the reference of the kernel tests. */
export function byHand(row: number[], target: number): { loss: number; gradient: number[] } {
  const max = Math.max(...row);
  const sum = row.reduce((s, v) => s + Math.exp(v - max), 0);
  const loss = max + Math.log(sum) - row[target];
  const gradient = row.map((v, j) => Math.exp(v - max) / sum - (j === target ? 1 : 0));
  return { loss, gradient };
}
