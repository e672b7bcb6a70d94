# qyzmet init, user, person, outbox and audit verify (contract.md), run by tests/cli/run
# with lib.sh's helpers. The event chain is also built here by an independent writer
# (Python's hashlib over the encoding documented in src/store/chain.h), so that
# `audit verify` is checked against the documentation, not only against itself.

if ! "$QZ" audit 2>&1 | grep -q "audit verify"; then
    echo "test_store: skipped, this qyzmet does not dispatch init/user/person/outbox/audit yet"
    return 0 2>/dev/null || exit 0
fi

db="$TMP/q.db"

# init: a new file; the second time the file exists and is left alone.
check "init creates a database and prints nothing" 0 '' -- init --db "$db"
check_err "init on an existing database fails with status 1" 1 "already exists" -- init --db "$db"
: > "$TMP/notes.txt"
check_err "init refuses any existing file" 1 "already exists" -- init --db "$TMP/notes.txt"
check "audit verify on a new database: no events" 0 'ok 0 events' -- audit verify --db "$db"
check_err "a missing database is not created by audit" 1 "init" -- audit verify --db "$TMP/none.db"
_result "audit verify left no file behind" "$([ ! -e "$TMP/none.db" ] && echo 1)" "  created"

# init --demo: one JSON object per line, units then users, every role of roles.json.
"$QZ" init --db "$TMP/demo.db" --demo > "$TMP/demo.out" 2> "$TMP/demo.err"
_result "init --demo exits 0" "$([ $? = 0 ] && echo 1)" "$(cat "$TMP/demo.err")"
missing=$(/usr/bin/python3 - "$TMP/demo.out" "$QZ_CATALOG/roles.json" <<'PY'
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
units = [l for l in lines if set(l) >= {"unit", "kind", "name"}]
users = [l for l in lines if set(l) == {"login", "password", "role", "unit"}]
problems = []
if len(units) + len(users) != len(lines):
    problems.append("lines that are neither a unit nor a user")
roles = {r["code"] for r in json.load(open(sys.argv[2]))["roles"]}
for r in sorted(roles - {u["role"] for u in users}):
    problems.append("no demo user for role " + r)
if {u["kind"] for u in units} != {"psc", "provider", "authority"}:
    problems.append("unit kinds: %s" % sorted({u["kind"] for u in units}))
if {u.get("department") for u in units if u["kind"] == "psc"} != {"regional", "other", "duty"}:
    problems.append("PSC departments")
for u in units:
    if set(u) - {"unit", "kind", "department", "name"} or set(u["name"]) != {"kk", "ru"}:
        problems.append("unit shape: %s" % u)
codes = {u["unit"] for u in units}
for u in users:
    if u["unit"] is not None and u["unit"] not in codes:
        problems.append("user %s in unknown unit %s" % (u["login"], u["unit"]))
    if len(u["password"]) < 16:
        problems.append("short password for " + u["login"])
if len({u["password"] for u in users}) != len(users):
    problems.append("passwords repeat")
print("\n".join(problems))
PY
)
_result "init --demo prints every unit and a user for every role" "$([ -z "$missing" ] && echo 1)" "$missing"
check_err "init --demo on an existing database fails with status 1" 1 "already exists" \
    -- init --db "$TMP/demo.db" --demo

# The demo passwords work; the applicant's also went to their phone.
pw=$(sed -n 's/.*"login":"head.kpssu","password":"\([^"]*\)".*/\1/p' "$TMP/demo.out")
printf '%s\n' "$pw" > "$TMP/pw"
out=$("$QZ" user verify --db "$TMP/demo.db" --login head.kpssu < "$TMP/pw")
_result "the printed password verifies" "$(printf '%s' "$out" | grep -q '"unit":"kpssu-astana"' && echo 1)" "$out"
check_match "the outbox holds the applicant's password SMS as JSON" 0 \
    '^\{"id":1,"to":"921029350851","channel":"sms","lang":"kk","text":"[^"]+","created_at":"[0-9T:+-]+","secret":true\}$' \
    -- outbox --db "$TMP/demo.db"
check "the outbox filtered by another IIN is empty" 0 '' -- outbox --db "$TMP/demo.db" --to 061211600012
check_err "the outbox refuses an invalid IIN" 2 "IIN" -- outbox --db "$TMP/demo.db" --to 123

# user add: the password is the first line of stdin.
printf 'Tau-Samal-2026!\n' > "$TMP/pw"
out=$("$QZ" user add --db "$TMP/demo.db" --login d.sapar --role psc-issuer --unit psc-astana-1 < "$TMP/pw"); st=$?
_result "user add prints the new user's id" "$([ $st = 0 ] && printf '%s' "$out" | grep -Eq '^[0-9]+$' && echo 1)" "$out"
out=$("$QZ" user verify --db "$TMP/demo.db" --login d.sapar < "$TMP/pw"); st=$?
_result "the new user signs in" "$([ $st = 0 ] && echo 1)" "$out"
printf 'tau-samal-2026!\n' > "$TMP/wrong"
"$QZ" user verify --db "$TMP/demo.db" --login d.sapar < "$TMP/wrong" > /dev/null 2> "$TMP/err"; st=$?
_result "a wrong password is refused with status 1" "$([ $st = 1 ] && grep -q 'wrong login or password' "$TMP/err" && echo 1)" "$(cat "$TMP/err")"
check_err "the same login twice fails with status 1" 1 "taken" \
    -- user add --db "$TMP/demo.db" --login d.sapar --role psc-issuer --unit psc-astana-1 < "$TMP/pw"
check_err "a role DESIGN.md does not know is refused" 2 "unknown role" \
    -- user add --db "$TMP/demo.db" --login x --role pilot --unit psc-astana-1 < "$TMP/pw"
check_err "a unit that does not exist is refused" 2 "no unit" \
    -- user add --db "$TMP/demo.db" --login x --role psc-operator --unit psc-mars < "$TMP/pw"
check_err "an empty password is refused" 2 "empty" \
    -- user add --db "$TMP/demo.db" --login x --role psc-operator --unit psc-astana-1 < /dev/null
check_err "user add needs --role" 2 "--role" -- user add --db "$TMP/demo.db" --login x < /dev/null

# The staff password policy (src/cli/password_policy.h): 12 characters at least, not the
# login, not a common password or a dictionary word under digits and signs.
for bad in "x:at least 12" "Qyzmet-2026!:too common" "Password2026!!:too common" "123456789012:too common" \
    "Sunshine-2026:too common" "x.admin.2026-ok:contain the login"; do
    printf '%s\n' "${bad%%:*}" > "$TMP/bad"
    check_err "user add refuses the staff password ${bad%%:*}" 2 "${bad#*:}" \
        -- user add --db "$TMP/demo.db" --login x.admin --role admin --unit psc-astana-1 < "$TMP/bad"
done
printf 'Көктерек-жолы-2026\n' > "$TMP/good"
check_match "a long password of Kazakh words is taken" 0 '^[0-9]+$' \
    -- user add --db "$TMP/demo.db" --login x.admin --role psc-operator --unit psc-astana-1 < "$TMP/good"

# person add: the IIN is checked; the birth date must be the IIN's. 990101300013: the
# weights 1..11 over 9,9,0,1,0,1,3,0,0,0,1 sum to 69, and 69 mod 11 = 3.
check "person add prints the IIN" 0 '990101300013' -- person add --db "$db" --iin 990101300013 \
    --surname Сейтқали --name Дина --phone +77012223344 --birth 1999-01-01
check_err "the same person twice fails with status 1" 1 "already registered" \
    -- person add --db "$db" --iin 990101300013 --surname A --name B
check_err "an invalid IIN is refused" 2 "check digit" \
    -- person add --db "$db" --iin 990101300014 --surname A --name B
check_err "a birth date other than the IIN's is refused" 2 "2006-12-11" \
    -- person add --db "$db" --iin 061211600012 --surname A --name B --birth 1999-01-01
check_err "a region outside ISO 3166-2:KZ is refused" 2 "KZ-71" \
    -- person add --db "$db" --iin 061211600012 --surname A --name B --region KZ-99
check_err "a phone that is not a number is refused" 2 "phone" \
    -- person add --db "$db" --iin 061211600012 --surname A --name B --phone 12ab

# audit verify over a chain written by Python from chain.h's description.
/usr/bin/python3 - "$db" <<'PY'
import hashlib, sqlite3, struct, sys
db = sqlite3.connect(sys.argv[1])
db.execute("INSERT INTO cases(id, region, number, service, version_of_standard, state, status,"
           " branch, applicant, due_at, created_at, updated_at, version, doc) VALUES"
           " (1, 'KZ-71', 'KZ-71-1', 'apostille', '2022-01-24', 'sent', 'open', 'psc-astana-1',"
           " '990101300013', 0, 0, 0, 3, '{\"state\":\"sent\",\"status\":\"open\","
           " \"service\":\"apostille\",\"applicant\":\"990101300013\"}')")
def enc(v):
    if v is None: return b"n"
    if isinstance(v, int): return b"i" + struct.pack(">q", v)
    b = v.encode(); return b"t" + struct.pack(">Q", len(b)) + b
prev = bytes(32)
steps = [(None, "accepted", "accept"), ("accepted", "registered", "register"), ("registered", "sent", "send")]
for i, (f, t, a) in enumerate(steps, 1):
    cols = [i, "KZ-71", 1, i, 1767585600 + i, "clerk-1", "provider-clerk", "kpssu-astana", a, f, t, '{"n":%d}' % i]
    h = hashlib.sha256(prev + b"qyzmet.event.v1\0" + b"".join(enc(c) for c in cols)).digest()
    db.execute("INSERT INTO events VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)", cols + [prev, h])
    prev = h
db.commit()
PY
check "audit verify accepts a chain built from the documented encoding" 0 'ok 3 events' \
    -- audit verify --db "$db"
/usr/bin/python3 - "$db" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.executescript("DROP TRIGGER events_no_update; UPDATE events SET actor = 'someone' WHERE id = 2;")
PY
check "an edited event breaks the chain with status 1" 1 \
    'broken at event 2 (case 1): edited, its contents no longer match its hash' \
    -- audit verify --db "$db"
check_err "audit needs verify" 2 "usage" -- audit --db "$db"
