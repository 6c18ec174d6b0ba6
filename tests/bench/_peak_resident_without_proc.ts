/**
 * Prints `peakResidentMiB()`: run by peak_memory_test with `/proc` denied, where the peak cannot
 * be read (as on a system without it).
 */
import { peakResidentMiB } from "../../bench/peak_memory.ts";

console.log(peakResidentMiB());
