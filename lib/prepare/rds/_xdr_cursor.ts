/** A bounds-checked reader over big-endian (XDR) bytes; errors name the byte offset. */
export class XdrCursor {
  private readonly view: DataView;
  private position = 0;

  constructor(private readonly bytes: Uint8Array, private readonly source: string) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get offset(): number {
    return this.position;
  }

  get remaining(): number {
    return this.bytes.length - this.position;
  }

  fail(message: string): never {
    throw new Error(`${this.source}: byte ${this.position}: ${message}`);
  }

  private need(count: number, what: string): void {
    if (count < 0 || this.position + count > this.bytes.length) {
      this.fail(`unexpected end of data while reading ${what} (${count} bytes needed)`);
    }
  }

  int32(what = "integer"): number {
    this.need(4, what);
    const value = this.view.getInt32(this.position, false);
    this.position += 4;
    return value;
  }

  float64(what = "double"): number {
    this.need(8, what);
    const value = this.view.getFloat64(this.position, false);
    this.position += 8;
    return value;
  }

  raw(count: number, what = "bytes"): Uint8Array {
    this.need(count, what);
    const slice = this.bytes.subarray(this.position, this.position + count);
    this.position += count;
    return slice;
  }
}
