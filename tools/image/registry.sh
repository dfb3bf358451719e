#!/usr/bin/env bash
# Starts a throw-away image registry for the CI (Debian's docker-registry package, distribution v2) in the
# background, with tools/image/registry.yml and its storage in DIR, and waits until it answers.
#   tools/image/registry.sh DIR [ADDR]    (ADDR default 127.0.0.1:5000)
# Prints the registry's process id; its log is DIR/registry.log.
set -euo pipefail
dir=${1:?usage: registry.sh DIR [ADDR]}
addr=${2:-127.0.0.1:5000}
command -v docker-registry >/dev/null || { echo "registry: docker-registry is missing (apt-get install docker-registry)" >&2; exit 1; }
mkdir -p "$dir/storage"
REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY="$dir/storage" REGISTRY_HTTP_ADDR="$addr" \
  setsid docker-registry serve "$(dirname "$0")/registry.yml" >"$dir/registry.log" 2>&1 < /dev/null &
pid=$!
for _ in $(seq 1 50); do
  if curl -fsS "http://$addr/v2/" >/dev/null 2>&1; then echo "$pid"; exit 0; fi
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.2
done
cat "$dir/registry.log" >&2
echo "registry: docker-registry did not answer on http://$addr/v2/" >&2
exit 1
