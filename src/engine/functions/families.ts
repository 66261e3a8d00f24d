import type { ScalarFunction } from "./registry.ts";
// families: one import per family file, keep sorted
import { CONVERSION_FUNCTIONS } from "./conversion.ts";
import { DATETIME_FUNCTIONS } from "./datetime.ts";
import { DYNAMIC_FUNCTIONS } from "./dynamic.ts";
import { ENCODING_FUNCTIONS } from "./encoding.ts";
import { GEO_FUNCTIONS } from "./geo.ts";
import { IP_FUNCTIONS } from "./ip.ts";
import { LOGIC_FUNCTIONS } from "./logic.ts";
import { MATH_FUNCTIONS } from "./math.ts";
import { REGEX_FUNCTIONS } from "./regex.ts";
import { SERIES_FUNCTIONS } from "./series.ts";
import { STRING_FUNCTIONS } from "./string.ts";
import { TYPE_FUNCTIONS } from "./type.ts";

/** Every scalar function family the engine knows; a function absent from these is refused at plan time. */
export const FUNCTION_FAMILIES: readonly (readonly ScalarFunction[])[] = [
  // family arrays: one entry per line, keep sorted
  CONVERSION_FUNCTIONS,
  DATETIME_FUNCTIONS,
  DYNAMIC_FUNCTIONS,
  ENCODING_FUNCTIONS,
  GEO_FUNCTIONS,
  IP_FUNCTIONS,
  LOGIC_FUNCTIONS,
  MATH_FUNCTIONS,
  REGEX_FUNCTIONS,
  SERIES_FUNCTIONS,
  STRING_FUNCTIONS,
  TYPE_FUNCTIONS,
];
