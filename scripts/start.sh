#!/usr/bin/env bash
# The first command: sets up a fresh Debian machine, builds Malchin and its
# web front end, creates the national demo register (once, with insurance
# contribution histories, cooperatives with their funds, reserves,
# distributions and trainings, and a demo account per role) and starts the
# server.
#   scripts/start.sh [--db FILE|URL] [--scale S] [--seed N] [--port P] [--no-serve]
# --db takes a path (the embedded SQLite register, the default) or a
# PostgreSQL URL (postgresql://user@host:port/db: an empty database an
# administrator created; the password from PGPASSWORD or ~/.pgpass).
set -euo pipefail
cd "$(dirname "$0")/.."
db="var/malchin.db"; scale=1; seed=1; port=8080; serve=1
while (($#)); do
  case "$1" in
    --db) db="$2"; shift 2 ;;
    --scale) scale="$2"; shift 2 ;;
    --seed) seed="$2"; shift 2 ;;
    --port) port="$2"; shift 2 ;;
    --no-serve) serve=0; shift ;;
    *) echo "start.sh: unknown option $1" >&2; exit 1 ;;
  esac
done
scripts/setup.sh
scripts/build.sh release
(cd web && npm ci --no-audit --no-fund --loglevel=error && npm run build --silent)
malchin=build/release/src/cli/malchin
mkdir -p "$(dirname "$db")"
# Demo accounts: one per role, and a second national officer ("checker") to
# approve what "national" prepares (maker-checker). Password = user name +
# "-demo"; change them with `malchin user reset-password` before real use.
accounts=(
  "admin admin"
  "national national_officer"
  "checker national_officer"
  "zavkhan aimag_officer 181"
  "tosontsengel soum_officer 18140"
  "analyst analyst"
  "auditor auditor"
)
# The demo register's contents: the register, insurance histories,
# cooperatives, accounts.
fill() {
  local target=$1
  "$malchin" generate --db "$target" --scale "$scale" --seed "$seed"
  "$malchin" insurance seed-demo --db "$target" --seed "$seed"
  "$malchin" coop seed-demo --db "$target" --seed "$seed"
  for a in "${accounts[@]}"; do
    read -r name role area <<<"$a"
    printf '%s\n' "$name-demo" |
      "$malchin" user add --db "$target" --username "$name" --role "$role" \
        ${area:+--area "$area"} >/dev/null
  done
}
if [[ "$db" == postgresql://* || "$db" == postgres://* ]]; then
  # PostgreSQL: generate each part once, in its own transaction; a run that
  # was interrupted is finished by running start.sh again.
  households=$("$malchin" init --db "$db" | sed -n 's/.*, \([0-9]*\) households.*/\1/p')
  if [[ "$households" == 0 ]]; then
    echo "start: generating the national demo register (scale $scale, seed $seed) into $db"
    "$malchin" generate --db "$db" --scale "$scale" --seed "$seed"
  fi
  # Each step refuses to run twice (exit 5: the ledger is not empty; 4: the
  # account exists), which is what a second run wants.
  tolerate() { "$@" || { rc=$?; [[ $rc == 4 || $rc == 5 ]] || exit $rc; }; }
  tolerate "$malchin" insurance seed-demo --db "$db" --seed "$seed" 2>/dev/null
  tolerate "$malchin" coop seed-demo --db "$db" --seed "$seed" 2>/dev/null
  for a in "${accounts[@]}"; do
    read -r name role area <<<"$a"
    printf '%s\n' "$name-demo" |
      tolerate "$malchin" user add --db "$db" --username "$name" \
        --role "$role" ${area:+--area "$area"} >/dev/null 2>&1
  done
elif [[ ! -f "$db" ]]; then
  echo "start: generating the national demo register (scale $scale, seed $seed) into $db"
  # Into a temporary file first: an interrupted run leaves no half register.
  rm -f "$db.partial"
  fill "$db.partial"
  mv "$db.partial" "$db"
fi
"$malchin" stats --db "$db" --by aimag
((serve)) || exit 0
echo
echo "Malchin: http://127.0.0.1:$port/   demo accounts (user / password):"
for a in "${accounts[@]}"; do
  read -r name role area <<<"$a"
  echo "  $name / $name-demo   ($role${area:+, area $area})"
done
# The herders' sign-in codes are hashed with a server secret kept outside
# the database (docs/herder.md): made once here, kept beside the register
# (readable by this user only), the same on every restart.
pepper_file="var/herder-pepper"
if [[ -z "${MALCHIN_HERDER_PEPPER:-}" ]]; then
  if [[ ! -s "$pepper_file" ]]; then
    mkdir -p var
    (umask 077; od -An -N32 -tx1 /dev/urandom | tr -d ' \n' >"$pepper_file")
  fi
  MALCHIN_HERDER_PEPPER=$(cat "$pepper_file")
  export MALCHIN_HERDER_PEPPER
fi
echo "  herders' own page: http://127.0.0.1:$port/herder.html"
exec "$malchin" serve --db "$db" --port "$port" --static web/dist
