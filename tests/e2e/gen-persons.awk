# gen-persons.awk — N valid persons in one household, for large imports.
# usage: awk -v n=300000 -v hh=HOUSEHOLD -f gen-persons.awk
# IDs use division 430424 (衡东县) so they never meet the sample data's 430422.
# IDs: birth dates from 1950-01-01 on, 900 per day, with the
# GB 11643 check character computed here.
BEGIN {
  split("7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2", w, " ")
  ck = "10X98765432"
  split("31 28 31 30 31 30 31 31 30 31 30 31", md, " ")
  print "resident_id,name,household"
  y = 1950; m = 1; d = 1
  for (i = 0; i < n; i++) {
    if (i > 0 && i % 900 == 0) {
      d++
      leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
      if (d > md[m] + (m == 2 && leap)) { d = 1; m++ }
      if (m > 12) { m = 1; y++ }
    }
    s = sprintf("430424%04d%02d%02d%03d", y, m, d, i % 900 + 100)
    sum = 0
    for (j = 1; j <= 17; j++) sum += substr(s, j, 1) * w[j]
    print s substr(ck, sum % 11 + 1, 1) ",测试人员" i "," hh
  }
}
