#!/bin/sh
# Style checks run by `make test`: clang-format for C, ESLint for JavaScript.
set -eu
cd "$(dirname "$0")/.."
c_files=$(git ls-files '*.c' '*.h' | grep -v '^cpu/riscv/tests/isa/')  # the ISA suite's header is assembly
if [ -n "$c_files" ]; then
    # shellcheck disable=SC2086
    clang-format --dry-run -Werror $c_files
fi
npx --no-install eslint --max-warnings 0 .
echo "lint: ok"
