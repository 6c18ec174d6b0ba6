/** R serialisation and lazy-load database reader (typed; only the types data frames use). */
export type * from "./r_value.ts";
export { R_NA_INTEGER, R_NULL } from "./r_value.ts";
export { unserializeR } from "./unserialize.ts";
export { decompressRData, detectRCompression, type RCompression } from "./decompress.ts";
export { type LazyLoadDatabase, openLazyLoadDatabase } from "./lazy_load_db.ts";
export { asRDataFrame, factorLabels, type RDataFrame } from "./data_frame.ts";
