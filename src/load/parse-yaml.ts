import { CST, LineCounter, Parser, isAlias, isScalar, parseDocument, visit, type Document, type YAMLError } from "yaml";
import { makeDiagnostic, type Diagnostic, type Location } from "../diagnostics/index.ts";

/** Most alias expansions one document may cause (YAML alias bombs blow up far beyond this). */
export const MAX_ALIAS_COUNT = 100;

/** A parsed YAML document, its line index, plain data (when it parsed cleanly) and findings. */
export interface ParsedYaml {
  doc: Document.Parsed;
  lineCounter: LineCounter;
  data?: unknown;
  diagnostics: Diagnostic[];
}

/** Parses YAML text (YAML 1.2 core schema, unique keys) into a document and plain data, collecting findings instead of throwing. */
export function parseYaml(text: string, file: string): ParsedYaml {
  const lineCounter = new LineCounter();
  // yaml's own unique-key check compares every pair of keys (minutes for a map of 50,000 keys): keys are checked here in linear time
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: false, strict: true });
  const at = (offset: number) => ({ file, start: lineCounter.linePos(offset) });
  const diagnostics: Diagnostic[] = doc.errors.map((e) => yamlErrorDiagnostic(e, text, at));
  diagnostics.push(...duplicateKeys(doc, at));
  for (const warning of doc.warnings) {
    diagnostics.push(makeDiagnostic("SC1009", at(warning.pos[0]), firstLine(warning.message)));
  }
  if (diagnostics.some((d) => d.severity === "error")) return { doc, lineCounter, diagnostics };
  if (doc.contents === null || isImplicitNull(doc.contents)) {
    diagnostics.push(makeDiagnostic("SC1006", at(0), "the file has no YAML content"));
    return { doc, lineCounter, diagnostics };
  }
  try {
    const data: unknown = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    return { doc, lineCounter, data, diagnostics };
  } catch (error) {
    if (error instanceof ReferenceError && /^Unresolved alias/.test(error.message)) {
      diagnostics.push(makeDiagnostic("SC1001", at(firstAliasOffset(doc)), firstLine(error.message)));
      return { doc, lineCounter, diagnostics };
    }
    if (error instanceof ReferenceError) {
      const message = `aliases expand more than ${MAX_ALIAS_COUNT} times (${firstLine(error.message)})`;
      diagnostics.push(makeDiagnostic("SC1007", at(firstAliasOffset(doc)), message));
      return { doc, lineCounter, diagnostics };
    }
    throw error;
  }
}

/** A document whose only content is the empty value a bare `---` leaves (not an explicit `~` or `null`). */
function isImplicitNull(contents: unknown): boolean {
  return isScalar(contents) && contents.value === null && contents.source === "" && (contents.range?.[0] ?? 0) === (contents.range?.[1] ?? 0);
}

/** Every key that repeats an earlier key of the same mapping (scalar keys compare by value, as YAML defines). */
function duplicateKeys(doc: Document.Parsed, at: (offset: number) => Location): Diagnostic[] {
  const found: Diagnostic[] = [];
  visit(doc, {
    Map(_key, map) {
      const seen = new Set<string>();
      for (const { key } of map.items) {
        if (!isScalar(key)) continue;
        const id = `${typeof key.value}:${String(key.value)}`;
        if (seen.has(id) && key.range) {
          const message = `duplicate key ${JSON.stringify(String(key.value))}: keys must be unique within a mapping`;
          found.push(makeDiagnostic("SC1002", at(key.range[0]), message));
        }
        seen.add(id);
      }
    },
  });
  return found;
}

function yamlErrorDiagnostic(error: YAMLError, text: string, at: (offset: number) => Location): Diagnostic {
  if (/Maximum call stack size exceeded/.test(error.message)) {
    return makeDiagnostic("SC1001", at(error.pos[0]), "the YAML is nested too deeply to parse");
  }
  if (error.code === "MISSING_CHAR" && /quote/.test(error.message)) {
    const opening = unterminatedQuoteOffset(text, error.pos[0]);
    if (opening !== undefined) {
      const style = text[opening] === "'" ? "single-quoted" : "double-quoted";
      return makeDiagnostic("SC1001", at(opening), `the ${style} string that starts here is never closed: the rest of the file is read as part of it`);
    }
  }
  return makeDiagnostic("SC1001", at(error.pos[0]), firstLine(error.message));
}

/** Offset of the opening quote of the last quoted scalar that starts before `before` and has no closing quote. */
function unterminatedQuoteOffset(text: string, before: number): number | undefined {
  let found: number | undefined;
  const consider = (token: CST.Token | undefined) => {
    if (!token || (token.type !== "double-quoted-scalar" && token.type !== "single-quoted-scalar")) return;
    const quote = token.source[0] ?? "";
    const closed = token.source.length > 1 && token.source.endsWith(quote) && !(quote === '"' && token.source.endsWith('\\"'));
    if (!closed && token.offset < before && (found === undefined || token.offset > found)) found = token.offset;
  };
  for (const token of new Parser().parse(text)) {
    if (token.type !== "document") continue;
    consider(token.value);
    CST.visit(token, (item) => {
      consider(item.key ?? undefined);
      consider(item.value);
    });
  }
  return found;
}

function firstAliasOffset(doc: Document.Parsed): number {
  let offset = 0;
  visit(doc, {
    Alias(_key, node) {
      if (isAlias(node) && node.range) {
        offset = node.range[0];
        return visit.BREAK;
      }
      return undefined;
    },
  });
  return offset;
}

/** yaml's messages append " at line L, column C:" and a code frame; keep the sentence only. */
function firstLine(message: string): string {
  return (message.split("\n")[0] ?? message).replace(/ at line \d+, column \d+:?$/, "").trim();
}
