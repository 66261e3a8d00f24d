/**
 * Escaping of CI logging commands. Both hosts read commands line by line from stdout, so every value must stay on
 * one line and must not close its field early.
 * - GitHub Actions (`::error file=…,line=…::message`): actions/toolkit packages/core/src/command.ts — data escapes
 *   `%` `\r` `\n` as `%25` `%0D` `%0A`; property values also `:` `,` as `%3A` `%2C`.
 * - Azure Pipelines (`##vso[task.logissue type=…;sourcepath=…]message`): microsoft/azure-pipelines-task-lib
 *   node/taskcommand.ts — data escapes `%` `\r` `\n` as `%AZP25` `%0D` `%0A`; property values also `]` `;` as
 *   `%5D` `%3B`.
 * Other control characters (which no host unescapes) are shown as U+FFFD so a hostile file cannot forge commands.
 */

const CONTROL = /[\u0000-\u0009\u000b\u000c\u000e-\u001f\u007f\u2028\u2029]/g;

/** GitHub workflow-command message text. */
export function githubData(text: string): string {
  return text.replace(CONTROL, "\ufffd").replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

/** GitHub workflow-command property value (file, title). */
export function githubProperty(text: string): string {
  return githubData(text).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

/** Azure Pipelines logging-command message text. */
export function azureData(text: string): string {
  return text.replace(CONTROL, "\ufffd").replace(/%/g, "%AZP25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

/** Azure Pipelines logging-command property value (sourcepath, code). */
export function azureProperty(text: string): string {
  return azureData(text).replace(/]/g, "%5D").replace(/;/g, "%3B");
}

/** Markdown table cell text: one line, pipes and HTML-significant characters neutralised. */
export function markdownCell(text: string): string {
  return text
    .replace(CONTROL, "\ufffd")
    .replace(/\r?\n|\r/g, " ")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/\|/g, "\\|")
    .replace(/`/g, "\\`");
}
