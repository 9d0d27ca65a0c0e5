#!/usr/bin/env bash
# The first command: sets up a fresh Debian machine, builds Malchin, creates
# the national demo register (once) and starts the product.
#   scripts/start.sh [--db FILE] [--scale S] [--seed N]
set -euo pipefail
cd "$(dirname "$0")/.."
db="var/malchin.db"; scale=1; seed=1
while (($#)); do
  case "$1" in
    --db) db="$2"; shift 2 ;;
    --scale) scale="$2"; shift 2 ;;
    --seed) seed="$2"; shift 2 ;;
    *) echo "start.sh: unknown option $1" >&2; exit 1 ;;
  esac
done
scripts/setup.sh
scripts/build.sh release
malchin=build/release/src/cli/malchin
mkdir -p "$(dirname "$db")"
if [[ ! -f "$db" ]]; then
  echo "start: generating the national demo register (scale $scale, seed $seed) into $db"
  # Into a temporary file first: an interrupted run leaves no half register.
  rm -f "$db.partial"
  "$malchin" generate --db "$db.partial" --scale "$scale" --seed "$seed"
  mv "$db.partial" "$db"
fi
"$malchin" stats --db "$db" --by aimag
