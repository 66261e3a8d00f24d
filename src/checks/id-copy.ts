import type { Check } from "./check.ts";
import { idClashCheck } from "./id-groups.ts";

/** SC2105: the same item (same id and name) lives in two files, e.g. a copy left behind after a move. */
export const idCopy = (): Check =>
  idClashCheck({
    code: "SC2105",
    clashes: (sameName) => sameName,
    message: (paths) => `same id and name as ${paths.join(", ")}`,
  });
