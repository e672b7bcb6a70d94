# Where qyzmet finds its catalogue (src/cli/catalog_dir.h) and how ./start keeps the demo
# logins, run by tests/cli/run with lib.sh's helpers.

# A copy installed elsewhere reads the catalogue beside it, not the tree it was built in:
# the copy's catalogue lacks temporary-id, so it counts 9 services where the tree has 10.
mkdir -p "$TMP/inst/bin" "$TMP/inst/share/qyzmet"
cp "$QZ" "$TMP/inst/bin/qyzmet"
cp -r "$QZ_CATALOG" "$TMP/inst/share/qyzmet/catalog"
rm "$TMP/inst/share/qyzmet/catalog/services/temporary-id.json"
QZ_SAVED=$QZ
QZ="$TMP/inst/bin/qyzmet"
check "an installed copy reads share/qyzmet/catalog beside its bin/" 0 'ok 9 services' -- catalog check
check "--catalog names another catalogue" 0 'ok 10 services' -- --catalog "$QZ_CATALOG" catalog check
export QYZMET_CATALOG="$QZ_CATALOG"
_run catalog check
unset QYZMET_CATALOG
_result "QYZMET_CATALOG names another catalogue" "$([ "$out" = 'ok 10 services' ] && echo 1)" "  stdout: $out"
QZ=$QZ_SAVED

# A binary with no catalogue beside it says how to name one.
mkdir -p "$TMP/bare"
cp "$QZ" "$TMP/bare/qyzmet"
out=$(cd "$TMP" && "$TMP/bare/qyzmet" catalog check 2>&1)
case "$out" in *"--catalog DIR or QYZMET_CATALOG"*) ok=1 ;; *) ok=0 ;; esac
_result "a binary with no catalogue beside it names --catalog and QYZMET_CATALOG" $ok "  output: $out"

# ./start keeps the demo logins (the admin's password among them) for its owner alone.
# It serves in the foreground; the test waits for its file, then stops it.
root=$(cd "$(dirname "$QZ_CATALOG")" && pwd)
port=$((20000 + $$ % 20000))
env -u MAKEFLAGS -u MAKELEVEL -u MFLAGS DB="$TMP/start/demo.db" PORT=$port "$root/start" > "$TMP/start.out" 2>&1 &
spid=$!
for _ in $(seq 1 600); do
    grep -q "starting the service" "$TMP/start.out" 2>/dev/null && break
    kill -0 $spid 2>/dev/null || break
    sleep 0.1
done
mode=$(stat -c %a "$TMP/start/demo-logins.jsonl" 2>/dev/null)
kill $spid 2>/dev/null
wait $spid 2>/dev/null
_result "./start writes the demo logins with mode 600" "$([ "$mode" = 600 ] && echo 1)" \
    "  mode: $mode; output: $(tail -3 "$TMP/start.out")"
