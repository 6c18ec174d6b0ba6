/**
 * One popularity bucket of the MovieLens diagnosis (test users whose test item occurs 0 to 5
 * times in training), standing in for the buckets that need the prepared dataset: the one home of the bucket that the
 * diagnosis figures' tests and the caption-protocol tests each wrote out.
 */
import type { ColdStartBucket } from "../../lib/experiments/analyse.ts";

/** The 0-5 bucket of 52 users, SASRec-MM ahead of Demure-SASRec (a new object each call). */
export function popularityBucket(): ColdStartBucket {
  return {
    label: "0-5",
    min: 0,
    max: 5,
    users: 52,
    bySystem: {
      "SASRec-MM": { "NDCG@10": 0.02, "HR@10": 0.04 },
      "Demure-SASRec": { "NDCG@10": 0.015, "HR@10": 0.03 },
    },
  };
}
