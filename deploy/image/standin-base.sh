#!/usr/bin/env bash
# Builds a STAND-IN for the image's base (eclipse-temurin:25-jre) as a docker-archive tarball, for machines that
# cannot pull from a container registry (this project's CI among them). It is not the real base: a Debian
# minbase root file system plus a JRE linked (jlink) from a local Temurin 25 JDK under /opt/java/openjdk, with
# JAVA_HOME and PATH set as the Temurin images set them, and like the Temurin image it has no libgomp, so the
# image's own libgomp layer is what makes XGBoost load. It lets `-Pimage` and ImageArchiveIT run end to end:
#   bash deploy/image/standin-base.sh                       # -> target/standin-base.tar
#   mvn -B verify -Pimage -Dimage.base=tar://target/standin-base.tar
# Needs root (debootstrap), debootstrap, a Debian package mirror (the one apt uses here), and a JDK 25 (jlink).
set -euo pipefail
cd "$(dirname "$0")/../.."
out="${1:-target/standin-base.tar}"
jdk="${STANDIN_JDK:-/usr/lib/jvm/temurin-25-jdk-amd64}"
suite="${STANDIN_SUITE:-bookworm}"
mirror="${STANDIN_MIRROR:-$(sed -n 's/^URIs:[[:space:]]*//p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | grep -v security | head -1)}"
mirror="${mirror:-$(awk '$1 == "deb" && $0 !~ /security/ {print $2; exit}' /etc/apt/sources.list 2>/dev/null)}"
[ -n "$mirror" ] || { echo "standin-base: no Debian mirror found in apt's sources; set STANDIN_MIRROR" >&2; exit 2; }
[ -x "$jdk/bin/jlink" ] || { echo "standin-base: no JDK with jlink at $jdk; set STANDIN_JDK" >&2; exit 2; }
command -v debootstrap >/dev/null || { echo "standin-base: needs debootstrap (apt-get install debootstrap)" >&2; exit 2; }

work=target/standin-base
mkdir -p "$work"
if [ ! -f "$work/rootfs.done" ]; then   # debootstrap takes minutes: a finished root file system is reused
  rm -rf "$work/rootfs"
  echo "standin-base: debootstrap --variant=minbase $suite"
  debootstrap --variant=minbase "$suite" "$work/rootfs" "$mirror" >"$work/debootstrap.log" 2>&1 \
    || { tail -20 "$work/debootstrap.log" >&2; exit 1; }
  rm -rf "$work/rootfs/var/cache/apt/"* "$work/rootfs/var/lib/apt/lists/"* "$work/rootfs/dev/"* "$work/rootfs/proc/"* "$work/rootfs/sys/"*
  touch "$work/rootfs.done"
fi
rm -rf "$work/rootfs/opt/java"
if find "$work/rootfs" -name 'libgomp.so*' | grep -q .; then
  echo "standin-base: the root file system has libgomp; the real base does not, so the stand-in must not" >&2; exit 1
fi
echo "standin-base: jlink a JRE from $jdk"
modules="$("$jdk/bin/java" --list-modules | sed 's/@.*//' | grep -vxE 'jdk.jlink|jdk.jpackage' | paste -sd, -)"
"$jdk/bin/jlink" --add-modules "$modules" --strip-debug --no-man-pages --no-header-files --compress=zip-6 \
  --output "$work/rootfs/opt/java/openjdk"

echo "standin-base: packing $out"
tar --numeric-owner --sort=name --mtime=@0 -C "$work/rootfs" -cf "$work/layer.tar" .
diff_id="sha256:$(sha256sum "$work/layer.tar" | cut -d' ' -f1)"
version="$("$work/rootfs/opt/java/openjdk/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.runtime.version = //p')"
cat >"$work/config.json" <<JSON
{"architecture":"amd64","os":"linux","created":"1970-01-01T00:00:00Z",
 "config":{"Env":["JAVA_HOME=/opt/java/openjdk","PATH=/opt/java/openjdk/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin","LANG=C.UTF-8"],
           "Cmd":["jshell"],"Labels":{"io.ranker.standin":"Debian $suite minbase + jlink of Temurin $version; not eclipse-temurin:25-jre"}},
 "rootfs":{"type":"layers","diff_ids":["$diff_id"]}}
JSON
printf '[{"Config":"config.json","RepoTags":["ranker-standin/temurin:25-jre"],"Layers":["layer.tar"]}]\n' >"$work/manifest.json"
mkdir -p "$(dirname "$out")"
tar -C "$work" -cf "$out" manifest.json config.json layer.tar
rm -f "$work/layer.tar"
echo "standin-base: $out ($(du -h "$out" | cut -f1)), Java $version"
