# tests/cli/lib.sh — a tiny harness for command-line tests, sourced by tests/cli/test_*.sh.
# $QZ is the qyzmet binary under test; $TMP a scratch folder removed afterwards.
#
#   check "what it shows" EXPECTED_STATUS 'expected stdout' -- ARGS...
#       runs "$QZ ARGS...", passes when the status and the whole stdout match.
#   check_err "what it shows" EXPECTED_STATUS 'text stderr must contain' -- ARGS...
#       passes when the status matches and stderr contains the text (and is one line or more).
#   check_match "what it shows" EXPECTED_STATUS 'grep -E pattern on stdout' -- ARGS...
passed=0
failed=0

_run() {
    out=$("$QZ" "$@" 2>"$TMP/stderr"); status=$?
    err=$(cat "$TMP/stderr")
}

_result() { # name ok detail
    if [ "$2" = 1 ]; then passed=$((passed + 1)); else
        failed=$((failed + 1)); printf 'FAIL %s\n%s\n' "$1" "$3"; fi
}

check() {
    name=$1 want_status=$2 want_out=$3; shift 4
    _run "$@"
    ok=0; [ "$status" = "$want_status" ] && [ "$out" = "$want_out" ] && ok=1
    _result "$name" $ok "  args: $*
  status: $status (want $want_status)
  stdout: $out
  want:   $want_out
  stderr: $err"
}

check_err() {
    name=$1 want_status=$2 want_err=$3; shift 4
    _run "$@"
    ok=0
    [ "$status" = "$want_status" ] && [ -n "$err" ] && case "$err" in *"$want_err"*) ok=1 ;; esac
    _result "$name" $ok "  args: $*
  status: $status (want $want_status)
  stderr: $err
  want to contain: $want_err"
}

check_match() {
    name=$1 want_status=$2 pattern=$3; shift 4
    _run "$@"
    ok=0
    [ "$status" = "$want_status" ] && printf '%s\n' "$out" | grep -Eq -- "$pattern" && ok=1
    _result "$name" $ok "  args: $*
  status: $status (want $want_status)
  stdout: $out
  want to match: $pattern
  stderr: $err"
}
