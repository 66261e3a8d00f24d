import { describe, expect, it } from "vitest";
import type { ContentKind } from "../content/kinds.ts";
import { loadText, type LoadedFile } from "../load/index.ts";
import { buildRepository, entriesOfKind, valuesOfKind } from "./repository.ts";

const WATCHLIST = `id: 6b1e3f5a-0c3d-4c52-9d5c-2a8f1d7f0001
watchlistAlias: CorporateEgressRanges
displayName: Corporate egress ranges
provider: Custom
itemsSearchKey: Cidr
items:
  - { Cidr: 10.0.0.0/8 }
`;
const TESTS = `cases:
  - name: one
    expect: { rows: 0 }
`;

function file(path: string, kind: ContentKind, text: string): LoadedFile {
  const loaded = loadText(text, path, kind);
  if (!loaded.file) throw new Error(JSON.stringify(loaded.diagnostics));
  return loaded.file;
}

function repositoryOf(...files: LoadedFile[]) {
  return buildRepository("/repo", { files, diagnostics: [], checked: files.length }, { whole: true });
}

describe("buildRepository", () => {
  it("types a schema-clean file and keeps its document", () => {
    const repository = repositoryOf(file("watchlists/egress.yaml", "watchlist", WATCHLIST));
    const [{ value, entry }] = valuesOfKind(repository, "watchlist") as [ReturnType<typeof valuesOfKind<"watchlist">>[number]];
    expect(value.watchlistAlias).toBe("CorporateEgressRanges");
    expect(value.items).toEqual([{ Cidr: "10.0.0.0/8" }]);
    expect(entry.diagnostics).toEqual([]);
    expect(repository.files.get("watchlists/egress.yaml")).toBe(entry);
  });

  it("gives the schema's findings and no value for a file the schema refuses", () => {
    const repository = repositoryOf(file("watchlists/bad.yaml", "watchlist", WATCHLIST.replace("provider: Custom\n", "")));
    const [entry] = entriesOfKind(repository, "watchlist");
    expect(entry?.value).toBeUndefined();
    expect(entry?.diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual([expect.stringContaining("provider")]);
    expect(valuesOfKind(repository, "watchlist")).toEqual([]);
  });

  it("gives no value for a document that is not a mapping", () => {
    const repository = repositoryOf(file("watchlists/list.yaml", "watchlist", "- a\n- b\n"));
    expect(repository.entries[0]?.value).toBeUndefined();
    expect(repository.entries[0]?.diagnostics.length).toBeGreaterThan(0);
  });

  it("pairs each tests file with its target by the one rule, templates aside", () => {
    const repository = repositoryOf(
      file("watchlists/egress.yaml", "watchlist", WATCHLIST),
      file("watchlists/egress.tests.yaml", "tests", TESTS),
      file("watchlists/other.tests.yaml", "tests", `target: egress.yaml\n${TESTS}`),
      file("watchlists/missing.tests.yaml", "tests", TESTS),
      file("watchlists/_template.tests.yaml", "tests", TESTS),
    );
    const pairs = repository.tests.map((p) => [p.tests.path, p.targetPath, p.named, p.target?.path]);
    expect(pairs).toEqual([
      ["watchlists/egress.tests.yaml", "watchlists/egress.yaml", false, "watchlists/egress.yaml"],
      ["watchlists/other.tests.yaml", "watchlists/egress.yaml", true, "watchlists/egress.yaml"],
      ["watchlists/missing.tests.yaml", "watchlists/missing.yaml", false, undefined],
    ]);
  });

  it("pairs by the written target even when the tests file fails its schema", () => {
    const repository = repositoryOf(file("watchlists/egress.yaml", "watchlist", WATCHLIST), file("watchlists/x.tests.yaml", "tests", "target: egress.yaml\ncases: []\n"));
    expect(repository.tests[0]?.tests.value).toBeUndefined();
    expect(repository.tests[0]?.target?.path).toBe("watchlists/egress.yaml");
  });

  it("runs the schema stage once, on first use of a value or the findings", () => {
    const repository = repositoryOf(file("watchlists/egress.yaml", "watchlist", WATCHLIST));
    const entry = repository.entries[0];
    expect(entry?.diagnostics).toBe(entry?.diagnostics);
    expect(entry?.value).toBe(entry?.value);
    expect(entry?.value).toBe(entry?.data);
  });
});
