#!/usr/bin/env bash
# Regenerates the FFM bindings in src/main/java from native/include/panamax.h with jextract.
# Only symbols declared in panamax.h itself are kept (nothing from system headers).
# jextract comes from $JEXTRACT_HOME/bin/jextract or PATH; it is in no package registry:
# build it from the openjdk/jextract repository (JDK 25 + libclang) and point JEXTRACT_HOME at it.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
header="$here/../native/include/panamax.h"
out="$here/src/main/java"
package=dev.panamax.bindings

if [ -n "${JEXTRACT_HOME:-}" ] && [ -x "$JEXTRACT_HOME/bin/jextract" ]; then
  jextract="$JEXTRACT_HOME/bin/jextract"
elif command -v jextract >/dev/null 2>&1; then
  jextract=$(command -v jextract)
else
  cat >&2 <<'MSG'
generate.sh: jextract not found (looked in $JEXTRACT_HOME/bin and on PATH).
Install it: build the openjdk/jextract repository with JDK 25 (it needs libclang,
e.g. Debian's libclang-16-dev), then set JEXTRACT_HOME to its install folder.
MSG
  exit 1
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Ask jextract for every symbol it sees, then keep those declared in panamax.h.
"$jextract" --dump-includes "$work/all.txt" "$header" >/dev/null
grep -E "header: .*/panamax\.h$" "$work/all.txt" | sed -E 's/[[:space:]]+#.*$//' > "$work/includes.txt"
[ -s "$work/includes.txt" ] || { echo "generate.sh: jextract found no symbols in $header" >&2; exit 1; }
mapfile -t args < <(tr -s ' ' '\n' < "$work/includes.txt" | grep -v '^$')

rm -rf "$out/${package//.//}"
"$jextract" --output "$out" --target-package "$package" --header-class-name panamax_h \
  "${args[@]}" "$header"
echo "generate.sh: wrote $(find "$out/${package//.//}" -name '*.java' | wc -l) files to ${out#"$here/"}/${package//.//}"
