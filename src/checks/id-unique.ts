import type { Check } from "./check.ts";
import { idClashCheck } from "./id-groups.ts";

/** SC2102: ids are unique across the repository; two different items (different names) sharing one id is an error. */
export const idUnique = (): Check =>
  idClashCheck({
    code: "SC2102",
    clashes: (sameName) => !sameName,
    message: (paths) => `id is also used by ${paths.join(", ")}`,
  });
