import { deterministicGuid } from "./guid.ts";
import { MARKER_NAME, markerValue } from "./marker.ts";
import { workspaceResourceId } from "./workspace.ts";
import { builtResource, type BuildContext, type BuildOutput, type Locator } from "./types.ts";

/**
 * A workbook: serializedData is the readable `content` serialised; the resource name is a GUID derived from the
 * content id and the workspace, because workbooks live in the resource group and two workspaces may share one.
 */
export function buildWorkbook(data: Record<string, unknown>, file: string, _at: Locator, context: BuildContext): BuildOutput {
  const id = String(data["id"] ?? "");
  const workspace = workspaceResourceId(context.target);
  const name = deterministicGuid(`${id.toLowerCase()}|${workspace.toLowerCase()}`);
  const properties: Record<string, unknown> = {
    displayName: String(data["displayName"] ?? id),
    serializedData: JSON.stringify(data["content"] ?? {}),
    version: "1.0",
    category: typeof data["category"] === "string" ? data["category"] : "sentinel",
    sourceId: workspace,
  };
  if (typeof data["description"] === "string") properties["description"] = data["description"].trim();
  const body = { location: context.target.location, kind: "shared", tags: { [MARKER_NAME]: markerValue(context.repository, name), "hidden-title": properties["displayName"] }, properties };
  return {
    resources: [builtResource("workbook", name, context.target, { title: String(properties["displayName"]), body, source: { file, contentId: id } })],
    diagnostics: [],
  };
}
