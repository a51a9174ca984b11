#!/bin/bash
# Builds vastbase-has-VER-REL.ARCH.rpm into BUILD_DIR with rpmbuild (called by `mvn package`, and by
# the RPM test for a second release).
# usage: build-rpm.sh BASEDIR BUILD_DIR VERSION RELEASE [JRE_DIR]
# Without rpmbuild it prints why and builds nothing (exit 0), unless HAS_RPM_REQUIRED=1.
set -euo pipefail
base=$1 build=$2 ver=$3 rel=$4 jre=${5:-}
if ! command -v rpmbuild >/dev/null 2>&1; then
  echo "build-rpm: rpmbuild not found (apt-get install rpm, or dnf install rpm-build): no RPM built" >&2
  [[ "${HAS_RPM_REQUIRED:-0}" == 1 ]] && exit 1
  exit 0
fi
work=$build/rpmbuild
rm -rf "$work"
stage=$work/stage
mkdir -p "$stage"/opt/has/{bin,lib} "$stage"/usr/lib/systemd/system "$stage"/etc/sysconfig "$stage"/etc/has \
  "$stage"/var/log/has "$work"/{BUILD,RPMS,SPECS,SRPMS,BUILDROOT}
install -m 0644 "$build/has-$ver.jar" "$stage/opt/has/lib/has.jar"
install -m 0644 "$build/has-extra.jar" "$stage/opt/has/lib/has-extra.jar"
install -m 0755 "$base/rpm/bin/has" "$base/rpm/bin/hasctl" "$stage/opt/has/bin/"
install -m 0755 "$base/scripts/cds-archive" "$stage/opt/has/bin/has-cds-archive"
install -m 0644 "$base/src/main/cds/has.classlist" "$base/src/main/cds/hasctl.classlist" "$stage/opt/has/lib/"
install -m 0644 "$base/src/main/cds/has.compile" "$stage/opt/has/lib/has.compile"
cp -r "$base/sql" "$stage/opt/has/sql"
install -m 0644 "$base/systemd/has.service" "$stage/usr/lib/systemd/system/has.service"
install -m 0640 "$base/sysconfig/vastbase-has" "$stage/etc/sysconfig/vastbase-has"
install -m 0640 "$base/rpm/has.yml" "$stage/etc/has/has.yml"
with_jre=0
target=()
if [[ -n "$jre" ]]; then
  cp -a "$jre" "$stage/opt/has/jre"
  with_jre=1
  target=(--target "$(uname -m)")
fi
rpmbuild --quiet -bb "${target[@]}" --define "_topdir $work" --define "stage $stage" --define "ver $ver" \
  --define "rel $rel" --define "with_jre $with_jre" --define "_rpmdir $work/RPMS" --define "_dbpath $work/rpmdb" \
  --define "_build_name_fmt %%{NAME}-%%{VERSION}-%%{RELEASE}.%%{ARCH}.rpm" "$base/rpm/has.spec"
for f in "$work"/RPMS/*.rpm; do
  cp "$f" "$build/"
  echo "build-rpm: wrote $build/$(basename "$f")"
done
