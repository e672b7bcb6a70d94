// tests/api/yaml.mjs — a reader for the plain block-style YAML docs/openapi.yaml is
// written in (maps, lists, scalars; no anchors, no flow), for the API tests.
function scalar(s) {
  if (s.startsWith('"')) return JSON.parse(s);
  if (s.startsWith("'")) return s.slice(1, -1).replace(/''/g, "'");
  if (s === "[]") return [];
  if (s === "{}") return {};
  if (s === "true" || s === "false") return s === "true";
  if (s === "null" || s === "~") return null;
  if (/^-?\d+(\.\d+)?$/.test(s)) return Number(s);
  return s;
}
export function parseYaml(text) {
  const lines = [];
  for (const [n, l] of text.split("\n").entries()) {
    if (!l.trim() || l.trim().startsWith("#")) continue;
    if (/\t/.test(l.match(/^\s*/)[0])) throw new Error(`line ${n + 1}: a tab in the indentation`);
    lines.push({ indent: l.match(/^ */)[0].length, text: l.trim(), n: n + 1 });
  }
  let i = 0;
  const keyOf = (t) => t.match(/^("[^"]*"|'[^']*'|[^\s:"'][^:]*?):(?:\s+(.*))?$/);
  function block(indent) {
    if (lines[i].text.startsWith("- ") || lines[i].text === "-") return list(indent);
    return map(indent);
  }
  function value(rest, indent) {
    if (rest !== undefined && rest !== "") return scalar(rest);
    if (i < lines.length && lines[i].indent > indent) return block(lines[i].indent);
    if (i < lines.length && lines[i].indent === indent && lines[i].text.startsWith("- ")) return list(indent);
    return null;
  }
  function map(indent) {
    const out = {};
    while (i < lines.length && lines[i].indent === indent && !lines[i].text.startsWith("- ")) {
      const m = keyOf(lines[i].text);
      if (!m) throw new Error(`line ${lines[i].n}: not "key: value": ${lines[i].text}`);
      const key = scalar(m[1]);
      if (key in out) throw new Error(`line ${lines[i].n}: duplicate key ${key}`);
      i++;
      out[key] = value(m[2], indent);
    }
    if (i < lines.length && lines[i].indent > indent) throw new Error(`line ${lines[i].n}: unexpected indentation`);
    return out;
  }
  function list(indent) {
    const out = [];
    while (i < lines.length && lines[i].indent === indent && lines[i].text.startsWith("- ")) {
      const rest = lines[i].text.slice(2).trim();
      if (keyOf(rest) && !rest.startsWith('"')) {
        lines[i] = { indent: indent + 2, text: rest, n: lines[i].n }; // "- k: v" opens a map
        out.push(map(indent + 2));
      } else {
        i++;
        out.push(scalar(rest));
      }
    }
    return out;
  }
  const doc = block(0);
  if (i !== lines.length) throw new Error(`line ${lines[i].n}: not read`);
  return doc;
}

