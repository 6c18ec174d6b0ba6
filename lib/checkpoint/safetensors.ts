/**
 * The safetensors format (https://github.com/huggingface/safetensors), written and read by hand:
 * 8-byte little-endian header length N, N bytes of JSON header
 * `{ name: { dtype: "F32", shape, data_offsets: [begin, end] }, "__metadata__": { str: str } }`
 * (padded with spaces to an 8-byte boundary), then the raw little-endian F32 data. Offsets are
 * relative to the start of the data. PyTorch users load it with `safetensors.torch.load_file`.
 *
 * @example
 * ```ts
 * const bytes = encodeSafetensors(new Map([["w", { shape: [2], data: Float32Array.of(1, 2) }]]));
 * decodeSafetensors(bytes, "w.safetensors").tensors.get("w")!.data; // Float32Array [1, 2]
 * ```
 */

/** One F32 tensor: row-major data and its shape. */
export interface HostTensor {
  /** The tensor's shape. */
  shape: number[];
  /** Row-major values. */
  data: Float32Array;
}

/** Decoded file: tensors in file order and the string metadata. */
export interface DecodedSafetensors {
  /** Tensors by name, in file order. */
  tensors: Map<string, HostTensor>;
  /** The file's `__metadata__` strings. */
  metadata: Record<string, string>;
}

interface HeaderEntry {
  dtype: string;
  shape: number[];
  data_offsets: [number, number];
}

/** A dimension or offset the format allows: a whole number >= 0. */
function isWhole(value: unknown): boolean {
  return Number.isInteger(value) && (value as number) >= 0;
}

/** Serialises F32 tensors (in the map's order) and string metadata. */
export function encodeSafetensors(
  tensors: ReadonlyMap<string, HostTensor>,
  metadata: Record<string, string> = {},
): Uint8Array {
  const header: Record<string, HeaderEntry | Record<string, string>> = {};
  if (Object.keys(metadata).length > 0) header.__metadata__ = metadata;
  let offset = 0;
  for (const [name, tensor] of tensors) {
    // "__metadata__" is the header's metadata key: a tensor of that name would be read back as
    // the metadata, and the tensor lost.
    if (name === "__metadata__") {
      throw new Error(`safetensors: tensor name "__metadata__" is the format's metadata key`);
    }
    // A shape the reader refuses ([-2, -1] has 2 values too) would make a file no one can read.
    if (!tensor.shape.every(isWhole)) {
      throw new Error(
        `safetensors: tensor "${name}" has shape [${tensor.shape}]; dimensions are whole numbers >= 0`,
      );
    }
    const count = tensor.shape.reduce((a, b) => a * b, 1);
    if (count !== tensor.data.length) {
      throw new Error(
        `safetensors: tensor "${name}" has ${tensor.data.length} values for shape [${tensor.shape}]`,
      );
    }
    header[name] = {
      dtype: "F32",
      shape: tensor.shape,
      data_offsets: [offset, offset + 4 * count],
    };
    offset += 4 * count;
  }
  let json = JSON.stringify(header);
  const encoder = new TextEncoder();
  while (encoder.encode(json).length % 8 !== 0) json += " ";
  const headerBytes = encoder.encode(json);
  const bytes = new Uint8Array(8 + headerBytes.length + offset);
  const view = new DataView(bytes.buffer);
  view.setBigUint64(0, BigInt(headerBytes.length), true);
  bytes.set(headerBytes, 8);
  let cursor = 8 + headerBytes.length;
  for (const tensor of tensors.values()) {
    for (let i = 0; i < tensor.data.length; i++) {
      view.setFloat32(cursor + 4 * i, tensor.data[i], true);
    }
    cursor += 4 * tensor.data.length;
  }
  return bytes;
}

/** Parses a safetensors file; every problem is an error naming `file` and the field. */
export function decodeSafetensors(bytes: Uint8Array, file: string): DecodedSafetensors {
  if (bytes.length < 8) {
    throw new Error(`${file}: ${bytes.length} bytes, too short for a safetensors header`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = Number(view.getBigUint64(0, true));
  if (headerLength > bytes.length - 8) {
    throw new Error(
      `${file}: header length ${headerLength} exceeds the file size ${bytes.length} (corrupt or truncated)`,
    );
  }
  let text: string;
  try {
    // Fatal: a byte that is no UTF-8 would be read as U+FFFD, silently renaming a tensor (Python's
    // safetensors refuses such a header).
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(8, 8 + headerLength));
  } catch {
    throw new Error(`${file}: header is not UTF-8 text (corrupt file)`);
  }
  let header: unknown;
  try {
    header = JSON.parse(text);
  } catch (error) {
    throw new Error(`${file}: header is not valid JSON (${(error as Error).message})`);
  }
  if (typeof header !== "object" || header === null || Array.isArray(header)) {
    throw new Error(`${file}: header is ${JSON.stringify(header)}, not a JSON object`);
  }
  const dataStart = 8 + headerLength;
  const dataLength = bytes.length - dataStart;
  const tensors = new Map<string, HostTensor>();
  const spans: { name: string; begin: number; end: number }[] = [];
  let metadata: Record<string, string> = {};
  for (const [name, raw] of Object.entries(header)) {
    if (name === "__metadata__") {
      // The format's metadata is a map of strings; another value typed as one would fail later,
      // far from the file.
      if (
        typeof raw !== "object" || raw === null || Array.isArray(raw) ||
        !Object.values(raw).every((value) => typeof value === "string")
      ) {
        throw new Error(
          `${file}: "__metadata__" is ${JSON.stringify(raw)}, not an object of strings`,
        );
      }
      metadata = raw as Record<string, string>;
      continue;
    }
    const entry = (raw ?? {}) as Partial<HeaderEntry>;
    if (entry.dtype !== "F32") {
      throw new Error(`${file}: tensor "${name}" has dtype ${entry.dtype}; only F32 is supported`);
    }
    const shape = entry.shape;
    const offsets = entry.data_offsets;
    // Dimensions that are no whole numbers >= 0 ([-2, -1], [1.5], ["2"]) or offsets that are no
    // whole numbers were read as a tensor of that shape, or failed as a RangeError naming no file.
    // (A negative begin is refused below with the bytes it does not fit.)
    if (
      !Array.isArray(shape) || !shape.every(isWhole) || !Array.isArray(offsets) ||
      offsets.length !== 2 || !offsets.every(Number.isInteger)
    ) {
      throw new Error(
        `${file}: tensor "${name}" lacks a valid shape or data_offsets (shape ` +
          `${JSON.stringify(shape)}, data_offsets ${JSON.stringify(offsets)}; dimensions are ` +
          `whole numbers >= 0, offsets a pair of whole numbers)`,
      );
    }
    const [begin, end] = offsets;
    const count = shape.reduce((a, b) => a * b, 1);
    if (end - begin !== 4 * count || begin < 0 || end > dataLength) {
      throw new Error(
        `${file}: tensor "${name}" data_offsets [${begin}, ${end}] do not fit shape [${shape}] ` +
          `in ${dataLength} data bytes (corrupt or truncated)`,
      );
    }
    const data = new Float32Array(count);
    for (let i = 0; i < count; i++) data[i] = view.getFloat32(dataStart + begin + 4 * i, true);
    tensors.set(name, { shape, data });
    spans.push({ name, begin, end });
  }
  checkDataSpans(spans, dataLength, file);
  return { tensors, metadata };
}

/**
 * Throws unless the tensors' data spans tile the data exactly, in offset order: one tensor's
 * bytes read as part of another's (an overlap), bytes no tensor owns (a gap) or trailing bytes
 * mean a corrupt or hand-made file. Python's safetensors refuses such files; this reader took them.
 */
function checkDataSpans(
  spans: { name: string; begin: number; end: number }[],
  dataLength: number,
  file: string,
): void {
  const ordered = [...spans].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let covered = 0;
  for (const { name, begin, end } of ordered) {
    if (begin !== covered) {
      throw new Error(
        `${file}: tensor "${name}" data_offsets [${begin}, ${end}] start at byte ${begin}, but ` +
          `the tensors before it end at byte ${covered} (${
            begin < covered ? "an overlap" : "a gap"
          }: corrupt file)`,
      );
    }
    covered = end;
  }
  if (covered !== dataLength) {
    throw new Error(
      `${file}: the tensors' data ends at byte ${covered}, the file holds ${dataLength} data ` +
        `bytes (trailing bytes: corrupt file)`,
    );
  }
}
