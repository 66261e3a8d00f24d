/** Geospatial functions on Kusto's spherical earth model (radius 6,371,010 m, haversine distance). */
import { EngineError } from "../errors.ts";
import type { Value } from "../values.ts";
import { argReal } from "./conversion.ts";
import type { CallContext, ScalarFunction } from "./registry.ts";

/** The sphere radius that reproduces Kusto's documented distances (Seattle–Los Angeles = 1,546,754.35 m). */
export const EARTH_RADIUS_METERS = 6_371_010;

function validPoint(lon: number, lat: number): boolean {
  return lon >= -180 && lon <= 180 && lat >= -90 && lat <= 90;
}

/** Great-circle distance in meters between two (longitude, latitude) points in degrees; null for invalid coordinates. */
export function sphereDistance(lon1: number, lat1: number, lon2: number, lat2: number): number | null {
  if (!validPoint(lon1, lat1) || !validPoint(lon2, lat2)) return null;
  const rad = Math.PI / 180;
  const dLat = (lat2 - lat1) * rad;
  const dLon = (lon2 - lon1) * rad;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_METERS * Math.asin(Math.min(1, Math.sqrt(a)));
}

function reals(args: readonly Value[], ctx: CallContext, count: number): number[] | null {
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    const x = argReal(args, ctx, i);
    if (x === null || Number.isNaN(x)) return null;
    out.push(x);
  }
  return out;
}

function refuseSpheroid(name: string, args: readonly Value[], index: number): void {
  if (args.length > index && args[index] === true) {
    throw new EngineError("SC4002", `${name}() with use_spheroid=true is not supported (only Kusto's spherical model is)`);
  }
}

/** The geo family. */
export const GEO_FUNCTIONS: readonly ScalarFunction[] = [
  {
    name: "geo_distance_2points",
    call: (args, ctx) => {
      refuseSpheroid("geo_distance_2points", args, 4);
      const p = reals(args, ctx, 4);
      return p === null ? null : sphereDistance(p[0]!, p[1]!, p[2]!, p[3]!);
    },
  },
  {
    name: "geo_point_in_circle",
    call: (args, ctx) => {
      const p = reals(args, ctx, 5);
      if (p === null || p[4]! < 0) return null;
      const d = sphereDistance(p[0]!, p[1]!, p[2]!, p[3]!);
      return d === null ? null : d <= p[4]!;
    },
  },
];
