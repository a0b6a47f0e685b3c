# Sourced by ./mvnw, ./firebreak and .ci/run: points JAVA_HOME at a JDK 21 or newer when the
# current one is older (these machines default to JDK 17; Firebreak targets Java 21).
firebreak_jdk_major() {
  [ -f "$1/release" ] || return 1
  sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release"
}
firebreak_saved_opts=$-
set +f
if [ -z "${JAVA_HOME:-}" ] || [ "$(firebreak_jdk_major "$JAVA_HOME" || echo 0)" -lt 21 ] 2>/dev/null; then
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-2[1-9]* /usr/lib/jvm/*-2[1-9]* /usr/lib/jvm/*; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] || continue
    major=$(firebreak_jdk_major "$candidate") || continue
    if [ -n "$major" ] && [ "$major" -ge 21 ]; then
      export JAVA_HOME="$candidate"
      break
    fi
  done
fi
case $firebreak_saved_opts in *f*) set -f ;; esac
# JDK 24+ warns when Maven's own libraries (Guice) use sun.misc.Unsafe; let them, quietly.
if [ "$(firebreak_jdk_major "${JAVA_HOME:-}" 2>/dev/null || echo 0)" -ge 24 ] 2>/dev/null; then
  case " ${MAVEN_OPTS:-} " in *unsafe-memory-access*) ;; *) export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow" ;; esac
fi
