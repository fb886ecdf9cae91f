#!/usr/bin/env bash
# t0006 — rule profiles: `rules show` with the built-in profiles, a
# deployment's overrides and their origins, and bad files refused with the
# key, value and allowed range. Expected numbers come from DOMAIN.md.
. "$(dirname "$0")/lib.sh"
# Run from a directory with no rules/ in it: the profiles are built in.
case $CORDON in /*) ;; *) CORDON=$PWD/$CORDON ;; esac
cd "$TMP" || exit 1
unset CORDON_RULES

# The default: v9 with no overrides (7 d central + 3 d monitoring).
run rules show
expect 0 "^KEY +VALUE +ORIGIN$" "header"
expect 0 "^profile +v9 +default$" "v9 by default"
expect 0 "^quarantine.close.central_days +7 +profile v9 \(rules/v9.rules:[0-9]+\)$" "v9 close: 7 central days, from the profile"
expect 0 "^quarantine.close.central_tests +1 2 3 5 7 +profile v9 " "v9 close: tests 1,2,3,5,7"
expect 0 "^quarantine.close.monitoring_days +3 " "v9 close: 3 days' monitoring"
expect 0 "^quarantine.secondary.home_days +7 " "v9 secondary: 7 d home"
expect 0 "^zones.high_to_medium_days +7 " "v9 high → medium after 7 days"
expect 0 "^codes.itinerary_star +no " "v9: no star"
check "every key listed" test "$(printf '%s\n' "$OUT" | grep -c '^venue\.')" = 54

run rules show --profile v8
expect 0 "^profile +v8 +--profile$" "--profile v8"
expect 0 "^quarantine.close.central_days +14 +profile v8 \(rules/v8.rules:[0-9]+\)$" "v8 close: 14 central days"
expect 0 "^quarantine.close.central_tests +1 4 7 14 " "v8 close: tests 1,4,7,14"
expect 0 "^quarantine.close.monitoring_tests +2 7 " "v8 monitoring tests 2,7"
expect 0 "^quarantine.secondary.central_days +7 " "v8 secondary: 7 d central"
expect 0 "^zones.three_zone +yes " "v8: three zones"
expect 0 "^codes.itinerary_star +yes " "v8: starred itinerary"
expect 0 "^checkpoint.fever_celsius +37.3 " "fever at 37.3"

run rules show --profile v9-20
expect 0 "^quarantine.close.home_tests +1 3 " "v9-20: home tests 1,3"
expect 0 "^quarantine.secondary.identified +no " "v9-20: no secondary contacts"
expect 0 "^zones.high_to_low_days +5 " "v9-20: high → low after 5 days"

# A deployment file: its profile, one override, the rest from the profile.
cat > deploy.rules <<'EOF'
# 衡南县 deployment
profile = v8

[tracing]
lookback_days = 4      # some places used 4 days
EOF
run rules show --rules deploy.rules
expect 0 "^profile +v8 +deploy.rules:2$" "profile named by the file"
expect 0 "^tracing.lookback_days +4 +deploy.rules:5$" "override and its origin"
expect 0 "^tracing.companion_minutes +10 +profile v8 \(rules/v8.rules:[0-9]+\)$" "others from the profile"
check "exactly one value from the file" test "$(printf '%s\n' "$OUT" | grep -c ' deploy.rules:')" = 2
CORDON_RULES=deploy.rules run rules show
expect 0 "^tracing.lookback_days +4 +deploy.rules:5$" "\$CORDON_RULES"
printf 'profile = v9\n' > other.rules
CORDON_RULES=other.rules run rules show --rules deploy.rules
expect 0 "^profile +v8 " "--rules wins over \$CORDON_RULES"
run rules show --rules deploy.rules --profile v9
expect 0 "^quarantine.close.central_days +7 " "--profile wins over the file's profile"
expect 0 "^tracing.lookback_days +4 +deploy.rules:5$" "the file's overrides on the other profile"
run rules show --rules deploy.rules --json
expect 0 '"profile": "v8"' "JSON profile"
expect 0 '"source": "deployment"' "JSON origin"
check "JSON value is a number" sh -c "printf '%s' \"\$1\" | tr -d ' \n' | grep -q '\"key\":\"tracing.lookback_days\",\"value\":4,'" _ "$OUT"

# --ini writes every value; read back, it gives the same rules.
"$CORDON" rules show --rules deploy.rules --ini > all.rules
run rules show --rules all.rules
expect 0 "^tracing.lookback_days +4 +all.rules:[0-9]+$" "--ini output loads"
a=$("$CORDON" rules show --rules deploy.rules | awk 'NR > 1 { print $1, $2 }')
b=$("$CORDON" rules show --rules all.rules | awk 'NR > 1 { print $1, $2 }')
check "--ini round trip" test "$a" = "$b"

# Bad files: exit 3, the file and line, the key, the value, the range.
bad() { # description, expected message, file content (printf format)
  printf "$3" > bad.rules
  run rules show --rules bad.rules
  expect 3 "" "$1"
  check "$1: message" test "$OUT" = "cordon: $2"
}
bad "out of range" "bad.rules:3: tracing.lookback_days value '40': must be 1 to 14" \
  'profile = v9\n[tracing]\nlookback_days = 40\n'
bad "malformed number" "bad.rules:3: zones.min_rounds value 'three': must be a whole number from 1 to 10" \
  'profile = v9\n[zones]\nmin_rounds = three\n'
bad "bad boolean" "bad.rules:3: codes.itinerary_star value 'on': must be yes or no" \
  'profile = v9\n[codes]\nitinerary_star = on\n'
bad "bad day list" "bad.rules:3: quarantine.close.central_tests value '1,2,3': '1,2,3' is not a whole number; must be days from 1 to 30 in increasing order, separated by spaces, or none" \
  'profile = v9\n[quarantine.close]\ncentral_tests = 1,2,3\n'
bad "test day past quarantine" "bad.rules:3: quarantine.close.central_tests value '1 2 3 5 8': day 8 is past quarantine.close.central_days (7); days must be 1 to 7" \
  'profile = v9\n[quarantine.close]\ncentral_tests = 1 2 3 5 8\n'
bad "unknown key" "bad.rules:3: unknown key 'pool' in [testing]: its keys are pool_size, pool_sizes" \
  'profile = v9\n[testing]\npool = 10\n'
bad "unknown section" "bad.rules:2: unknown section [test]: the sections are tracing, venue.KIND, quarantine.close, quarantine.secondary, quarantine.discharged, zones, testing, codes, checkpoint" \
  'profile = v9\n[test]\npool_size = 10\n'
bad "unknown profile" "bad.rules:1: profile value 'v7': must be one of v8, v9, v9-20" \
  'profile = v7\n'
bad "no profile" "bad.rules: missing key profile (at the top, before any section: profile = one of v8, v9, v9-20)" \
  '[tracing]\nlookback_days = 3\n'
bad "not key = value" "bad.rules:2: not a [section] or a key = value line" \
  'profile = v9\nlookback_days\n'
printf 'profile = v9\n[tracing]\nlookback_days = 2\0\n' > bad.rules
run rules show --rules bad.rules
expect 3 "^cordon: bad.rules:3: NUL byte" "NUL byte"

run rules show --profile v10
expect 3 "^cordon: unknown profile 'v10': must be one of v8, v9, v9-20$" "unknown --profile"
run rules show --rules missing.rules
expect 6 "^cordon: cannot open missing.rules: No such file or directory$" "missing file"
run rules show --bogus
expect 2 "unknown or incomplete option '--bogus'" "unknown option"
run rules list
expect 2 "^usage: cordon rules show" "unknown subcommand"
run rules show --json --ini
expect 2 "^usage: cordon rules show" "--json and --ini together"

finish
