import { describe, expect, it } from "vitest";
import { loadText } from "../load/index.ts";
import { checkedEntry } from "../repository/index.ts";
import { repositoryMarker } from "./prepare.ts";

function environments(text: string) {
  const loaded = loadText(text, "environments.yaml", "environments");
  if (!loaded.file) throw new Error(JSON.stringify(loaded.diagnostics));
  return checkedEntry({ ...loaded.file, kind: "environments" as const });
}

const ENVIRONMENTS = `repository: contoso-genai
environments:
  dev: { subscriptionId: 00000000-0000-0000-0000-000000000000, resourceGroup: rg, workspaceName: law-dev, location: westeurope }
`;

describe("repositoryMarker", () => {
  it("is the environments file's repository", () => {
    expect(repositoryMarker(environments(ENVIRONMENTS))).toEqual({ marker: "contoso-genai", diagnostics: [] });
  });

  it("is sentinel-content when the repository has no environments file", () => {
    expect(repositoryMarker(undefined)).toEqual({ marker: "sentinel-content", diagnostics: [] });
  });

  it("comes with the schema's findings when the environments file is refused, never silently the default", () => {
    const { diagnostics } = repositoryMarker(environments(ENVIRONMENTS.replace("location: westeurope", "region: westeurope")));
    expect(diagnostics.map((d) => d.code)).toContain("SC2001");
    expect(diagnostics.every((d) => d.file === "environments.yaml")).toBe(true);
  });
});
