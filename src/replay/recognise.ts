import { conditionHolds, isPresent, readField } from "../profiles/invariants.ts";
import type { SourceProfile } from "../profiles/profile.ts";
import { PROFILE_EXCEPTION_KEY } from "../testing/spec/fixture-rows.ts";
import type { SchemaColumn } from "../testing/spec/typed-rows.ts";
import { mappingStreams, type MappingFlow } from "../testing/spec/raw-events.ts";
import type { Workspace } from "../testing/spec/workspace.ts";

/** A form a source's records take: rows of a table (written as Log Analytics stores them), or raw events of a DCR input stream. */
export type SourceForm =
  | { kind: "table"; source: string; profile?: SourceProfile; table: string; columns: SchemaColumn[] }
  | { kind: "stream"; source: string; profile?: SourceProfile; stream: string; columns: SchemaColumn[]; flows: MappingFlow[] };

/** Whether a record fits a form, and the fields and invariants that decided it. */
interface FormFit {
  form: SourceForm;
  fits: boolean;
  why: string;
}

type Doc = Record<string, unknown>;

/** Every form the profiles describe that this repository can take in: each profiled table with a schema, each profiled input stream a mapping declares. */
export function sourceForms(profiles: readonly SourceProfile[], workspace: Workspace): SourceForm[] {
  const streams = mappingStreams(workspace);
  const forms: SourceForm[] = [];
  for (const profile of profiles) {
    for (const table of profile.appliesTo.tables ?? []) {
      const schema = workspace.tables.get(table);
      if (schema) forms.push({ kind: "table", source: profile.source, profile, table, columns: schema.columns.map((c) => ({ name: c.name, type: c.type })) });
    }
    for (const name of profile.appliesTo.inputs ?? []) {
      const stream = streams.get(name);
      if (stream && stream.flows.length > 0) forms.push({ kind: "stream", source: profile.source, profile, stream: name, ...stream });
    }
  }
  return forms;
}

/** The forms an explicit `--map FILE=NAME` names: a table or input stream by its name, else a profile's forms, else any table with a schema or mapped stream. */
export function formsNamed(name: string, forms: readonly SourceForm[], workspace: Workspace): SourceForm[] {
  const byTarget = forms.filter((f) => (f.kind === "table" ? f.table : f.stream) === name);
  if (byTarget.length > 0) return byTarget;
  const byProfile = forms.filter((f) => f.source === name);
  if (byProfile.length > 0) return byProfile;
  const schema = workspace.tables.get(name);
  if (schema) return [{ kind: "table", source: name, table: name, columns: schema.columns.map((c) => ({ name: c.name, type: c.type })) }];
  const stream = mappingStreams(workspace).get(name);
  return stream && stream.flows.length > 0 ? [{ kind: "stream", source: name, stream: name, ...stream }] : [];
}

/** The top-level field names a profile describes (`actor.type` → `actor`). */
function profileFields(profile: SourceProfile | undefined): string[] {
  return [...new Set(Object.keys(profile?.columns ?? {}).map((c) => c.split(".")[0] as string))];
}

/** The ids of the profile's row invariants (`require`, under their `when`) the record breaks. */
function brokenInvariants(profile: SourceProfile | undefined, row: Readonly<Doc>): string[] {
  return (profile?.invariants ?? [])
    .filter((inv) => inv.require !== undefined && (inv.when ?? []).every((c) => conditionHolds(c, row)) && !conditionHolds(inv.require, row))
    .map((inv) => inv.id);
}

/**
 * Whether a record fits a form. A table row fits when every key is a column of the table, it carries a value
 * in at least one column the profile describes, and it breaks none of the profile's row invariants. A raw
 * event fits a stream when at least half of its keys are declared stream columns (the API may add fields the
 * stream drops), it carries a value in at least one stream field the profile describes, and it breaks none
 * of the row invariants.
 */
function fitRecord(form: SourceForm, row: Readonly<Doc>): FormFit {
  const keys = Object.keys(row).filter((k) => k !== PROFILE_EXCEPTION_KEY);
  const columns = new Set(form.columns.map((c) => c.name));
  const target = form.kind === "table" ? `table ${form.table}` : `stream ${form.stream}`;
  const miss = (why: string): FormFit => ({ form, fits: false, why: `${form.source} (${target}): ${why}` });
  if (form.kind === "table") {
    const unknown = keys.filter((k) => !columns.has(k));
    if (unknown.length > 0) return miss(`${unknown.slice(0, 3).join(", ")}${unknown.length > 3 ? ", …" : ""} ${unknown.length === 1 ? "is not a column" : "are not columns"}`);
  } else {
    const declared = keys.filter((k) => columns.has(k)).length;
    if (declared * 2 < keys.length) return miss(`only ${declared} of its ${keys.length} keys are declared stream columns (at least half must be)`);
  }
  const fields = profileFields(form.profile).filter((f) => columns.has(f));
  const carried = fields.filter((f) => isPresent(readField(row, f)) && keys.includes(f));
  if (form.profile && carried.length === 0) return miss(`none of the profile's fields (${fields.join(", ")}) has a value`);
  const broken = brokenInvariants(form.profile, row);
  if (broken.length > 0) return miss(`breaks invariant ${broken.join(", ")} of ${form.profile?.path ?? "its profile"}`);
  const decided = form.kind === "table" ? `every key is a column; carries ${carried.join(", ") || "its columns"}` : `carries ${carried.join(", ")}`;
  const invariants = (form.profile?.invariants ?? []).filter((i) => i.require !== undefined).length;
  return { form, fits: true, why: `${form.source} (${target}): ${decided}${invariants > 0 ? `; its ${invariants} row invariant${invariants === 1 ? "" : "s"} hold` : ""}` };
}

/** The forms a record fits, and every form's verdict (for the message when none or several fit). */
export function recogniseRecord(forms: readonly SourceForm[], row: Readonly<Doc>): { fitting: FormFit[]; all: FormFit[] } {
  const all = forms.map((form) => fitRecord(form, row));
  return { fitting: all.filter((f) => f.fits), all };
}
