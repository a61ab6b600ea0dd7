#!/bin/sh
# Builds the C yardstick server outside git: <repo>/.build-yardstick/sse-yardstick (or $1).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-"$(dirname "$(dirname "$here")")/.build-yardstick/sse-yardstick"}
mkdir -p "$(dirname "$out")"
gcc -O2 -Wall -Wextra -o "$out" "$here/sse-yardstick.c"
echo "$out"
