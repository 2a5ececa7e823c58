#!/usr/bin/env bash
# Long local fuzzing of one target, outside Maven's test run (CI fuzzes each target for seconds).
# usage: src/test/fuzz/fuzz.sh TARGET SECONDS
#   TARGET: ElfRead, ElfEdit, MachORead, MachOEdit or PeRead (the *FuzzTest classes)
# Run it with nice on a shared machine. The corpus grows in target/fuzz-corpus/TARGET (kept across
# runs); findings land in target/fuzz-findings/. At the end libFuzzer prints
# stat::number_of_executed_units, the executions this run made. A finding worth keeping goes to
# src/test/resources/dev/pbstoolchain/binarypatcher/fuzz/<TARGET>FuzzTestInputs/, where every
# build replays it.
# READELF=false: ElfEdit's oracle leaves out its readelf -r judge (our own reader still checks the
# relocation tables), for many more executions per second; the default keeps it.
set -euo pipefail
cd "$(dirname "$0")/../../.."
target=${1:?target}
seconds=${2:-3600}
mkdir -p target
if ! ../mvnw -B -q -o test-compile dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile=target/fuzz-classpath.txt >target/fuzz-build.log 2>&1; then
  # Offline, a local repository that never ran the dependency plugin fails here: say so.
  echo "fuzz.sh: building the test classes and classpath failed, see target/fuzz-build.log" \
    "(offline: run ../mvnw -B dependency:build-classpath once online to fetch the plugin)" >&2
  exit 1
fi
corpus=target/fuzz-corpus/$target
mkdir -p "$corpus" target/fuzz-findings
exec java -Xmx1g -XX:+UseSerialGC -cp "target/test-classes:target/classes:$(cat target/fuzz-classpath.txt)" \
  -Dpbs.shared.dir="$(cd ../.. && pwd)/shared" -Dpbs.fuzz.readelf="${READELF:-true}" \
  com.code_intelligence.jazzer.Jazzer \
  --target_class="dev.pbstoolchain.binarypatcher.fuzz.${target}FuzzTest" \
  --instrumentation_includes='dev.pbstoolchain.binarypatcher.**' \
  --keep_going=100 \
  -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
  -artifact_prefix="target/fuzz-findings/$target-" "$corpus"
