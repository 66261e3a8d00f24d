/**
 * The offset of the first character that makes a text invalid JSON (RFC 8259), or undefined when it is valid.
 * Node 20's JSON.parse messages carry no position, so a finding needs its own; one pass, an explicit stack.
 */
export function jsonErrorOffset(text: string): number | undefined {
  let i = 0;
  const stack: ("{" | "[")[] = [];
  const ws = () => {
    while (i < text.length && " \t\r\n".includes(text[i] as string)) i++;
  };
  const string = (): boolean => {
    if (text[i] !== '"') return false;
    i++;
    while (i < text.length && text[i] !== '"') {
      if (text.charCodeAt(i) < 0x20) return false;
      if (text[i] === "\\") {
        i++;
        if (text[i] === "u") {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) return false;
          i += 4;
        } else if (!'"\\/bfnrt'.includes(text[i] ?? "x")) return false;
      }
      i++;
    }
    if (text[i] !== '"') return false;
    i++;
    return true;
  };
  const scalar = (): boolean => {
    const match = /^(?:-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(text.slice(i, i + 400));
    if (!match || match[0] === "") return false;
    i += match[0].length;
    return true;
  };
  // expecting: a value; then after a value: "," or a closer
  ws();
  for (;;) {
    // value
    ws();
    if (text[i] === "{" || text[i] === "[") {
      const open = text[i] as "{" | "[";
      i++;
      ws();
      if ((open === "{" && text[i] === "}") || (open === "[" && text[i] === "]")) i++;
      else {
        stack.push(open);
        if (open === "{") {
          if (!string()) return i;
          ws();
          if (text[i] !== ":") return i;
          i++;
        }
        continue;
      }
    } else if (!(text[i] === '"' ? string() : scalar())) return i;
    // after a value
    for (;;) {
      ws();
      const top = stack.at(-1);
      if (top === undefined) return i < text.length ? i : undefined;
      if (text[i] === ",") {
        i++;
        if (top === "{") {
          ws();
          if (!string()) return i;
          ws();
          if (text[i] !== ":") return i;
          i++;
        }
        break;
      }
      if ((top === "{" && text[i] === "}") || (top === "[" && text[i] === "]")) {
        stack.pop();
        i++;
        continue;
      }
      return i;
    }
  }
}
