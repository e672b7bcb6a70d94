# qyzmet iin check|new (contract.md), run by tests/cli/run with lib.sh's helpers.

# check: 921029350851 is python-stdnum's example (1*9 + 2*2 + 3*1 + 5*2 + 6*9 + 7*3 + 8*5
# + 10*8 + 11*5 = 276; 276 mod 11 = 1); 061211600012 needs the second weights (87 -> 10,
# then 112 mod 11 = 2); 000101500220 has remainder 10 twice (87 and 65), never issued.
check "a valid IIN prints its birth date and sex" 0 \
    '{"valid":true,"birth_date":"1992-10-29","sex":"male"}' -- iin check 921029350851
check "a valid IIN of the 2000s on the second weights" 0 \
    '{"valid":true,"birth_date":"2006-12-11","sex":"female"}' -- iin check 061211600012
check_match "a wrong check digit is invalid with status 1" 1 \
    '^\{"valid":false,"reason":"wrong_check_digit","message":"[^"]+"\}$' -- iin check 921029350852
check_match "29 February 1900 is no birth date" 1 \
    '"reason":"bad_date"' -- iin check 000229400011
check_match "a never-issued number says so" 1 '"reason":"unissuable"' -- iin check 000101500220
check_match "a short number is the wrong length" 1 '"reason":"wrong_length"' -- iin check 12345
check_match "letters are not digits" 1 '"reason":"not_digits"' -- iin check 92102B350851
check_match "century digit 0 is refused" 1 '"reason":"bad_century"' -- iin check 921029050851
check_match "the message follows --lang" 1 '"message":"«12345» ЖСН емес' -- --lang kk iin check 12345
check_match "bytes that are not UTF-8 still give valid JSON" 1 \
    '^\{"valid":false,"reason":"not_digits","message":"[^"]*92102935085\?[^"]*"\}$' \
    -- iin check "$(printf '92102935085\377')"
check_err "a missing IIN is a usage error" 2 "usage" -- iin check
check_err "two IINs are a usage error" 2 "usage" -- iin check 921029350851 061211600012
check_err "an unknown iin subcommand is a usage error" 2 "usage" -- iin verify 921029350851

# new: a fresh number, valid, of the given date and sex.
check_match "new prints twelve digits" 0 '^[0-9]{12}$' -- iin new --birth 1990-05-05 --sex female
iin=$("$QZ" iin new --birth 1900-02-28 --sex male 2>/dev/null)
check "a new IIN checks as valid with its date and sex" 0 \
    '{"valid":true,"birth_date":"1900-02-28","sex":"male"}' -- iin check "$iin"
check_err "a day that does not exist is a usage error" 2 "does not exist" \
    -- iin new --birth 1990-02-30 --sex male --db "$TMP/never.db"
_result "a bad date creates no database" "$([ ! -e "$TMP/never.db" ] && echo 1)" \
    "  $TMP/never.db exists"
check_err "a birth date before 1800 is a usage error" 2 "1800" -- iin new --birth 1799-12-31 --sex male
check_err "a sex other than male or female is a usage error" 2 "male or female" \
    -- iin new --birth 1990-05-05 --sex m
check_err "a missing --sex is a usage error" 2 "--sex" -- iin new --birth 1990-05-05
check_err "an unknown option is a usage error" 2 "--gender" \
    -- iin new --birth 1990-05-05 --gender male

# new --db: fifty numbers for one date and sex, all valid, none twice.
ok=1
: > "$TMP/issued"
i=0
while [ $i -lt 50 ]; do
    "$QZ" iin new --birth 1985-03-15 --sex female --db "$TMP/q.db" >> "$TMP/issued" || ok=0
    i=$((i + 1))
done
[ "$(sort -u "$TMP/issued" | grep -cE '^8503154[0-9]{5}$')" = 50 ] || ok=0
_result "fifty IINs issued into one database are distinct" $ok "$(sort "$TMP/issued" | uniq -d)"
ok=1
while read -r n; do
    "$QZ" iin check "$n" > /dev/null 2>&1 || ok=0
done < "$TMP/issued"
_result "every issued IIN is valid" $ok "$(cat "$TMP/issued")"

# Twenty processes at once on a database none of them has created yet.
i=0
while [ $i -lt 20 ]; do
    "$QZ" iin new --birth 2001-09-01 --sex male --db "$TMP/par.db" > "$TMP/parallel.$i" 2>&1 &
    i=$((i + 1))
done
wait
_result "twenty processes at once on a new database get twenty IINs" \
    "$([ "$(cat "$TMP"/parallel.* | grep -E '^0109015[0-9]{5}$' | sort -u | wc -l)" -eq 20 ] && echo 1)" \
    "$(cat "$TMP"/parallel.*)"

printf 'this is not a database, just some text that is long enough to matter\n' > "$TMP/text.db"
check_err "a file that is not a database fails with status 1" 1 "not a database" \
    -- iin new --birth 1990-05-05 --sex male --db "$TMP/text.db"
check_err "a postgres target is not available yet" 1 "not supported yet" \
    -- iin new --birth 1990-05-05 --sex male --db postgres://localhost/qyzmet
