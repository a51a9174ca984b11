#!/bin/bash
# Builds the trimmed Java runtime shipped in /opt/has/jre (mvn -Pjlink package).
# Modules: what jdeps reports for the shaded jar (pgjdbc needs java.desktop, java.naming,
# java.security.jgss/sasl; jnr-ffi jdk.unsupported) plus jdk.crypto.ec for TLS.
# usage: jlink.sh OUTPUT_DIR
set -euo pipefail
out=$1
rm -rf "$out"
jlink_bin=${JAVA_HOME:+$JAVA_HOME/bin/}jlink
"$jlink_bin" --add-modules java.base,java.desktop,java.logging,java.management,java.naming,java.security.jgss,java.security.sasl,java.sql,java.xml,jdk.unsupported,jdk.crypto.ec,jdk.zipfs \
  --strip-debug --no-man-pages --no-header-files --compress=2 --output "$out"
"$out/bin/java" -Xshare:dump >/dev/null 2>&1 || true
echo "jlink: runtime in $out ($(du -sh "$out" | cut -f1))"
