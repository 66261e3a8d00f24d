/** Escapes a value for a Markdown table cell (pipes and line breaks). */
export function cell(value: unknown): string {
  const raw = typeof value === "string" ? value : JSON.stringify(value) ?? "";
  return raw.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}

/** Renders a Markdown table from a header row and body rows. */
export function table(header: readonly string[], rows: readonly (readonly unknown[])[]): string {
  const lines = [`| ${header.join(" | ")} |`, `|${header.map(() => "---").join("|")}|`];
  for (const row of rows) lines.push(`| ${row.map(cell).join(" | ")} |`);
  return lines.join("\n");
}

/** The label of a data-source folder. */
export function sourceTitle(source: string): string {
  const titles: Record<string, string> = {
    "azure-openai": "Azure OpenAI data plane (AzureDiagnostics)",
    "azure-activity": "Azure control plane (AzureActivity)",
    "chatgpt-enterprise": "ChatGPT Enterprise compliance logs",
    "openai-platform": "OpenAI API platform audit log",
    "cross-source": "Cross-source correlations",
    "entra-id": "Microsoft Entra ID sign-ins (SigninLogs)",
    "apim-llm-gateway": "API Management LLM gateway (ApiManagementGatewayLlmLog)",
  };
  return titles[source] ?? source;
}
