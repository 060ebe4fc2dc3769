#!/usr/bin/env bash
# Installs the Debian packages archivist needs to build, test and benchmark. Idempotent:
# with --if-missing it calls apt-get only when a package is not installed yet.
set -euo pipefail

packages=(
  build-essential cmake pkg-config git ca-certificates
  libgumbo-dev libcurl4-openssl-dev zlib1g-dev libbrotli-dev
  libsqlite3-dev libzstd-dev libspdlog-dev libfmt-dev libasio-dev
  libtomlplusplus-dev libcli11-dev nlohmann-json3-dev libsystemd-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  libcmark-gfm-dev libcmark-gfm-extensions-dev libcpp-httplib-dev  # the viewer (web/)
  python3 python3-jieba patch
  go-md2man                 # the man page, generated at build time from docs/archivist.1.md
  man-db groff-base zsh     # tests: the man page renders without warnings; zsh completion
  chromium  # the browser source and the web-mode tests (run sandboxed, as nobody under root)
  python3-feedparser fonts-noto-cjk  # viewer_cli_test: the Atom feeds; Chinese in screenshots
  python3-seccomp systemd  # unit_sandbox_test: the unit's filters emulated; systemd-analyze
  clang libclang-rt-dev
  libpq-dev postgresql  # the PostgreSQL archive (store/pg_store) and its tests' throwaway server
  libssl-dev  # SHA-256 of stored images (media/sha256.cc, OpenSSL EVP)
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ "${1:-}" = "--if-missing" ] && [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
