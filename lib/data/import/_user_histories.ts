/**
 * Interaction rows (in file order) grouped into each user's history: grouped by user, sorted by
 * time with file order breaking ties, and the rows that repeat an earlier (user, item, time).
 *
 * @module
 */

/** Each user's rows (indices into the columns): `order[start[u]..start[u + 1])` for user u. */
interface UserRows {
  order: Int32Array;
  start: Int32Array;
}

/** Groups the rows by user, each user's rows in file order (a counting sort). */
export function rowsByUser(user: Int32Array, numUsers: number): UserRows {
  const start = new Int32Array(numUsers + 1);
  for (let row = 0; row < user.length; row++) start[user[row] + 1]++;
  for (let u = 0; u < numUsers; u++) start[u + 1] += start[u];
  const next = start.slice(0, numUsers);
  const order = new Int32Array(user.length);
  for (let row = 0; row < user.length; row++) order[next[user[row]]++] = row;
  return { order, start };
}

/** Whether `rows` are already in time order (the common case: a file sorted by time). */
function inTimeOrder(rows: Int32Array, time: Float64Array): boolean {
  for (let k = 1; k < rows.length; k++) {
    if (time[rows[k - 1]] > time[rows[k]]) return false;
  }
  return true;
}

/** Sorts each user's rows by time; equal times keep file order (the row index). */
export function sortByTime({ order, start }: UserRows, time: Float64Array): void {
  for (let u = 0; u + 1 < start.length; u++) {
    const rows = order.subarray(start[u], start[u + 1]);
    if (!inTimeOrder(rows, time)) rows.sort((a, b) => time[a] - time[b] || a - b);
  }
}

/** Each user's values of `column`, in history order. */
export function perUser<T extends Int32Array | Float64Array>(
  { order, start }: UserRows,
  column: T,
  allocate: (length: number) => T,
): T[] {
  return Array.from({ length: start.length - 1 }, (_, u) => {
    const values = allocate(start[u + 1] - start[u]);
    for (let k = 0; k < values.length; k++) values[k] = column[order[start[u] + k]];
    return values;
  });
}

/**
 * Rows that repeat an earlier row's (user, item, timestamp), counted, with the first of them (in
 * file order) and the row it repeats; undefined when there are none. They are kept, as RecBole
 * keeps them by default (`rm_dup_inter: None`), but said: an export that wrote rows twice would
 * otherwise pass unnoticed, and a last item repeated at the same time makes an easy test target.
 * Each user's rows are sorted by time, so equal times are adjacent.
 */
export function duplicateRows(
  { order, start }: UserRows,
  item: Int32Array,
  time: Float64Array,
  lineOfRow: Float64Array,
): { count: number; line: number; earlier: number } | undefined {
  let count = 0;
  let first: { line: number; earlier: number } | undefined;
  for (let u = 0; u + 1 < start.length; u++) {
    const rows = order.subarray(start[u], start[u + 1]);
    for (let from = 0, to = 1; from < rows.length; from = to, to = from + 1) {
      while (to < rows.length && time[rows[to]] === time[rows[from]]) to++;
      if (to - from === 1) continue; // the common case: no other row at this time
      const lineOfItem = new Map<number, number>();
      for (const row of rows.subarray(from, to)) {
        const line = lineOfRow[row];
        const earlier = lineOfItem.get(item[row]);
        if (earlier === undefined) {
          lineOfItem.set(item[row], line);
          continue;
        }
        count++;
        if (first === undefined || line < first.line) first = { line, earlier };
      }
    }
  }
  return first && { count, ...first };
}
