#!/usr/bin/env bash
# The long mode of the licence fuzz targets (CI fuzzes each for seconds in mvn verify):
#   license-aggregator/fuzz.sh [SECONDS=3600] [fullArchive|pythonJson]
# Jazzer's standalone driver on LicenceFuzzTest.fuzzerTestOneInput. The corpus grows in
# target/fuzz-corpus/TARGET; a finding is written beside the seeds in
# src/test/resources/dev/pbstoolchain/licenses/LicenceFuzzTestInputs/TARGET/ (crash-*), where
# mvn verify then runs it as a regression input: fix it and commit it.
set -euo pipefail
cd "$(dirname "$0")"
SECONDS_TO_RUN=${1:-3600}
TARGET=${2:-fullArchive}
../mvnw -B -q test-compile dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile=target/fuzz.classpath >/dev/null
CORPUS=target/fuzz-corpus/$TARGET
INPUTS=src/test/resources/dev/pbstoolchain/licenses/LicenceFuzzTestInputs/$TARGET
mkdir -p "$CORPUS"
exec java -Xmx1g -Dpbs.shared.dir="$(cd ../.. && pwd)/shared" -Dfuzz.target="$TARGET" \
  -cp "target/test-classes:target/classes:$(cat target/fuzz.classpath)" \
  com.code_intelligence.jazzer.Jazzer \
  --target_class=dev.pbstoolchain.licenses.LicenceFuzzTest \
  --instrumentation_includes='dev.pbstoolchain.licenses.**' \
  -max_total_time="$SECONDS_TO_RUN" -print_final_stats=1 \
  -artifact_prefix="$INPUTS/" "$CORPUS" "$INPUTS"
