/**
 * danfo.js DataFrames of datasets, statistics and any list of records, for notebooks. A folder of
 * their own because danfojs-node is heavy to load (about 90 MiB and 1.2 s at start-up, measured
 * 2026-12-05): the data layer, the main job and the command-line tools load without it.
 */
export {
  type DataFrame,
  interactionsFrame,
  itemsFrame,
  recordsFrame,
  statisticsFrames,
} from "./dataframe.ts";
