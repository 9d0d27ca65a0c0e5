#!/usr/bin/env bash
# End-to-end test of the web interface in a real browser against the real
# server:
#   1. builds the front end (web/dist; npm ci the first time),
#   2. generates a small register (Zavkhan at scale 0.2) into a temporary
#      database with its demo cooperatives (coop seed-demo) and creates one
#      account per role,
#   3. starts `malchin serve` on a free loopback port serving web/dist,
#   4. runs web/e2e/run.mjs (playwright-core driving Debian's chromium,
#      headless); screenshots go to web/e2e-artifacts/.
#
#   scripts/web_e2e.sh [--malchin PATH] [--chromium PATH] [--keep]
#                      [--only response,response_monitoring]
#   (--only: of the modules beside run.mjs, run just these)
#
# Needs: node >= 18 and npm (Debian: nodejs npm), chromium, and the malchin
# binary (default build/release/src/cli/malchin; MALCHIN_BIN also works).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
malchin="${MALCHIN_BIN:-$root/build/release/src/cli/malchin}"
chromium_bin="${CHROMIUM:-/usr/bin/chromium}"
keep=0
only=""
while (($#)); do
  case "$1" in
    --malchin) malchin="$2"; shift 2 ;;
    --chromium) chromium_bin="$2"; shift 2 ;;
    --keep) keep=1; shift ;;
    --only) only="$2"; shift 2 ;;
    *) echo "web_e2e.sh: unknown option $1" >&2; exit 1 ;;
  esac
done
for tool in node npm "$chromium_bin" "$malchin"; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "web_e2e.sh: $tool not found (Debian: apt-get install nodejs npm chromium;" \
         "build malchin with scripts/build.sh release)" >&2
    exit 1
  fi
done

echo "web_e2e: building the front end"
cd "$root/web"
if [[ ! -d node_modules ]] || [[ package-lock.json -nt node_modules/.package-lock.json ]]; then
  npm ci --no-audit --no-fund
fi
npm run build >/dev/null

work=$(mktemp -d "${TMPDIR:-/tmp}/malchin-web-e2e.XXXXXX")
server_pid=""
cleanup() {
  if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  if ((keep)); then echo "web_e2e: kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

db="$work/register.db"
echo "web_e2e: generating a register (Zavkhan, scale 0.2) into $db"
"$malchin" generate --db "$db" --aimag Zavkhan --scale 0.2 >"$work/generate.log"
"$malchin" coop seed-demo --db "$db" >>"$work/generate.log"

# One account per role; passwords go on stdin, never on the command line.
accounts="$work/accounts.json"
echo "{" >"$accounts"
sep=""
while read -r role area; do
  user="e2e_$role"
  password="pw-$role-$(od -An -N8 -tx8 /dev/urandom | tr -d ' ')"
  printf '%s\n' "$password" |
    "$malchin" user add --db "$db" --username "$user" --role "$role" --area "$area" >>"$work/users.log"
  printf '%s "%s": {"username": "%s", "password": "%s", "area_code": %s}\n' \
    "$sep" "$role" "$user" "$password" "$area" >>"$accounts"
  sep=","
done <<'EOF'
admin 0
national_officer 0
aimag_officer 181
soum_officer 18140
analyst 0
auditor 0
hotline_operator 0
gbv_focal_point 181
EOF
echo "}" >>"$accounts"

port=$(node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
echo "web_e2e: starting malchin serve on 127.0.0.1:$port"
# The herders' sign-in needs a pepper (docs/herder.md); herder.mjs reads the
# SMS from the outbox through the CLI on this database.
MALCHIN_HERDER_PEPPER="e2e-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')" \
"$malchin" serve --db "$db" --address 127.0.0.1 --port "$port" \
  --static "$root/web/dist" --workers 2 >"$work/server.log" 2>&1 &
export MALCHIN_E2E_BIN="$malchin" MALCHIN_E2E_DB="$db"
server_pid=$!
for _ in $(seq 1 100); do
  if node -e "fetch('http://127.0.0.1:$port/ready').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"; then
    break
  fi
  if ! kill -0 "$server_pid" 2>/dev/null; then
    echo "web_e2e: the server exited:" >&2; cat "$work/server.log" >&2; exit 1
  fi
  sleep 0.2
done

rm -rf "$root/web/e2e-artifacts"
status=0
node "$root/web/e2e/run.mjs" --base "http://127.0.0.1:$port" --accounts "$accounts" \
  --artifacts "$root/web/e2e-artifacts" --chromium "$chromium_bin" \
  ${only:+--only "$only"} || status=$?
if ((status != 0)); then
  echo "web_e2e: last server log lines:" >&2
  tail -n 20 "$work/server.log" >&2
fi
echo "web_e2e: screenshots in web/e2e-artifacts/"
exit "$status"
