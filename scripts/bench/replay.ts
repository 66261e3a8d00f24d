// Replay benchmark (scripts/bench-replay.ts): a week of raw logs at 1x, 2x and 4x the volume of a 5,000-user
// organisation through every rule. BENCH_REPLAY_ARGS passes options, e.g. "--quick" for a fast check.
import { benchReplay } from "../bench-replay.ts";

process.exitCode = await benchReplay((process.env.BENCH_REPLAY_ARGS ?? "").split(" ").filter(Boolean));
