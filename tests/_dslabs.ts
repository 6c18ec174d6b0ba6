/**
 * Whether Debian's r-cran-dslabs is installed, the MovieLens source that the conversion tests read
 * (tests/data/movielens_test.ts, tests/prepare/rds_reader_test.ts, prepare_data_cli_test.ts,
 * prepare_data_half_written_left_test.ts skip without it). One home of the path, which is the
 * library's default (DSLABS_RDATA), and of the check: both files of its lazy-load database.
 */
import { DSLABS_RDATA } from "../lib/prepare/movielens/source.ts";

/** Both files of the dslabs database (`<DSLABS_RDATA>.rdb` and `.rdx`) are there. */
export const hasDslabs: boolean = [".rdb", ".rdx"].every((extension) => {
  try {
    return Deno.statSync(`${DSLABS_RDATA}${extension}`).isFile;
  } catch {
    return false;
  }
});
