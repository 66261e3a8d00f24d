import { attackData, atlasData } from "../checks/mitre-data.ts";
import { ExitError } from "../diagnostics/errors.ts";
import { renderAtlasTable } from "./atlas-table.ts";
import { loadDocsContent, missingFromDocs } from "./content.ts";
import { techniqueCoverage } from "./coverage.ts";
import { renderIndex } from "./index-page.ts";
import { buildNavigatorLayer } from "./navigator-layer.ts";
import { renderRulePage } from "./rule-page.ts";
import { refusalLine, type Repository } from "../repository/index.ts";

/** The folder (repo-relative) the generated docs are written to. */
export const DOCS_OUTPUT_DIR = "docs/content";

/**
 * Generates every docs file from the repository's content: a map from path (relative to docs/content) to text.
 * Content that did not load or fails its schema would be missing from the catalogue: then nothing is generated and
 * an ExitError (exit code 1, as `validate` gives for the same errors) names each file, line and column.
 */
export function generateDocs(repository: Repository): Map<string, string> {
  const missing = missingFromDocs(repository);
  if (missing.length > 0) {
    const lines = missing.map(refusalLine);
    throw new ExitError(1, `docs not generated: ${missing.length} error(s) would leave content out of the catalogue (sentinel-content validate shows them too):\n${lines.join("\n")}`);
  }
  const content = loadDocsContent(repository);
  const attack = attackData();
  const atlas = atlasData();
  const names = { attack: (id: string) => attack.techniques[id]?.name, atlas: (id: string) => atlas.techniques[id]?.name };
  const attackCoverage = techniqueCoverage(content.rules, (r) => r.techniques);
  const atlasCoverage = techniqueCoverage(content.rules, (r) => r.atlas);
  const files = new Map<string, string>();
  files.set("README.md", renderIndex(content, attackCoverage, atlasCoverage));
  for (const rule of content.rules) files.set(`rules/${rule.slug}.md`, renderRulePage(rule, names));
  files.set("attack-navigator-layer.json", `${JSON.stringify(buildNavigatorLayer(attackCoverage, attack.attackVersion), null, 2)}\n`);
  files.set("atlas-mapping.md", renderAtlasTable(atlasCoverage, names.atlas, atlas.atlasVersion));
  return files;
}
