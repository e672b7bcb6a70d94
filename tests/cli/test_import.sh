# qyzmet import (contract.md; docs/registers.md), run by tests/cli/run with lib.sh's
# helpers. Rows are counted in the database with Python's sqlite3, independently of qyzmet.

db="$TMP/r.db"
"$QZ" init --db "$db" >/dev/null 2>&1
count() { /usr/bin/python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()[0])" "$db" "$1"; }

# IINs from `iin new` (valid check digits, the birth date and sex they encode).
m=$("$QZ" iin new --birth 1990-01-01 --sex male)
f=$("$QZ" iin new --birth 1985-05-12 --sex female)
g=$("$QZ" iin new --birth 1931-07-20 --sex male)

# Columns in any order, one more column than the register has, a quoted field holding a
# comma and a line break, CRLF line ends.
printf 'sex,iin,surname,name,patronymic,birth_date,phone,note\r\nmale,%s,Нұрланов,Әлібек,Серікұлы,1990-01-01,+77011112233,x\r\nfemale,%s,"Иванова, ""Мария""",Мария,,1985-05-12,,"two\r\nlines"\r\n' \
    "$m" "$f" > "$TMP/persons.csv"
check "a good file is imported whole" 0 'imported 2' -- import persons "$TMP/persons.csv" --db "$db"
_result "the quoted surname is kept as written" \
    "$([ "$(count "SELECT surname FROM persons WHERE iin = '$f'")" = 'Иванова, "Мария"' ] && echo 1)" \
    "  surname: $(count "SELECT surname FROM persons WHERE iin = '$f'")"
check "the same file again changes nothing" 0 'imported 0' -- import persons "$TMP/persons.csv" --db "$db"
_result "still two persons" "$([ "$(count 'SELECT count(*) FROM persons')" = 2 ] && echo 1)" ""

# Bad rows: each by its line (the header is line 1; the quoted line break makes the third
# record start on line 4), nothing imported.
printf 'iin,surname,name,patronymic,birth_date,sex,phone,note\n%s,Ахметов,Ержан,,1931-07-20,male,,\n%s,Б,Б,,1990-01-02,male,,"a\nb"\n123,A,B,,1990-01-01,male,,\n%s,Ж,К,,1931-07-20,female,,\n%s,Ж,К,,1931-07-20,male,+7701,\n' \
    "$g" "$m" "$g" "$g" > "$TMP/bad.csv"
check_err "a wrong birth date is reported by its line" 1 'line 3: birth_date' -- import persons "$TMP/bad.csv" --db "$db"
for want in 'line 5: iin' 'line 6: sex' 'line 7: phone'; do
    _result "stderr names $want" "$(printf '%s\n' "$err" | grep -q "^$want" && echo 1)" "  stderr: $err"
done
_result "the good row is reported nowhere" "$(printf '%s\n' "$err" | grep -q '^line 2' || echo 1)" "  stderr: $err"
_result "stdout says nothing was imported" "$([ "$out" = 'imported 0' ] && echo 1)" "  stdout: $out"
_result "nothing was imported" "$([ "$(count "SELECT count(*) FROM persons WHERE iin = '$g'")" = 0 ] && echo 1)" ""
check_err "--partial takes the good row and still reports the bad" 1 'line 7: phone' -- import persons "$TMP/bad.csv" --db "$db" --partial
_result "--partial imported the good row" "$([ "$out" = 'imported 1' ] && [ "$(count "SELECT surname FROM persons WHERE iin = '$g'")" = 'Ахметов' ] && echo 1)" "  stdout: $out"

# Every register takes its format.
printf 'iin,article,sentenced_on,expunged_on\n%s,188-1,2015-03-01,\n%s,190,2010-01-01,2014-01-01\n' "$m" "$m" > "$TMP/c.csv"
check "convictions" 0 'imported 2' -- import convictions "$TMP/c.csv" --db "$db"
printf 'iin,since\n%s,2024-02-01\n' "$f" > "$TMP/w.csv"
check "wanted" 0 'imported 1' -- import wanted "$TMP/w.csv" --db "$db"
printf 'iin,kind,address,from,until\n%s,permanent,"Астана, Абай к-сі 10, 5 п.",2019-04-01,\n%s,temporary,"Алматы, Төле би 1",2025-01-10,2025-07-10\n' "$m" "$m" > "$TMP/reg.csv"
check "registrations" 0 'imported 2' -- import registrations "$TMP/reg.csv" --db "$db"
printf 'surname,name,patronymic,birth_date,relocated_on,from_place,to_place\nШмидт,Иоганн,Карлович,1921-03-02,1941-09-15,Поволжье,Қарағанды облысы\n' > "$TMP/s.csv"
check "settlers" 0 'imported 1' -- import settlers "$TMP/s.csv" --db "$db"
check "settlers again" 0 'imported 0' -- import settlers "$TMP/s.csv" --db "$db"
printf 'number,iin,kind,issued_on,valid_until,status\nN12345678,%s,passport,2020-01-01,2030-01-01,valid\n' "$m" > "$TMP/d.csv"
check "documents" 0 'imported 1' -- import documents "$TMP/d.csv" --db "$db"

# A changed value is an update, counted once.
printf 'iin,article,sentenced_on,expunged_on\n%s,188-1,2015-03-01,2025-03-01\n' "$m" > "$TMP/c2.csv"
check "an expunged record updates the conviction" 0 'imported 1' -- import convictions "$TMP/c2.csv" --db "$db"
_result "two convictions still" "$([ "$(count 'SELECT count(*) FROM convictions')" = 2 ] && echo 1)" ""

# Bad usage and files without a usable header.
check_err "an unknown register" 2 "no register" -- import people "$TMP/c.csv" --db "$db"
check_err "no file" 2 "usage" -- import persons
printf 'iin,since\n' > "$TMP/h.csv"
check_err "a header without a required column" 1 "article" -- import convictions "$TMP/h.csv" --db "$db"
printf 'iin,since\n%s,2024-13-01\n' "$f" > "$TMP/w2.csv"
check_err "a bad date" 1 "line 2: since" -- import wanted "$TMP/w2.csv" --db "$db"
