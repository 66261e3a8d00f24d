import path from "node:path";
import { parseDocument } from "yaml";
import { TYPE_OF } from "../api-versions.ts";
import type { BuiltResource } from "../types.ts";
import { armTemplate } from "./arm.ts";
import { fileStem, jsonText, type Skipped, type SourceItem, type TargetInput, type TargetOutput } from "./target.ts";

/** Who publishes the solution: the packaging input's Name/Author/Version and the SolutionMetadata publisher fields. */
export interface SolutionOptions {
  name: string;
  author: string;
  version: string;
  publisherId: string;
  offerId: string;
  description: string;
  /** Solution first publish date, YYYY-MM-DD. */
  firstPublishDate: string;
}

/** Keys of our own that are not part of the community YAML Microsoft's packager reads. */
const OWN_KEYS = ["x-genai"];

/**
 * The community YAML of a rule or hunting query as the packager reads it (Solutions/<name>/Analytic Rules/*.yaml):
 * the file's own text (comments kept) without this repository's extension block.
 */
export function communityYaml(item: SourceItem): string {
  const doc = parseDocument(item.text);
  for (const key of OWN_KEYS) doc.delete(key);
  return doc.toString({ lineWidth: 0 });
}

function stemOf(file: string): string {
  return fileStem(path.posix.basename(file).replace(/\.(ya?ml|json)$/i, ""));
}

/**
 * Content Hub solution inputs for Microsoft's packaging tool (Azure/Azure-Sentinel
 * Tools/Create-Azure-Sentinel-Solution/V3, README "Input File Format" and e.g. Solutions/OpenAI/Data/Solution_OpenAI.json):
 * `Data/Solution_<name>.json` listing the content files (paths relative to BasePath, the solution folder),
 * `SolutionMetadata.json`, the rules and hunting queries as YAML, workbooks as gallery JSON, parsers as savedSearch
 * resources (as Solutions/OpenAI/Parsers/*.json) and watchlists as ARM templates. Custom tables and DCRs have no
 * place in these inputs outside a data-connector definition, so they are listed as not expressible.
 */
export function buildContentHubTarget(input: TargetInput, options: SolutionOptions): TargetOutput {
  const files = new Map<string, string>();
  const lists: Record<string, string[]> = { "Analytic Rules": [], "Hunting Queries": [], Parsers: [], Workbooks: [], Watchlists: [] };
  const skipped: Skipped[] = [];
  let built = 0;
  const add = (list: string, file: string, text: string) => {
    (lists[list] as string[]).push(file);
    files.set(file, text);
    built++;
  };
  for (const item of input.items) {
    if (item.kind === "analytic-rule") add("Analytic Rules", `Analytic Rules/${stemOf(item.file)}.yaml`, communityYaml(item));
    else if (item.kind === "hunting-query") add("Hunting Queries", `Hunting Queries/${stemOf(item.file)}.yaml`, communityYaml(item));
    else if (item.kind === "workbook") add("Workbooks", `Workbooks/${stemOf(item.file)}.json`, jsonText(item.data["content"] ?? {}));
  }
  for (const r of input.resources) {
    if (r.kind === "parser") add("Parsers", `Parsers/${fileStem(String((r.body["properties"] as Record<string, unknown>)["functionAlias"] ?? r.name))}.json`, jsonText(parserResource(r)));
    else if (r.kind === "watchlist") add("Watchlists", `Watchlists/${fileStem(r.name)}.json`, jsonText(armTemplate([r])));
    else if (r.kind === "table" || r.kind === "dcr") skipped.push({ item: r.key, reason: `a ${r.kind === "dcr" ? "data collection rule" : "custom table"} enters a Content Hub solution only inside a data-connector definition, which this repository does not author; deploy it with \`sentinel-content deploy\`, the \`arm\` template or the \`terraform\` target` });
  }
  const data: Record<string, unknown> = { Name: options.name, Author: options.author, Description: options.description };
  for (const [list, entries] of Object.entries(lists)) if (entries.length > 0) data[list] = entries;
  Object.assign(data, { BasePath: ".", Version: options.version, Metadata: "SolutionMetadata.json", TemplateSpec: true, Is1PConnector: false });
  files.set(`Data/Solution_${fileStem(options.name).replace(/-/g, "")}.json`, jsonText(data));
  files.set("SolutionMetadata.json", jsonText(solutionMetadata(options)));
  return { files: new Map([...files.entries()].map(([f, t]) => [`content-hub/${f}`, t])), built, skipped };
}

/** A parser as the savedSearch resource Microsoft's solutions ship (name, apiVersion, type, properties). */
function parserResource(r: BuiltResource): Record<string, unknown> {
  return { name: r.name, apiVersion: r.apiVersion, type: TYPE_OF[r.kind], properties: r.body["properties"] };
}

function solutionMetadata(options: SolutionOptions): Record<string, unknown> {
  return {
    publisherId: options.publisherId,
    offerId: options.offerId,
    firstPublishDate: options.firstPublishDate,
    providers: [options.author],
    categories: { domains: ["Security - Threat Protection", "Security - Cloud Security"] },
    support: { name: options.author, tier: "Community" },
  };
}
