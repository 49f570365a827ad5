#!/bin/sh
# The JVM build of presence-agent (Java 21 or later on the PATH, or JAVA=/path/to/java), for where the native
# executable is not built. Link it where the units expect the agent:
#   ln -s /opt/rollcall/presence-agent-<version>/bin/presence-agent /usr/local/bin/presence-agent
here=$(dirname "$(readlink -f "$0")")
exec "${JAVA:-java}" -jar "$here/../quarkus-app/quarkus-run.jar" "$@"
