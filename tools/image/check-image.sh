#!/usr/bin/env bash
# Checks the container image that Jib pushed (README "Deploy"), from the registry's HTTP API, without Docker:
#  1. the image configuration (config blob): a numeric non-root User, port 8080/tcp exposed, an Entrypoint
#     running the fast-jar with java, the WorkingDir, PATH in Env;
#  2. the layers (tar listings): WORKDIR/quarkus-run.jar, the application jar holding every routes/*.yaml of
#     this repository, WORKDIR/config/application.properties equal to this repository's application.properties,
#     the working directory owned by the image's user (so data/ can be made there), java on the image's PATH;
#  3. a run: the image's file system, unpacked (skopeo, umoci), runs its Entrypoint with its Env in its
#     WorkingDir as its User, in new mount and PID namespaces with the image as root (unshare; the host's
#     network, /dev, /etc/hosts, /etc/resolv.conf, as a container runtime gives them), until /q/health
#     answers UP; then data/ holds the generated admin password, owned by that user.
# Every check prints what it found; any failure makes the script exit non-zero.
#
#   tools/image/check-image.sh REGISTRY REPOSITORY TAG     e.g. localhost:5000 retrain-trigger 0.1.0-SNAPSHOT
# Environment: CHECK_RUN=false skips part 3 (then the script says so); RUN_PORT (a free port by default);
#              RUN_LOG (the run's output; target/image-check/run.log);
#              REGISTRY_SCHEME (http).
set -euo pipefail
registry=${1:?usage: check-image.sh REGISTRY REPOSITORY TAG}
repo=${2:?usage: check-image.sh REGISTRY REPOSITORY TAG}
tag=${3:?usage: check-image.sh REGISTRY REPOSITORY TAG}
scheme=${REGISTRY_SCHEME:-http}
root=$(cd "$(dirname "$0")/../.." && pwd)
for tool in curl jq tar unzip sha256sum; do
  command -v "$tool" >/dev/null || { echo "check-image: $tool is missing" >&2; exit 2; }
done
work=$(mktemp -d)
app_pid=
cleanup() {
  # unshare ignores SIGTERM while it waits; its child, the image's process (PID 1 of the namespace), stops on it.
  if [[ -n "$app_pid" ]]; then
    pkill -TERM -P "$app_pid" 2>/dev/null || true
    for _ in $(seq 1 30); do kill -0 "$app_pid" 2>/dev/null || break; sleep 1; done
    pkill -KILL -P "$app_pid" 2>/dev/null || true
    wait "$app_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

failures=0
ok() { echo "  ok    $*"; }
fail() { echo "  FAIL  $*"; failures=$((failures + 1)); }
check() { # check DESCRIPTION COMMAND...: ok when the command succeeds
  local what=$1; shift
  if "$@"; then ok "$what"; else fail "$what"; fi
}

api="$scheme://$registry/v2/$repo"
echo "check-image: $registry/$repo:$tag"

# ---- 1. manifest and configuration ----------------------------------------------------------------
curl -fsS -H 'Accept: application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json' \
  "$api/manifests/$tag" -o "$work/manifest.json" || { echo "check-image: no manifest at $api/manifests/$tag" >&2; exit 1; }
echo "manifest: $(jq -r '.mediaType // "(no mediaType)"' "$work/manifest.json"), $(jq '.layers | length' "$work/manifest.json") layers"
config_digest=$(jq -r '.config.digest' "$work/manifest.json")
curl -fsS "$api/blobs/$config_digest" -o "$work/config.json"
check "config blob matches its digest $config_digest" \
  test "sha256:$(sha256sum "$work/config.json" | cut -d' ' -f1)" = "$config_digest"
cfg() { jq -r "$1" "$work/config.json"; }

user=$(cfg '.config.User // ""')
uid=${user%%:*}
gid=0
[[ "$user" == *:* ]] && gid=${user#*:}
check "User '$user' is a numeric uid[:gid], not root" bash -c '[[ "$1" =~ ^[0-9]+$ && "$1" != 0 && "$2" =~ ^[0-9]+$ ]]' _ "$uid" "$gid"
ports=$(cfg '.config.ExposedPorts // {} | keys | join(",")')
check "ExposedPorts '$ports' holds 8080/tcp" bash -c '[[ ",$1," == *,8080/tcp,* ]]' _ "$ports"
workdir=$(cfg '.config.WorkingDir // ""')
check "WorkingDir '$workdir' is absolute" bash -c '[[ "$1" == /* ]]' _ "$workdir"
mapfile -t entrypoint < <(cfg '(.config.Entrypoint // [])[]')
mapfile -t cmd < <(cfg '(.config.Cmd // [])[]')
echo "  info  Entrypoint: ${entrypoint[*]:-(none)}; Cmd: ${cmd[*]:-(none)}"
jar_arg=
for i in "${!entrypoint[@]}"; do
  if [[ "${entrypoint[$i]}" == -jar ]]; then jar_arg=${entrypoint[$((i + 1))]:-}; fi
done
check "Entrypoint runs java -jar on the fast-jar's quarkus-run.jar (found '-jar ${jar_arg}')" \
  bash -c '[[ "$1" == java || "$1" == */java ]] && [[ "$2" == quarkus-run.jar || "$2" == "$3/quarkus-run.jar" ]]' _ "${entrypoint[0]:-}" "$jar_arg" "$workdir"
mapfile -t envs < <(cfg '(.config.Env // [])[]')
echo "  info  Env: ${envs[*]}"
path_env=
for e in "${envs[@]}"; do [[ "$e" == PATH=* ]] && path_env=${e#PATH=}; done
check "Env sets PATH ('$path_env')" test -n "$path_env"
java_home=
for e in "${envs[@]}"; do [[ "$e" == JAVA_HOME=* ]] && java_home=${e#JAVA_HOME=}; done

# ---- 2. layers -------------------------------------------------------------------------------------
wd=${workdir#/}
: > "$work/listing"
n=0
for digest in $(jq -r '.layers[].digest' "$work/manifest.json"); do
  n=$((n + 1))
  curl -fsS "$api/blobs/$digest" -o "$work/layer-$n"
  # GNU tar: "perms uid/gid size date time name[ -> target]"; names without a leading ./ or /
  tar --warning=no-unknown-keyword --numeric-owner -tvf "$work/layer-$n" | sed -E 's#^(\S+ \S+ +\S+ \S+ \S+ )(\./|/)?#\1#; s#$#\t'"$n"'#' >> "$work/listing"
done
echo "layers: $n, $(wc -l < "$work/listing") entries"
entry() { # entry PATH: the last listing line of PATH (later layers win)
  awk -v p="$1" -F'\t' '{ split($1, f, " "); name = f[6]; for (i = 7; i <= length(f); i++) name = name " " f[i]; sub(/ -> .*/, "", name); sub(/\/$/, "", name); if (name == p) last = $0 } END { if (last != "") print last }' "$work/listing"
}
extract() { # extract PATH DEST: the file from the last layer holding it
  local line layer
  line=$(entry "$1"); layer=${line##*$'\t'}
  [[ -n "$line" ]] && tar --warning=no-unknown-keyword -xOf "$work/layer-$layer" "$1" > "$2" 2>/dev/null || tar --warning=no-unknown-keyword -xOf "$work/layer-$layer" "./$1" > "$2" 2>/dev/null || tar --warning=no-unknown-keyword -xOf "$work/layer-$layer" "/$1" > "$2"
}
regular() { local l; l=$(entry "$1"); [[ "$l" == -* ]]; }

check "$workdir/quarkus-run.jar is a regular file" regular "$wd/quarkus-run.jar"
check "$workdir/lib/boot and lib/main hold jars" bash -c 'grep -q "$1/lib/boot/.*\.jar" "$2" && grep -q "$1/lib/main/.*\.jar" "$2"' _ "$wd" "$work/listing"
app_jar=$(awk -F'\t' '{ split($1, f, " "); print f[6] }' "$work/listing" | grep -E "^$wd/app/[^/]+\.jar$" | head -1 || true)
check "application jar in $workdir/app/ (${app_jar:-none})" test -n "$app_jar"
if [[ -n "$app_jar" ]]; then
  extract "$app_jar" "$work/app.jar"
  unzip -Z1 "$work/app.jar" > "$work/app-jar.list"
  routes=0 differ=0
  for r in "$root"/routes/*.yaml; do
    routes=$((routes + 1))
    name="routes/$(basename "$r")"
    if grep -qx "$name" "$work/app-jar.list" && unzip -p "$work/app.jar" "$name" | cmp -s - "$r"; then :; else
      echo "  info  $name of the repository is not in the application jar as it is"; differ=$((differ + 1))
    fi
  done
  check "the application jar holds the repository's $routes routes/*.yaml, byte for byte ($differ differ)" \
    test "$routes" -gt 0 -a "$differ" -eq 0
  check "the application jar holds application.properties (the built-in defaults)" grep -qx application.properties "$work/app-jar.list"
fi
conf="$wd/config/application.properties"
check "$workdir/config/application.properties is a regular file" regular "$conf"
if regular "$conf"; then
  extract "$conf" "$work/application.properties"
  check "$workdir/config/application.properties is this repository's application.properties" cmp -s "$work/application.properties" "$root/application.properties"
fi
data_line=$(entry "$wd/data")
echo "  info  $workdir/data: ${data_line%%$'\t'*}"
check "$workdir/data is a directory owned by uid $uid and writable by it" \
  bash -c '[[ "$1" == d?w* ]] && [[ "$(awk "{ print \$2 }" <<< "$1")" == "$2"/* ]]' _ "$data_line" "$uid"
java_found=
IFS=: read -ra path_dirs <<< "$path_env"
for d in "${path_dirs[@]}"; do
  [[ -n "$(entry "${d#/}/java")" ]] && { java_found="$d/java"; break; }
done
check "java on the image's PATH (${java_found:-not found})" test -n "$java_found"
if [[ -n "$java_home" ]]; then
  check "JAVA_HOME $java_home holds bin/java" test -n "$(entry "${java_home#/}/bin/java")"
fi

# ---- 3. run it -------------------------------------------------------------------------------------
if [[ "${CHECK_RUN:-true}" == false ]]; then
  echo "  SKIP  run (CHECK_RUN=false): the image was not started"
else
  for tool in skopeo umoci unshare; do command -v "$tool" >/dev/null || { fail "run: $tool is missing"; }; done
  bundle="$work/bundle"
  skopeo copy --quiet --src-tls-verify=$([[ "$scheme" == https ]] && echo true || echo false) \
    "docker://$registry/$repo:$tag" "oci:$work/oci:image"
  umoci unpack --image "$work/oci:image" "$bundle" > /dev/null
  rootfs="$bundle/rootfs"
  run_log=${RUN_LOG:-$root/target/image-check/run.log}
  mkdir -p "$(dirname "$run_log")"
  port=${RUN_PORT:-$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
  # The image's own environment only (env -i), plus the port: another service of this machine may hold 8080.
  mkdir -p "$rootfs/dev" "$rootfs/etc"
  touch "$rootfs/etc/hosts" "$rootfs/etc/resolv.conf"
  env -i "${envs[@]}" QUARKUS_HTTP_PORT="$port" \
    unshare --mount --pid --fork --kill-child --propagation private -- \
    /bin/sh -c 'r=$1 wd=$2 u=$3 g=$4; shift 4
      mount --rbind /dev "$r/dev" && mount --bind /etc/hosts "$r/etc/hosts" && mount --bind /etc/resolv.conf "$r/etc/resolv.conf" &&
      exec unshare --root="$r" --wd="$wd" --mount-proc -S "$u" -G "$g" -- "$@"' \
    sh "$rootfs" "$workdir" "$uid" "$gid" "${entrypoint[@]}" "${cmd[@]}" > "$run_log" 2>&1 &
  app_pid=$!
  up=
  for _ in $(seq 1 120); do
    if curl -fsS --max-time 5 "http://127.0.0.1:$port/q/health" 2>/dev/null | grep -q '"status": *"UP"'; then up=yes; break; fi
    kill -0 "$app_pid" 2>/dev/null || break
    sleep 1
  done
  if [[ -n "$up" ]]; then
    ok "run: the image's Entrypoint as uid $uid in $workdir answered /q/health UP on port $port"
    java_pid=$(pgrep -P "$(pgrep -P "$app_pid" | head -1)" | head -1 || true)
    [[ -n "$java_pid" ]] || java_pid=$(pgrep -P "$app_pid" | head -1)
    check "run: the process runs as uid $uid ($(awk '/^Uid:/ { print $2 }' "/proc/$java_pid/status" 2>/dev/null))" \
      bash -c '[[ "$(awk "/^Uid:/ { print \$2 }" "/proc/$1/status")" == "$2" ]]' _ "$java_pid" "$uid"
    check "run: routes started (log)" grep -Eq 'Routes startup \(total:[1-9][0-9]*' "$run_log"
    check "run: $workdir/data/admin-password written, owned by uid $uid" \
      bash -c '[[ -f "$1/data/admin-password" && "$(stat -c %u "$1/data/admin-password")" == "$2" ]]' _ "$rootfs$workdir" "$uid"
    check "run: the H2 store in $workdir/data" bash -c 'ls "$1"/data/retrain-trigger*.db >/dev/null 2>&1' _ "$rootfs$workdir"
  else
    fail "run: no /q/health UP within 120 s; its log:"
    sed 's/^/        /' "$run_log" | tail -40
  fi
fi

if [[ $failures -gt 0 ]]; then
  echo "check-image: $failures check(s) FAILED" >&2
  exit 1
fi
echo "check-image: every check passed"
