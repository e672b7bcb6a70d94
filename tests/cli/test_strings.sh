# Every message key the C code uses exists in catalog/strings with kk, ru and en texts,
# and no text is missing a language (the loader also refuses that, at every start).
missing=$(/usr/bin/python3 - "$QZ_CATALOG/strings" "$(dirname "$QZ_CATALOG")/src" <<'PY'
import json, os, re, sys
strings, src = sys.argv[1], sys.argv[2]
have = {}
for f in os.listdir(strings):
    if f.endswith(".json"):
        have.update(json.load(open(os.path.join(strings, f))))
used = set()
call = re.compile(r'qz_err_setf?\(\s*[^,]+,\s*[A-Z_]+,\s*"([a-z0-9_.-]+)"', re.S)
direct = re.compile(r'"((?:usage|explain|weekday|cli)\.[a-z0-9_.]+)"')
for root, _, files in os.walk(src):
    for f in files:
        if f.endswith(".c"):
            text = open(os.path.join(root, f)).read()
            used.update(call.findall(text))
            used.update(direct.findall(text))
# a step's notice is the message notify.case.<notice> (docs/catalog.md, STEP)
catalog = os.path.dirname(strings)
for sub in ("services", "workflows"):
    for f in os.listdir(os.path.join(catalog, sub)):
        if f.endswith(".json"):
            text = open(os.path.join(catalog, sub, f)).read()
            used.update("notify.case." + n for n in re.findall(r'"notice":\s*"([a-z0-9_]+)"', text))
for k in sorted(used):
    if k not in have:
        print(k)
for k, v in have.items():
    for lang in ("kk", "ru", "en"):
        if not v.get(lang):
            print(f"{k} has no {lang}")
PY
)
ok=0; [ -z "$missing" ] && ok=1
_result "every message key used in src/ has kk, ru and en texts" $ok "  missing:
$missing"
