#!/usr/bin/env bash
# Builds the base image of retrain-trigger's container image without Docker: a Debian bookworm root file
# system with a Java 17 runtime (mmdebstrap, from Debian's packages), made an OCI image (umoci) and pushed
# to a registry (skopeo). The application image (Jib, quarkus.jib.base-jvm-image) is built on it.
#
#   tools/image/build-base.sh DEST [WORKDIR]   (prints the pushed manifest's digest)
#     DEST     where skopeo copies the image, e.g. docker://localhost:5000/retrain-trigger-base:17
#     WORKDIR  scratch directory (default: a new temporary one, removed at the end)
# Environment: BASE_SUITE (bookworm), BASE_MIRROR (the machine's apt sources when empty),
#              DEST_TLS_VERIFY (true; false for a plain-HTTP registry such as the CI's).
#
# Why not a public JRE image: this machine reaches no image registry (Docker Hub, registry.access.redhat.com),
# only Debian's mirrors. The base holds what any JRE base holds, plus a passwd entry for the uid the image
# runs as (185, group 0; see quarkus.jib.user), so that the JVM has a user name and a home, and the data
# folder of the application's working directory, /home/jboss/data, owned by that user (group 0 may write too).
# Why the base makes data/: every layer of Jib's declares the working directory /home/jboss again, owned by
# root, the layer of src/main/jib (config/application.properties) last, so the working directory that Jib
# makes writable by uid 185 is no longer writable in the image; a folder below it that no layer declares
# keeps the base's owner.
set -euo pipefail
dest=${1:?usage: build-base.sh DEST [WORKDIR]}
suite=${BASE_SUITE:-bookworm}
mirror=${BASE_MIRROR:-}
if [[ -n "${2:-}" ]]; then work=$2; mkdir -p "$work"; else work=$(mktemp -d); trap 'rm -rf "$work"' EXIT; fi

arch=$(dpkg --print-architecture)
for tool in mmdebstrap umoci skopeo; do
  command -v "$tool" >/dev/null || { echo "build-base: $tool is missing (apt-get install mmdebstrap umoci skopeo)" >&2; exit 1; }
done

# 1. The root file system, as a tarball. --variant=apt: the Essential packages and apt, then the JRE; no
#    documentation, manual pages or locales (the JRE's postinst still needs the man1 folder); apt's lists and caches emptied (mmdebstrap's cleanup).
rootfs="$work/rootfs.tar"
mmdebstrap --quiet --variant=apt --mode=root \
  --include=openjdk-17-jre-headless,ca-certificates,tzdata \
  --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-exclude=/usr/share/man/*' \
  --dpkgopt='path-exclude=/usr/share/locale/*' --dpkgopt='path-include=/usr/share/doc/*/copyright' \
  --setup-hook='mkdir -p "$1/usr/share/man/man1"' \
  --customize-hook='echo "retrain:x:185:0:retrain-trigger:/home/jboss:/usr/sbin/nologin" >> "$1/etc/passwd"' \
  --customize-hook='mkdir -p "$1/home/jboss/data" && chown -R 185:0 "$1/home/jboss" && chmod 0775 "$1/home/jboss/data"' \
  --customize-hook='test -x "$1/usr/bin/java"' \
  "$suite" "$rootfs" ${mirror:+"$mirror"}

# 2. An OCI image of one layer, with the environment a JRE image has.
layout="$work/oci"
rm -rf "$layout"
umoci init --layout "$layout"
umoci new --image "$layout:base"
umoci raw add-layer --image "$layout:base" "$rootfs"
umoci config --image "$layout:base" \
  --config.env 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --config.env 'LANG=C.UTF-8' \
  --config.env "JAVA_HOME=/usr/lib/jvm/java-17-openjdk-$arch" \
  --config.cmd /bin/sh \
  --author retrain-trigger --os linux --architecture "$arch" \
  --config.label "org.opencontainers.image.description=Debian $suite, OpenJDK 17 JRE (retrain-trigger base)"
umoci gc --layout "$layout"

# 3. Into the registry; the manifest's digest, for a reproducible reference (NAME@sha256:...), in
#    WORKDIR/digest and on the last line printed.
skopeo copy --quiet --dest-tls-verify="${DEST_TLS_VERIFY:-true}" --digestfile "$work/digest" "oci:$layout:base" "$dest"
echo "build-base: pushed $dest ($(du -h "$rootfs" | cut -f1) root file system), digest:" >&2
cat "$work/digest"; echo
