# qyzmet calendar: answers from catalog/calendar, and a clear error for bad input.
# Expected dates are worked out by hand from the 2024 and 2026 calendars: 2026-12-16
# (Wednesday) is Independence Day; 2024-03-08 (Friday) Women's Day; UTC+6 in Almaty
# until 2024-03-01.

check "a Wednesday is a working day" 0 'working' -- calendar is-working 2026-12-09
check "Independence Day is a day off" 0 'day-off' -- calendar is-working 2026-12-16
check "a Saturday is a day off" 0 'day-off' -- calendar is-working 2026-12-19
check "a holiday on a Saturday moves to Monday (Victory Day 2026)" 0 'day-off' -- calendar is-working 2026-05-11
# After Mon 14 Dec: Tue 15 (1), Wed 16 holiday, Thu 17 (2), Fri 18 (3), Mon 21 (4), Tue 22 (5).
check "add skips the holiday and the weekend" 0 '2026-12-22' -- calendar add 2026-12-14 5
check "add 0 is the day itself" 0 '2026-12-16' -- calendar add 2026-12-16 0
check "between counts days after A up to B" 0 '5' -- calendar between 2026-12-14 2026-12-22
# Apostille at an "other" department, Tue 15 Dec 17:30: 10 WD after it: 17, 18, 21, 22, 23,
# 24, 25, 28, 29, 30 Dec; the PSC closes at 18:00.
check "apostille due at an other department" 0 '2026-12-30T18:00:00+05:00' -- \
    calendar due apostille 2026-12-15T17:30+05:00 --department other
# Portal, Fri 18 Dec 19:30 (after hours): accepted Mon 21; 5 WD: 22, 23, 24, 25, 28.
check "portal after hours counts from the next working day" 0 '2026-12-28T18:00:00+05:00' -- \
    calendar due criminal-record 2026-12-18T19:30+05:00 --channel portal --variant abroad --department regional
# 10 minutes from Fri 18 Dec 17:55: 5 before closing, 5 from Monday 09:00.
check "ten minutes carry over the weekend" 0 '2026-12-21T09:05:00+05:00' -- \
    calendar due criminal-record 2026-12-18T17:55+05:00
# Thu 29 Feb 2024 17:00 in Almaty (UTC+6), 5 WD: Fri 1 Mar, Mon 4 … Thu 7 Mar (8 Mar is a
# holiday); by then the offset is +05:00.
check "the time zone change of 1 March 2024" 0 '2024-03-07T18:00:00+05:00' -- \
    calendar due apostille 2024-02-29T17:00 --department regional
check_match "explain names the holiday it skipped" 0 '2026-12-16 Wed +skipped: holiday' -- \
    calendar explain apostille 2026-12-15T17:30+05:00 --department other
check_match "explain says the day of acceptance does not count" 0 '2026-12-15 is the day of acceptance' -- \
    calendar explain apostille 2026-12-15T17:30+05:00 --department other
check_match "explain counts the tenth working day" 0 '2026-12-30 Wed +working day 10' -- \
    calendar explain apostille 2026-12-15T17:30+05:00 --department other
check_match "explain speaks Kazakh" 0 'жұмыс күні' -- \
    --lang kk calendar explain apostille 2026-12-15T17:30+05:00 --department other

check_err "a malformed date" 2 "'2026-13-01' names a day that does not exist" -- calendar is-working 2026-13-01
check_err "not a date at all" 2 "is not a date" -- calendar add tomorrow 5
check_err "a count that is not a number" 2 "is not a whole number" -- calendar add 2026-12-14 five
check_err "a year outside the data" 2 "does not cover 2031" -- calendar is-working 2031-01-05
check_err "an answer beyond the data" 2 "does not cover" -- calendar add 2026-12-30 100000
# Thu 3 Dec 2026, general urgency, 40 WD: 19 in December (16 Dec off), 18 in January 2027
# (1, 4 and 7 Jan off), 1-3 February: the term runs into provisional 2027.
check "a passport of 3 December 2026 is due in 2027" 0 '2027-02-03T18:00:00+05:00' -- \
    calendar due passport-id 2026-12-03T10:00 --urgency general
check_match "explain marks the days of a provisional year" 0 '2027-01-05 Tue +working day 20 .*provisional' -- \
    calendar explain passport-id 2026-12-03T10:00 --urgency general
check_err "an unknown service" 2 "unknown service 'passport-xyz'" -- calendar due passport-xyz 2026-12-15T10:00
check_err "a channel the service does not have" 2 "not offered through channel 'portal'" -- \
    calendar due apostille 2026-12-15T10:00 --channel portal --department other
check_err "a term that needs the department" 2 "depends on --department" -- calendar due apostille 2026-12-15T10:00
check_err "a bad department" 2 "expected regional or other" -- calendar due apostille 2026-12-15T10:00 --department capital
check_err "a malformed instant" 2 "is not a time" -- calendar due apostille 2026-12-15T25:00 --department other
check_err "an unknown subcommand" 2 "usage" -- calendar next 2026-12-15
check_err "messages in Russian" 2 "такого дня нет" -- --lang ru calendar is-working 2026-02-30
check_err "a date before the standard was in force" 2 "no version of the standard is in force" -- \
    calendar due apostille 2019-05-06T10:00 --department other

# A broken calendar file: the message names the file, the field and the reason; status 1.
cp -r "$QZ_CATALOG" "$TMP/catalog"
sed 's/"becomes": "day-off"/"becomes": "holiday"/' "$QZ_CATALOG/calendar/kz-2024.json" > "$TMP/catalog/calendar/kz-2024.json"
check_err "a broken calendar file is named with its field" 1 "kz-2024.json: moves[1].becomes: 'holiday'" -- \
    --catalog "$TMP/catalog" calendar is-working 2024-05-08
cp "$QZ_CATALOG/calendar/kz-2024.json" "$TMP/catalog/calendar/"
rm "$TMP/catalog/calendar/kz-2022.json"
check_err "a missing year file" 1 "year 2022 is missing" -- --catalog "$TMP/catalog" calendar is-working 2024-05-08

# The years served: confirmed ones, and what a provisional year still lacks.
check_match "years lists 2026 as confirmed" 0 '^2026 confirmed$' -- calendar years
check_match "years says 2027 waits for its act and Kurban Ait" 0 '^2027 provisional: the act moving days off is not yet in the data; the date of Kurban Ait \(2027-05-16\) is an estimate' -- calendar years
check_match "explain says which year is provisional and why" 0 '^2027 is provisional: .*the due date may move' -- \
    calendar explain passport-id 2026-12-03T10:00 --urgency general

# calendar reload: a database first remembers the calendar; the same data again changes
# nothing (tests/unit/test_calendar_reload.c moves cases when a day changes).
"$QZ" init --db "$TMP/reload.db" >/dev/null
check "reload remembers the calendar the first time" 0 \
    'the database remembers the calendar for the first time: nothing counted again' -- \
    calendar reload --db "$TMP/reload.db"
check "reload with the same data moves nothing" 0 \
    'days changed: 0; cases checked: 0; cases whose dues moved: 0' -- \
    calendar reload --db "$TMP/reload.db"
check_err "reload needs a database" 1 "there is no database" -- calendar reload --db "$TMP/none.db"

# The calendar reaches back to 2014, so the 2014 regulation (version 0 of S2-S6, in force
# 2014-05-11 ... 2015-06-09) can be used: a passport of Friday 12 December 2014, category 1,
# 11 WD: 15 Dec (1), 16-17 Dec Independence Day, 18, 19, 22-26, 29, 30, 31 Dec (11); Astana
# was at UTC+6 then.
check "a passport under the 2014 regulation gets its due date" 0 '2014-12-31T18:00:00+06:00' -- \
    calendar due passport-id 2014-12-12T10:00 --urgency 1
# catalog check refuses a version whose days the calendar does not serve.
cp -r "$QZ_CATALOG" "$TMP/early"
rm "$TMP/early/calendar/kz-2014.json" "$TMP/early/calendar/kz-2015.json" \
    "$TMP/early/calendar/kz-2016.json" "$TMP/early/calendar/kz-2017.json"
check_err "catalog check refuses a version the calendar does not cover" 1 \
    "passport-id.json: versions[0].in_force: the version's date 2014-05-11 lies outside the years the calendar serves" -- \
    --catalog "$TMP/early" catalog check

# A term in calendar days (entry-invitation extended: 35 CD, a last day off rolls to the
# next working day): Fri 27 Nov 2026 + 35 days = Fri 1 Jan 2027, New Year, so the term ends
# on Tue 5 Jan (2 Jan a holiday, 3 Sunday, 4 the day off for 2 Jan). explain says what it
# counted: every calendar day, weekends and holidays too.
check "a calendar-day term rolls past the New Year days off" 0 '2027-01-05T18:00:00+05:00' -- \
    calendar due entry-invitation 2026-11-27T10:00 --variant extended
check_match "explain counts a weekend as a calendar day" 0 '^2026-11-28 Sat +calendar day 1: a weekend, counted' -- \
    calendar explain entry-invitation 2026-11-27T10:00 --variant extended
check_match "explain counts a holiday as the 35th calendar day" 0 '^2027-01-01 Fri +calendar day 35: holiday' -- \
    calendar explain entry-invitation 2026-11-27T10:00 --variant extended
check_match "explain says the last day off rolls to the next working day" 0 '^2027-01-05 Tue +the next working day: the term ends on it' -- \
    calendar explain entry-invitation 2026-11-27T10:00 --variant extended
