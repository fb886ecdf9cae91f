#!/usr/bin/env bash
# Rewrite the "Endpoints" section of docs/api.md from the route table, as
# served in the OpenAPI description (`cordon serve` on a scratch database).
# t0014 fails when a route is missing from the page: run this then.
set -euo pipefail
cd "$(dirname "$0")/.."
make -s release
TMP=$(mktemp -d /tmp/cordon-docs.XXXXXX)
trap 'kill $PID 2>/dev/null; rm -rf "$TMP"' EXIT
C=build/release/cordon
$C init --db "$TMP/d.db" >/dev/null
echo 'documentation-1' | $C user add doc --role admin --db "$TMP/d.db" >/dev/null
$C serve --db "$TMP/d.db" --listen 127.0.0.1:0 >"$TMP/out" 2>/dev/null &
PID=$!
for _ in $(seq 50); do grep -q serving "$TMP/out" && break; sleep 0.1; done
API=$(sed -n 's|.*serving \(http://[^/]*\)/.*|\1|p' "$TMP/out")
TOKEN=$(curl -s -X POST -H 'Content-Type: application/json' \
  -d '{"username":"doc","password":"documentation-1"}' "$API/api/v1/login" | jq -r .token)
curl -s -H "Authorization: Bearer $TOKEN" "$API/api/v1/openapi.json" >"$TMP/o.json"
jq -r '
  def fields: if . == null then "" else
    (.content["application/json"].schema.properties // {}) as $p
    | (.content["application/json"].schema.required // []) as $r
    | if ($p | length) == 0 then "Body: CSV (`Content-Type: text/csv`), imported all or nothing.\n\n"
      else "| body field | type | |\n| --- | --- | --- |\n" +
        ([$p | to_entries[] | "| `\(.key)`\(if (.key | IN($r[])) then " (required)" else "" end) | \(.value.type)\(if .value.format then " (" + .value.format + ")" else "" end) | \(.value.description // "" | gsub("\\|"; "/")) |"] | join("\n")) + "\n\n" end end;
  def params: [.parameters[] | select(.in == "query")] as $q
    | if ($q | length) == 0 then "" else
      "Query: " + ([$q[] | "`\(.name)`\(if .required then " (required)" else "" end)"] | join(", ")) + ".\n\n" end;
  .paths | to_entries[] | .key as $path | .value | to_entries[] |
  "### \(.key | ascii_upcase) \($path)\n\n\(.value.summary). Roles: \(.value["x-roles"] | if . == "" then "anyone" else . end).\(if (.value.description | test("Paginated")) then " Paginated." else "" end)\(if (.value.description | test("audit log")) then " Audited read." else "" end)\(if ([.value.parameters[] | select(.name == "unmask")] | length) > 0 then " Unmaskable." else "" end)\n\n" +
  (.value | params) + (.value.requestBody | fields) +
  ( (.value.responses | to_entries[0]) as $ok |
    "Reply \($ok.key):\n\n```json\n\($ok.value.content["application/json"].example // {} | tostring)\n```\n")
' "$TMP/o.json" >"$TMP/endpoints.md"
awk -v f="$TMP/endpoints.md" '
  /^## Endpoints/ { print; print ""; print "Made by scripts/api-docs.sh from the route table; each lists its roles,"; print "query parameters, body fields and an example reply."; print ""; while ((getline l < f) > 0) print l; skip = 1; next }
  skip && /^## / { skip = 0 }
  !skip { print }' docs/api.md >"$TMP/api.md"
mv "$TMP/api.md" docs/api.md
echo "docs/api.md: $(grep -c '^### ' docs/api.md) endpoints"
