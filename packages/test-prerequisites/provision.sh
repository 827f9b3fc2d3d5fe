#!/usr/bin/env bash
# Installs the system packages the test suite needs, so that `pnpm test` works
# on a fresh Debian or Ubuntu machine with only Node.js: with apt-get as root,
# or through password-less sudo; otherwise it stops with the command to run.
# Silent when everything is there. Runs before `pnpm test` and in `.ci/run`.
set -euo pipefail

# One line per Debian package: the package, then what shows it is installed —
# commands on PATH or absolute paths, any one of them is enough. Adding a
# package is adding a line.
requirements=(
  "redis-server ${REDIS_SERVER_BIN:-redis-server}" # the Redis tests start their own servers
  "redis-tools ${REDIS_CLI_BIN:-redis-cli}"        # ... and build clusters with redis-cli
  "chromium ${CHROMIUM_BIN:-chromium}"             # the GUI's browser tests (apps/gui) launch it by its path
)

missing_packages() {
  local requirement package checks check found
  for requirement in "${requirements[@]}"; do
    read -r package checks <<<"$requirement"
    found=no
    for check in $checks; do
      if command -v "$check" >/dev/null 2>&1; then found=yes; fi
    done
    if [ "$found" = no ]; then printf '%s\n' "$package"; fi
  done
}

mapfile -t missing < <(missing_packages)
if [ "${#missing[@]}" -eq 0 ]; then exit 0; fi

install=(apt-get install -y --no-install-recommends "${missing[@]}")
instruction="sudo apt-get update && sudo ${install[*]}"
if ! command -v apt-get >/dev/null 2>&1; then
  echo "the tests need these Debian packages (or their equivalents on this system): ${missing[*]}" >&2
  exit 1
fi
if [ "$(id -u)" -eq 0 ]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  as_root=(sudo -n)
else
  echo "the tests need ${missing[*]}; install with: $instruction" >&2
  exit 1
fi

echo "installing ${missing[*]} for the tests" >&2
"${as_root[@]}" apt-get update -q
"${as_root[@]}" "${install[@]}"

mapfile -t still_missing < <(missing_packages)
if [ "${#still_missing[@]}" -gt 0 ]; then
  echo "apt-get install succeeded, but what these packages provide is still missing: ${still_missing[*]}" >&2
  exit 1
fi
