# Every `source` of catalog/ can be followed with the clone alone: each seed it cites is an
# act of docs/regulations/ (its README's table names the file), and each line "Lnnn" it
# cites after a seed is a line of that act's file. Run by tests/cli/run with lib.sh.

root=$(cd "$(dirname "$QZ_CATALOG")" && pwd)
problems=$(/usr/bin/python3 - "$root" <<'PY'
import json, os, re, sys
root = sys.argv[1]
regs = os.path.join(root, "docs", "regulations")
table = {}
for line in open(os.path.join(regs, "README.md"), encoding="utf-8"):
    m = re.match(r"\|\s*(\d{3})\s*\|\s*\[([^\]]+)\]", line)
    if m:
        table[m.group(1)] = m.group(2)
lines = {}
for seed, name in table.items():
    path = os.path.join(regs, name)
    if not os.path.isfile(path):
        print("seed %s: %s is not in docs/regulations" % (seed, name)); continue
    lines[seed] = sum(1 for _ in open(path, encoding="utf-8"))
problems, cited, n_lines, file_seeds = [], set(), 0, []
def walk(v, where):
    global n_lines, file_seeds
    if isinstance(v, dict):
        for k, x in v.items():
            if k == "source" and isinstance(x, str):
                check(x, where)
            else:
                walk(x, where)
    elif isinstance(v, list):
        for x in v:
            walk(x, where)
def check(text, where):
    # A line is taken as cited from the seeds named before it in the same source, the
    # nearest first, or else from those its file cites elsewhere: a source may name a
    # second act in passing and go back to its file's act without naming it again.
    global n_lines
    named = []
    for tok in re.finditer(r"seeds? (\d{3})|L(\d+)", text):
        if tok.group(1):
            seed = tok.group(1); cited.add(seed)
            if seed not in table:
                problems.append("%s: seed %s is not in docs/regulations/README.md" % (where, seed))
            if seed in named:
                named.remove(seed)
            named.append(seed)
        else:
            seeds = [x for x in list(reversed(named)) + file_seeds if x in lines]
            if not seeds:
                continue
            n_lines += 1
            if not any(int(tok.group(2)) <= lines[x] for x in seeds):
                problems.append("%s: L%s is past the end of every seed it may cite (%s)" % (where, tok.group(2), ", ".join(seeds)))
for dirpath, _, files in os.walk(os.path.join(root, "catalog")):
    for f in files:
        if f.endswith(".json") and "strings" not in dirpath:
            p = os.path.join(dirpath, f)
            text = open(p, encoding="utf-8").read()
            file_seeds = sorted(set(re.findall(r"seeds? (\d{3})", text)))
            walk(json.loads(text), os.path.relpath(p, root))
if len(cited) < 5 or n_lines < 100:
    problems.append("too few citations read: %d seeds, %d lines" % (len(cited), n_lines))
print("\n".join(problems))
PY
)
_result "every seed and line a catalogue source cites is in docs/regulations" \
    "$([ -z "$problems" ] && echo 1)" "$(printf '%s\n' "$problems" | head -20)"
