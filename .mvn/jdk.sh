# Sourced by ./mvnw and ./firebreak (POSIX sh): points JAVA_HOME at a JDK 21 or newer when the
# current one is older or unset (these machines default to JDK 17; Firebreak targets Java 21), and
# stops with one line saying how to get one when there is none. It looks at JAVA_HOME, the java on
# the PATH, then the JDK folders in FIREBREAK_JDK_DIRS (default: /usr/lib/jvm, and macOS's).
firebreak_jdk_major() {
  [ -f "$1/release" ] || return 1
  sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release"
}
firebreak_is_jdk21() {
  [ -n "$1" ] && [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 1
  firebreak_major=$(firebreak_jdk_major "$1") || return 1
  [ -n "$firebreak_major" ] && [ "$firebreak_major" -ge 21 ] 2>/dev/null
}
# Prints the first JDK 21+ home among the PATH's java and the JDK folders (run in a subshell: globbing is switched on here).
firebreak_find_jdk21() {
  set +f
  path_java=$(command -v java 2>/dev/null || true)
  [ -z "$path_java" ] || path_java=$(readlink -f "$path_java" 2>/dev/null || echo "$path_java")
  if firebreak_is_jdk21 "${path_java%/bin/java}"; then echo "${path_java%/bin/java}"; return; fi
  for dir in ${FIREBREAK_JDK_DIRS:-/usr/lib/jvm /Library/Java/JavaVirtualMachines}; do
    for candidate in "$dir"/temurin-2[1-9]* "$dir"/*-2[1-9]* "$dir"/* "$dir"/*/Contents/Home; do
      firebreak_is_jdk21 "$candidate" && echo "$candidate" && return
    done
  done
  return 0
}
if ! firebreak_is_jdk21 "${JAVA_HOME:-}"; then
  firebreak_found=$(firebreak_find_jdk21)
  if [ -z "$firebreak_found" ]; then
    echo "Firebreak needs a JDK 21 or newer and found none (JAVA_HOME, java on the PATH, ${FIREBREAK_JDK_DIRS:-/usr/lib/jvm}): install one, e.g. sudo apt-get install openjdk-21-jdk or Temurin 21 from https://adoptium.net, or point JAVA_HOME at it (JAVA_HOME=/path/to/jdk-21 ./firebreak demo)." >&2
    exit 1
  fi
  export JAVA_HOME="$firebreak_found"
fi
# JDK 24+ warns when Maven's own libraries (Guice) use sun.misc.Unsafe; let them, quietly.
if [ "$(firebreak_jdk_major "$JAVA_HOME" 2>/dev/null || echo 0)" -ge 24 ] 2>/dev/null; then
  case " ${MAVEN_OPTS:-} " in *unsafe-memory-access*) ;; *) export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow" ;; esac
fi
