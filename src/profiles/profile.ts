import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { isNode, LineCounter, parseDocument, type Document } from "yaml";
import { makeDiagnostic, type Diagnostic, type Location } from "../diagnostics/index.ts";
import { createAjv, SCHEMAS_DIR } from "../schema/index.ts";
import { compilePattern } from "./pattern.ts";

/** A public source a profile fact cites. */
export interface ProfileReference {
  title: string;
  where: string;
  licence?: string;
}

/** A test on one field of a row. */
export interface Condition {
  field: string;
  in?: string[];
  notIn?: string[];
  present?: boolean;
  matches?: string;
  caseSensitive?: boolean;
}

/** A column real rows carry, with the values they use. */
export interface ProfileColumn {
  type: string;
  values?: string[];
  caseSensitive?: boolean;
  sources: string[];
  verified: boolean;
  note?: string;
}

/** A property every real row (or every row that meets `when`) has. */
export interface Invariant {
  id: string;
  when?: Condition[];
  require?: Condition;
  unique?: string[];
  reason: string;
  sources: string[];
  verified: boolean;
  note?: string;
}

/** One source profile, as written in profiles/<source>.yaml. */
export interface SourceProfile {
  source: string;
  title: string;
  description?: string;
  appliesTo: { tables?: string[]; inputs?: string[] };
  references: Record<string, ProfileReference>;
  columns: Record<string, ProfileColumn>;
  invariants: Invariant[];
  /** Repository-relative path of the profile file. */
  path: string;
}

/** The profiles folder of a repository. */
export const PROFILES_DIR = "profiles";

/** Most profile files read, and the largest one, so a stray folder cannot stall a run. */
const MAX_PROFILES = 200;
const MAX_PROFILE_BYTES = 1024 * 1024;

let compiledSchema: ReturnType<ReturnType<typeof createAjv>["compile"]> | undefined;

function profileSchema(): ReturnType<ReturnType<typeof createAjv>["compile"]> {
  compiledSchema ??= createAjv().compile(JSON.parse(readFileSync(path.join(SCHEMAS_DIR, "source-profile.schema.json"), "utf8")) as object);
  return compiledSchema;
}

/** Loads every profiles/*.yaml of a repository; a profile that is not valid is reported (SC2163) and left out. */
export function loadProfiles(root: string): { profiles: SourceProfile[]; diagnostics: Diagnostic[] } {
  const dir = path.join(root, PROFILES_DIR);
  if (!existsSync(dir)) return { profiles: [], diagnostics: [] };
  const names = readdirSync(dir).filter((n) => /\.ya?ml$/i.test(n)).sort();
  if (names.length > MAX_PROFILES) {
    return { profiles: [], diagnostics: [makeDiagnostic("SC2163", { file: PROFILES_DIR }, `more than ${MAX_PROFILES} profile files`)] };
  }
  const profiles: SourceProfile[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const name of names) {
    const loaded = loadProfile(path.join(dir, name), `${PROFILES_DIR}/${name}`);
    diagnostics.push(...loaded.diagnostics);
    if (loaded.profile) profiles.push(loaded.profile);
  }
  return { profiles, diagnostics };
}

/** Reads, schema-checks and cross-checks one profile file. */
export function loadProfile(absolutePath: string, shown: string): { profile?: SourceProfile; diagnostics: Diagnostic[] } {
  const fail = (message: string, at: Location = { file: shown }) => ({ diagnostics: [makeDiagnostic("SC2163", at, message)] });
  const bytes = readFileSync(absolutePath);
  if (bytes.length > MAX_PROFILE_BYTES) return fail(`profile is larger than ${MAX_PROFILE_BYTES / 1024} KB`);
  const lineCounter = new LineCounter();
  const doc = parseDocument(bytes.toString("utf8"), { lineCounter, prettyErrors: false, uniqueKeys: true });
  const at = (docPath: readonly (string | number)[]): Location => nodeLocation(doc, lineCounter, shown, docPath);
  if (doc.errors.length > 0) {
    const first = doc.errors[0];
    const { line, col } = lineCounter.linePos(first?.pos[0] ?? 0);
    return fail(`not valid YAML: ${first?.message.split("\n")[0] ?? ""}`, { file: shown, start: { line, col } });
  }
  const data: unknown = doc.toJS();
  const validate = profileSchema();
  if (!validate(data)) {
    return {
      diagnostics: (validate.errors ?? []).slice(0, 20).map((e) => {
        const docPath = e.instancePath.split("/").slice(1).map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
        return makeDiagnostic("SC2163", at(docPath), `profile ${e.instancePath || "(root)"} ${e.message ?? "is not valid"}`);
      }),
    };
  }
  const profile = { ...(data as Omit<SourceProfile, "path">), path: shown };
  return { profile, diagnostics: crossCheck(profile, at) };
}

/** What the schema cannot say: the file stem is the source, cited ids exist, patterns compile, invariant ids are unique. */
function crossCheck(profile: SourceProfile, at: (docPath: readonly (string | number)[]) => Location): Diagnostic[] {
  const found: Diagnostic[] = [];
  const stem = path.posix.basename(profile.path).replace(/\.ya?ml$/i, "");
  if (stem !== profile.source) found.push(makeDiagnostic("SC2163", at(["source"]), `source ${profile.source} must match the file name ${stem}`));
  const cite = (sources: readonly string[], docPath: (string | number)[]) => {
    sources.forEach((id, i) => {
      if (!(id in profile.references)) found.push(makeDiagnostic("SC2163", at([...docPath, "sources", i]), `unknown reference ${id} (add it under references:)`));
    });
  };
  for (const [name, column] of Object.entries(profile.columns)) cite(column.sources, ["columns", name]);
  const ids = new Set<string>();
  profile.invariants.forEach((invariant, i) => {
    cite(invariant.sources, ["invariants", i]);
    if (ids.has(invariant.id)) found.push(makeDiagnostic("SC2163", at(["invariants", i, "id"]), `duplicate invariant id ${invariant.id}`));
    ids.add(invariant.id);
    const conditions = [...(invariant.when ?? []), ...(invariant.require ? [invariant.require] : [])];
    for (const condition of conditions) {
      const problem = condition.matches === undefined ? undefined : compilePattern(condition.matches).error;
      if (problem) found.push(makeDiagnostic("SC2163", at(["invariants", i]), `pattern ${condition.matches ?? ""} is not valid RE2: ${problem}`));
    }
  });
  return found;
}

function nodeLocation(doc: Document, lineCounter: LineCounter, file: string, docPath: readonly (string | number)[]): Location {
  for (let depth = docPath.length; depth >= 0; depth--) {
    const node: unknown = depth === 0 ? doc.contents : doc.getIn(docPath.slice(0, depth), true);
    if (isNode(node) && node.range) {
      const { line, col } = lineCounter.linePos(node.range[0]);
      return { file, start: { line, col } };
    }
  }
  return { file };
}
