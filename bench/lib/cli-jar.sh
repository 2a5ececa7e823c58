# Sourced by the bench scripts, from the repository root (not a bench itself: bench/run runs
# bench/*.sh only). cli_jar MODULE prints the absolute path of MODULE's -cli.jar, building it
# (offline, tests skipped) when MODULE/target holds none; returns 1 when that fails.
# cli_bench MODULE starts a bench of MODULE's CLI: JAR is that jar, WORK a scratch directory
# removed when the script exits.
cli_jar() {
  local jar
  jar=$(ls "$1"/target/"$1"-*-cli.jar 2>/dev/null | head -1 || true)
  if [ -z "$jar" ]; then
    ./mvnw -B -q -o -pl "$1" -DskipTests package >/dev/null || return 1
    jar=$(ls "$1"/target/"$1"-*-cli.jar | head -1) || return 1
  fi
  echo "$PWD/$jar"
}
cli_bench() {
  JAR=$(cli_jar "$1") || return 1
  WORK=$(mktemp -d)
  trap 'rm -rf "$WORK"' EXIT
}
