# Sourced by bin/panamax, bin/test and .ci/run: finds a JDK >= 25 and exports JAVA_HOME.
# Order: $JAVA_HOME if it is one, then the usual JVM folders; fails with a clear message.

panamax_jdk_version() { # prints the feature version of the JDK at $1, or nothing
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 0
  "$1/bin/java" -XshowSettings:properties -version 2>&1 \
    | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n 1
}

panamax_find_jdk() {
  local candidate version
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/* /usr/java/* /opt/java/* /opt/jdk* /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -n "$candidate" ] && [ -d "$candidate" ] || continue
    version=$(panamax_jdk_version "$candidate")
    if [ -n "$version" ] && [ "$version" -ge 25 ]; then
      JAVA_HOME=$(cd "$candidate" && pwd -P)
      export JAVA_HOME
      return 0
    fi
  done
  echo "panamax: no JDK 25 or newer found (checked JAVA_HOME='${JAVA_HOME:-}' and /usr/lib/jvm, /usr/java, /opt)." >&2
  echo "panamax: install one (e.g. Eclipse Temurin 25) and set JAVA_HOME to it." >&2
  return 1
}

# Maven's own libraries touch sun.misc.Unsafe; keep JDK 25 from warning about it on every build.
export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
