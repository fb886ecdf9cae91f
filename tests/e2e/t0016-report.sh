#!/usr/bin/env bash
# t0016 — the daily report, its series and the epidemic curve, on the
# command line and through the API: every format (text, JSON, CSV with
# its byte-order mark and Chinese headings, XLSX as a valid workbook), the
# cutoff, the rows per town, bad arguments, jurisdiction of `unit`, and
# the API's figures equal to the CLI's. Expected figures are worked out by
# hand below from docs/reports.md.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/api_lib.sh"
DB=$TMP/r.db
sample_db "$DB" || { fail "sample database"; finish; exit 1; }
export CORDON_NOW=2022-03-31T20:00:00+08:00

# Three residents: 云集街道 (HN1), 茶市镇 上屋场 (HN3), 相市乡 老屋场 (HN4).
HN1=$(sed -n 2p "$DATA/persons.csv" | cut -d, -f1)
HN3=$(grep ',430422103201-001-' "$DATA/persons.csv" | head -1 | cut -d, -f1)
HN4=$(grep ',430422200201-001-' "$DATA/persons.csv" | head -1 | cut -d, -f1)
# HN3 confirmed at 10:00 on 03-30; HN4 imported, confirmed at 15:30 on
# 03-30, cured on 03-31; HN1 asymptomatic on 03-29, confirmed on 03-30.
run case add --id "$HN3" --class confirmed --type mild --onset 2022-03-29 \
  --reported 2022-03-30T10:00:00+08:00 --db "$DB"
expect 0 "430422-C0001" "case of 茶市"
run case add --id "$HN4" --class confirmed --type ordinary --imported \
  --onset 2022-03-28 --reported 2022-03-30T15:30:00+08:00 --db "$DB"
expect 0 "430422-C0002" "imported case of 相市"
run case add --id "$HN1" --class asymptomatic --sampling 2022-03-29 \
  --reported 2022-03-29T09:00:00+08:00 --db "$DB"
expect 0 "430422-C0003" "asymptomatic of 云集"
run case update 430422-C0003 --convert 2022-03-30 --type mild --db "$DB"
expect 0 "" "converted on 03-30"
run case update 430422-C0002 --outcome cured --outcome-date 2022-03-31 --db "$DB"
expect 0 "" "cured on 03-31"

# ---- the CLI: text, JSON
run report daily --date 2022-03-30 --db "$DB"
expect 0 "^daily report 日报: 衡南县 \(430422\), 2022-03-30, cutoff 24:00" "text heading"
expect 0 "^confirmed.new +新增确诊 +3$" "text: 3 new confirmed"
expect 0 "^430422103000 +茶市镇 +1 +1 " "text: a row per town"

run report daily --date 2022-03-30 --json --db "$DB"
expect 0 "" "daily --json"
J=$OUT
jqc() { printf '%s' "$J" | jq -e "$1" >/dev/null; }
# 03-30 at 24:00: HN3, HN4 and HN1's conversion are new (2 local, 1
# imported, 1 from asymptomatic); HN1 was asymptomatic from 03-29 and is
# no longer under observation.
check "confirmed new 3 = 2 local + 1 imported" jqc '.totals.confirmed | .new == 3 and .new_local == 2 and .new_imported == 1 and .new_from_asymptomatic == 1 and .cumulative == 3'
check "asymptomatic: converted 1, none observed, 1 ever" jqc '.totals.asymptomatic | .new == 0 and .converted == 1 and .under_observation == 0 and .cumulative == 1'
check "rates 0 of 3" jqc '.totals.cure_rate == 0 and .totals.fatality_rate == 0 and .totals.current == 3'
check "window of the day" jqc '.window.from == "2022-03-30T00:00:00+08:00" and .window.to == "2022-03-31T00:00:00+08:00"'
check "rows: the three towns by code" jqc '[.rows[].unit.code] == ["430422001000","430422103000","430422200000"]'
check "rows sum to the totals" jqc '([.rows[].confirmed.new] | add) == .totals.confirmed.new'
check "相市乡: the imported case" jqc '.rows[2].confirmed.new_imported == 1 and .rows[2].unit.name == "相市乡" and .rows[2].unit.level == 2'

# 15:00: HN4 (15:30) belongs to 03-31.
run report daily --date 2022-03-30 --cutoff 15:00 --json --db "$DB"
J=$OUT
check "cutoff 15:00: 2 new on 03-30" jqc '.cutoff == "15:00" and .totals.confirmed.new == 2 and .totals.confirmed.cumulative == 2 and .window.from == "2022-03-29T15:00:00+08:00"'
run report daily --date 2022-03-31 --json --db "$DB"
J=$OUT
# 03-31: HN4 cured: 1 of 3 = 33.33 %, current 2.
check "03-31: cured 1, 33.33 %, current 2" jqc '.totals.cured.new == 1 and .totals.cure_rate == 33.33 and .totals.current == 2 and .totals.confirmed.new == 0'
run report daily --date 2022-03-31 --unit 430422103000 --json --db "$DB"
J=$OUT
check "a town's rows are its villages" jqc '.unit.code == "430422103000" and [.rows[].unit.code] == ["430422103201","430422103202"] and .totals.confirmed.cumulative == 1'

# ---- CSV and XLSX
run report daily --date 2022-03-30 --csv "$TMP/d.csv" --db "$DB"
expect 0 "" "daily --csv"
check "CSV starts with the UTF-8 BOM" test "$(head -c 3 "$TMP/d.csv" | od -An -tx1 | tr -d ' ')" = efbbbf
check "CSV has the Chinese headings" grep -q '^.*"日期","截止时间","单位代码","单位","新增确诊","新增本土确诊"' "$TMP/d.csv"
check "CSV has 1 heading + 3 towns + totals" test "$(wc -l < "$TMP/d.csv")" -eq 5
check "CSV totals line" grep -q '^2022-03-30,24:00,"430422","衡南县合计",3,2,1,1,3,' "$TMP/d.csv"
check "CSV rate with two decimals" grep -q '"衡南县合计",.*,0\.00,0\.00,' "$TMP/d.csv"
run report daily --date 2022-03-30 --xlsx "$TMP/d.xlsx" --db "$DB"
expect 0 "wrote .*d.xlsx" "daily --xlsx"
check "XLSX is a valid zip" unzip -tq "$TMP/d.xlsx" >/dev/null
unzip -p "$TMP/d.xlsx" xl/sharedStrings.xml > "$TMP/ss.xml"
unzip -p "$TMP/d.xlsx" xl/worksheets/sheet1.xml > "$TMP/s1.xml"
check "XLSX title" grep -q '衡南县新冠肺炎疫情防控日报' "$TMP/ss.xml"
check "XLSX date and cutoff" grep -q '日期：2022-03-30 *截止时间：24:00' "$TMP/ss.xml"
check "XLSX headings and totals row" grep -q '新增确诊.*累计确诊' "$TMP/ss.xml"
check "XLSX totals row" grep -q '合计' "$TMP/ss.xml"
check "XLSX sheet named 日报" grep -q 'name="日报"' <(unzip -p "$TMP/d.xlsx" xl/workbook.xml)
# Row 9 (five heading rows, three towns) is the totals: C9 = 3 new.
check "XLSX totals: 3 new confirmed in C9" grep -q '<c r="C9"[^>]*><v>3</v>' "$TMP/s1.xml"
# An independent reader (openpyxl) opens the workbook: the title in A1,
# the totals row labelled 合计, and its figures those of the CSV's totals
# line (checked against hand-worked values above), cell by cell.
xl() { /usr/bin/python3 - "$TMP/d.xlsx" "$TMP/d.csv" <<'PY'
import csv, sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1]).active
rows = list(csv.reader(open(sys.argv[2], encoding="utf-8-sig")))
tot = rows[-1][4:]
x = [r for r in ws.iter_rows(values_only=True) if r[1] and "合计" in str(r[1])]
assert ws["A1"].value == "衡南县新冠肺炎疫情防控日报", ws["A1"].value
assert len(x) == 1, x
num = lambda v: "" if v in (None, "", "-") else "%.2f" % float(v)
got = [num(v) for v in x[0][2:2 + len(tot)]]
want = [num(v) for v in tot]
assert got == want, (got, want)
PY
}
check "XLSX read back by openpyxl: title, totals = CSV totals" xl

# ---- series and curve
run report series --from 2022-03-29 --to 2022-03-31 --json --db "$DB"
expect 0 "" "series --json"
S=$OUT
run report daily --date 2022-03-30 --json --db "$DB"
check "series day 03-30 = the daily totals" test "$(printf '%s' "$S" | jq -cS '.days[1] | del(.date)')" = "$(printf '%s' "$OUT" | jq -cS .totals)"
check "series: three days" test "$(printf '%s' "$S" | jq '.days | length')" = 3
run report series --from 2022-03-29 --to 2022-03-31 --csv - --db "$DB"
expect 0 "^2022-03-31,24:00,\"430422\",\"衡南县\",0,0,0,0,3," "series CSV to standard output"
run report curve --from 2022-03-28 --to 2022-03-31 --json --db "$DB"
J=$OUT
# Onset: HN4 03-28, HN3 03-29, HN1 (its sampling date) 03-29, confirmed
# by now. Report: HN3 and HN4 on 03-30, HN1 on its conversion (03-30).
check "curve by onset" jqc '[.by_onset[].confirmed] == [1,2,0,0] and [.by_onset[].asymptomatic] == [0,0,0,0]'
check "curve by report" jqc '[.by_report[].confirmed] == [0,0,3,0] and [.by_report[].date] == ["2022-03-28","2022-03-29","2022-03-30","2022-03-31"]'

# ---- bad arguments
run report daily --date 2022-03-30 --cutoff 25:00 --db "$DB"
expect 3 "--cutoff: '25:00' is not a time of day HH:MM from 00:00 to 24:00" "cutoff 25:00"
run report daily --date 2022-02-30 --db "$DB"
expect 3 "--date: '2022-02-30' is not a date" "no 30 February"
run report daily --unit 430499 --db "$DB"
expect 4 "no unit '430499'" "unknown unit"
run report daily --json --csv x.csv --db "$DB"
expect 2 "give one of --json, --csv FILE and --xlsx FILE" "two formats"
run report series --from 2022-03-01 --db "$DB"
expect 2 "give --from DATE and --to DATE" "series without --to"
run report series --from 2022-01-01 --to 2023-01-02 --db "$DB"
expect 3 "within 366 days" "a series over a year"
run report curve --from 2022-03-02 --to 2022-03-01 --db "$DB"
expect 3 "must not be before" "a curve backwards"
run report series --from 2022-03-01 --to 2022-03-02 --xlsx x.xlsx --db "$DB"
expect 2 "takes no --xlsx" "series as xlsx"
run report weekly --db "$DB"
expect 2 "no report 'weekly'" "unknown report"

# ---- the API
mkuser root admin
mkuser li.analyst analyst --unit 430422
mkuser li.cdc investigator --unit 430422103000
mkuser wang.grid grid --unit 430422103201-001
api_start "$DB" || { fail "server"; finish; exit 1; }
R=$(login root) AN=$(login li.analyst) CDC=$(login li.cdc) GRID=$(login wang.grid)

req "$AN" GET "/api/v1/reports/daily?date=2022-03-30"
want 200 "the analyst's daily report"
run report daily --date 2022-03-30 --unit 430422 --json --db "$DB"
check "API figures = CLI figures (the whole reply)" test "$(printf '%s' "$BODY" | jq -cS .)" = "$(printf '%s' "$OUT" | jq -cS .)"
req "$R" GET "/api/v1/reports/daily?date=2022-03-30&cutoff=15:00"
want 200 '.unit.code == "430422" and .totals.confirmed.new == 2' "admin of the whole database: the only county"
req "$CDC" GET "/api/v1/reports/daily?date=2022-03-30"
want 200 '.unit.code == "430422103000" and .totals.confirmed.new == 1 and (.rows | length) == 2' "the investigator's own town"
req "$CDC" GET "/api/v1/reports/daily?date=2022-03-30&unit=430422103201"
want 200 '.unit.name == "茶市村"' "a village of his town"
req "$CDC" GET "/api/v1/reports/daily?date=2022-03-30&unit=430422200000"
want 403 '.error.field == "unit" and (.error.message | test("outside your jurisdiction"))' "another town: 403"
req "$CDC" GET "/api/v1/reports/series?from=2022-03-30&to=2022-03-30&unit=430422"
want 403 '.error.field == "unit"' "the county: 403"
req "$AN" GET "/api/v1/reports/daily?unit=430499"
want 404 '.error.field == "unit"' "unknown unit: 404"
req "$GRID" GET "/api/v1/reports/daily?date=2022-03-30"
want 403 "a grid worker is no report reader"
req - GET "/api/v1/reports/daily?date=2022-03-30"
want 401 "anonymous"
req "$AN" GET "/api/v1/reports/daily?cutoff=25:00"
want 400 '.error.field == "cutoff" and (.error.message | test("HH:MM"))' "bad cutoff"
req "$AN" GET "/api/v1/reports/daily?date=2022-02-30"
want 400 '.error.field == "date"' "bad date"
req "$AN" GET "/api/v1/reports/daily?format=pdf"
want 400 '.error.field == "format"' "bad format"
req "$AN" GET "/api/v1/reports/daily?week=1"
want 400 '.error.field == "week"' "unknown parameter"
req "$AN" GET "/api/v1/reports/series?from=2022-03-29"
want 400 '.error.field == "to"' "series without to"
req "$AN" GET "/api/v1/reports/series?from=2021-01-01&to=2022-03-30"
want 400 '.error.field == "to" and (.error.message | test("366"))' "series over a year"
req "$AN" GET "/api/v1/reports/series?from=2022-03-29&to=2022-03-31"
want 200 "series"
check "API series = CLI series" test "$(printf '%s' "$BODY" | jq -cS .)" = "$(printf '%s' "$S" | jq -cS .)"
req "$AN" GET "/api/v1/reports/curve?from=2022-03-28&to=2022-03-31"
want 200 '[.by_report[].confirmed] == [0,0,3,0]' "curve"
req "$AN" GET "/api/v1/reports/curve?from=2022-03-28&to=2022-03-31&format=xlsx"
want 400 '.error.field == "format"' "no xlsx of a curve"

# Downloads: headers, BOM, workbook.
dl() { # TOKEN PATH FILE: status into ST, headers into $TMP/h
  ST=$(curl -s -D "$TMP/h" -o "$3" -w '%{http_code}' -H "Authorization: Bearer $1" "$API$2")
}
dl "$AN" "/api/v1/reports/daily?date=2022-03-30&format=csv" "$TMP/a.csv"
check "CSV download: 200" test "$ST" = 200
check "CSV download: text/csv" grep -qi '^content-type: text/csv; charset=utf-8' "$TMP/h"
check "CSV download: attachment name" grep -qi '^content-disposition: attachment; filename="daily-430422-2022-03-30.csv"' "$TMP/h"
check "CSV download: security headers" grep -qi '^x-content-type-options: nosniff' "$TMP/h"
check "CSV download = the CLI's CSV" cmp -s "$TMP/a.csv" "$TMP/d.csv"
dl "$AN" "/api/v1/reports/daily?date=2022-03-30&format=xlsx" "$TMP/a.xlsx"
check "XLSX download: 200" test "$ST" = 200
check "XLSX download: its type" grep -qi '^content-type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' "$TMP/h"
check "XLSX download: attachment name" grep -qi 'filename="daily-430422-2022-03-30.xlsx"' "$TMP/h"
check "XLSX download: a valid zip" unzip -tq "$TMP/a.xlsx" >/dev/null
check "XLSX download: same sheet as the CLI's" cmp -s <(unzip -p "$TMP/a.xlsx" xl/worksheets/sheet1.xml) "$TMP/s1.xml"
dl "$AN" "/api/v1/reports/series?from=2022-03-29&to=2022-03-31&format=csv" "$TMP/s.csv"
check "series CSV download" grep -q 'filename="series-430422-2022-03-29-2022-03-31.csv"' "$TMP/h"
dl "$CDC" "/api/v1/reports/curve?from=2022-03-28&to=2022-03-31&format=csv" "$TMP/c.csv"
check "curve CSV download of the town" grep -q 'filename="curve-430422103000-2022-03-28-2022-03-31.csv"' "$TMP/h"
check "curve CSV: the town's case by report date" grep -q '^2022-03-30,0,0,1,0' "$TMP/c.csv"
dl "$CDC" "/api/v1/reports/daily?unit=430422200000&format=xlsx" "$TMP/x.xlsx"
check "outside unit: no download (403)" test "$ST" = 403
api_stop
check "the server stopped cleanly" test "$STOP_RC" -eq 0
finish
