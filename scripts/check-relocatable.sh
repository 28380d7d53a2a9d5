#!/usr/bin/env bash
# Checks that an installed sgn runs on a machine without the Swift toolchain (used by `make test`
# on the binary `make install` installed; docs: README "Installing").
#
#   scripts/check-relocatable.sh BINARY
#
# 1. `ldd BINARY`: no library from the toolchain (no path under it, no libswift*, libFoundation*,
#    libdispatch, libBlocksRuntime), and every library it needs belongs to a Debian package.
# 2. The binary certifies the mini-toy with an empty environment (`env -i`: no LD_LIBRARY_PATH).
# 3. When a mount namespace is available (root, `unshare -m`): the same run with the toolchain's
#    library directory hidden under an empty tmpfs, as on a machine without Swift. Without one
#    this step is skipped with a note (steps 1 and 2 still run).
set -euo pipefail
bin=$(readlink -f "${1:?usage: $0 BINARY}")
root=$(cd "$(dirname "$0")/.." && pwd)
fail() { echo "check-relocatable: $bin: $*" >&2; exit 1; }

swiftc=$(command -v swiftc || command -v swift || true)
[ -n "$swiftc" ] || fail "no Swift toolchain on PATH to hide"
prefix=$(dirname "$(dirname "$(readlink -f "$swiftc")")")
[ -e "$prefix/lib/swift/linux/libswiftCore.so" ] || fail "no Swift runtime under $prefix/lib/swift/linux"
# A toolchain in its own prefix (/opt/swift/usr): hide its whole lib directory. One installed
# into /usr shares /usr/lib with the system: hide only its runtime directory lib/swift.
case "$prefix" in
  /usr|/) toolchain_lib=$prefix/lib/swift ;;
  *) toolchain_lib=$prefix/lib ;;
esac

deps=$(ldd "$bin") || fail "ldd failed"
if grep -F "$toolchain_lib" <<<"$deps" >&2; then fail "loads libraries from the toolchain ($toolchain_lib)"; fi
if grep -E 'libswift|libFoundation|lib_Foundation|libdispatch|libBlocksRuntime' <<<"$deps" >&2; then
  fail "needs Swift runtime libraries"
fi
if grep -F 'not found' <<<"$deps" >&2; then fail "a library is missing"; fi
for lib in $(awk '$2 == "=>" && $3 ~ /^\// {print $3}' <<<"$deps"); do
  real=$(readlink -f "$lib")
  dpkg -S "$lib" >/dev/null 2>&1 || dpkg -S "$real" >/dev/null 2>&1 || dpkg -S "${lib/#\/lib\//\/usr\/lib\/}" >/dev/null 2>&1 \
    || fail "$lib belongs to no Debian package"
done

expected='{"certificate":"sgn/1"'
out=$(cd / && env -i "$bin" certify "$root/examples/mini-toy.json") || fail "env -i run failed (exit $?)"
[[ "$out" == "$expected"* ]] || fail "env -i run printed no certificate"

if [ "$(id -u)" = 0 ] && unshare -m true 2>/dev/null; then
  out=$(cd / && unshare -m sh -c 'mount -t tmpfs tmpfs "$1" && shift && exec env -i "$@"' sh "$toolchain_lib" \
        "$bin" certify "$root/examples/mini-toy.json") || fail "run with $toolchain_lib hidden failed"
  [[ "$out" == "$expected"* ]] || fail "run with $toolchain_lib hidden printed no certificate"
  echo "check-relocatable: $bin runs with $toolchain_lib hidden (mount namespace); Debian libraries only" >&2
else
  echo "check-relocatable: $bin: no mount namespace here (needs root); checked ldd and env -i only" >&2
fi
