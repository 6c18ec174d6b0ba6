/**
 * `slowEvaluationLine` (lib/experiments/evaluation_progress.ts), pinned where mutation round 54
 * found no test: the default prints an evaluation from 2 s on (the existing test reads the
 * threshold from the constant it pins, so another value passed it too).
 */
import { assertEquals } from "@std/assert";
import {
  evaluationLine,
  type EvaluationProgress,
  slowEvaluationLine,
} from "../../lib/experiments/evaluation_progress.ts";

Deno.test("slowEvaluationLine: an evaluation of 2 s or more is printed, one of 1.5 s is not", () => {
  const progress: EvaluationProgress = {
    stage: "valid",
    ranking: "history_excluded",
    index: 1,
    evaluations: 3,
    users: 671,
    seconds: 1.5,
  };
  assertEquals(slowEvaluationLine(progress), undefined);
  assertEquals(slowEvaluationLine({ ...progress, seconds: 1.99 }), undefined);
  assertEquals(
    slowEvaluationLine({ ...progress, seconds: 2 }),
    "    evaluation 1/3 valid (history excluded): 671 users, 2.0 s",
  );
  assertEquals(
    slowEvaluationLine({ ...progress, seconds: 5.6 }),
    evaluationLine({ ...progress, seconds: 5.6 }),
  );
});
