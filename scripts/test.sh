#!/usr/bin/env bash
# Runs every test of the solution. Installs what the tests need on a fresh Debian machine first.
# Usage: bash scripts/test.sh [extra dotnet test arguments]
set -euo pipefail
cd "$(dirname "$0")/.."

# The browser tests drive Debian's chromium through chromium-driver (fonts-noto-core: Urdu and Gujarati glyphs in
# the screenshots); installed only when missing.
if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
  sudo_cmd=""
  if [ "$(id -u)" -ne 0 ]; then sudo_cmd="sudo"; fi
  $sudo_cmd env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
  $sudo_cmd env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver fonts-noto-core >/dev/null
fi

# Services the tests need are installed and started here, so a fresh machine and CI run the same command.
# PostgreSQL: a private server of this run (own data folder, loopback, free port), stopped on exit; the
# PostgreSQL tests fail without UTENDAJI_TEST_POSTGRES rather than skip.
export UTENDAJI_PG_DIR
UTENDAJI_PG_DIR=$(mktemp -d "${TMPDIR:-/tmp}/utendaji-test-postgres.XXXXXX")
trap 'bash scripts/postgres.sh stop' EXIT
UTENDAJI_TEST_POSTGRES=$(bash scripts/postgres.sh start)
export UTENDAJI_TEST_POSTGRES

dotnet build Utendaji.sln -c Release --nologo -v quiet
log=$(mktemp)
set +e
dotnet test Utendaji.sln -c Release --no-build --nologo "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

# One closing line over all test projects, e.g. "tests: 120 passed, 0 failed, 1 skipped".
awk '
  /(Passed|Failed)! +- +Failed: / {
    gsub(/,/, "");
    for (i = 1; i <= NF; i++) {
      if ($i == "Failed:") f += $(i+1);
      if ($i == "Passed:") p += $(i+1);
      if ($i == "Skipped:") s += $(i+1);
    }
  }
  END { printf "tests: %d passed, %d failed, %d skipped\n", p, f, s }
' "$log"
rm -f "$log"
exit "$status"
