#!/usr/bin/env bash
# Run by Maven before the native build: fail at once, clearly, when a tool is missing.
set -u
fail() { echo "Panamax native build: $1" >&2; exit 1; }
command -v cmake >/dev/null 2>&1 || fail "cmake not found on PATH; install CMake >= 3.20 (Debian: apt-get install cmake)."
version=$(cmake --version | head -n1 | grep -oE '[0-9]+\.[0-9]+' | head -n1)
major=${version%%.*}; minor=${version#*.}
{ [ "$major" -gt 3 ] || { [ "$major" -eq 3 ] && [ "$minor" -ge 20 ]; }; } \
  || fail "cmake $version is too old; CMake >= 3.20 is needed."
cc=${CC:-cc}
command -v "$cc" >/dev/null 2>&1 || fail "no C compiler ('$cc') found; install gcc (Debian: apt-get install gcc) or set CC."
[ "$(uname -s)-$(uname -m)" = "Linux-x86_64" ] || fail "only Linux x86-64 is supported, this is $(uname -s)-$(uname -m)."
exit 0
