#!/usr/bin/env bash
# Rebuilds data/passwords/common.txt, the list of common passwords and
# dictionary words that auth::CheckPasswordPolicy refuses (embedded in the
# binary; see docs/security.md). Sources, all shipped by Debian:
#   john-data  /usr/share/john/password.lst   Openwall's list of the most
#              common passwords (public domain)
#   wamerican  /usr/share/dict/american-english   SCOWL English words
#              (notice in data/passwords/README.md)
#   data/passwords/typed.txt   well-known and Mongolia-specific passwords
# Entries are lowercased; only those of 6 or more characters are kept (the
# policy needs 10 characters, of which at most 4 may be digits or symbols
# around a listed word). Needs: apt-get install john-data wamerican.
set -euo pipefail
cd "$(dirname "$0")/.."
john=${JOHN_LIST:-/usr/share/john/password.lst}
dict=${WORD_LIST:-/usr/share/dict/american-english}
for f in "$john" "$dict"; do
  [[ -r $f ]] || { echo "make_common_passwords: no $f (apt-get install john-data wamerican)" >&2; exit 1; }
done
out=data/passwords/common.txt
{
  echo "# Common passwords and words refused by the password policy; made by"
  echo "# scripts/make_common_passwords.sh (do not edit; edit typed.txt)."
  {
    grep -v '^#!comment' "$john"
    grep -E '^[A-Za-z]+$' "$dict"
    grep -v '^#' data/passwords/typed.txt
  } | sed 's/\r$//' | tr 'A-Z' 'a-z' | awk 'length($0) >= 6' | LC_ALL=C sort -u
} >"$out.tmp"
mv "$out.tmp" "$out"
echo "make_common_passwords: $(grep -vc '^#' "$out") entries in $out"
