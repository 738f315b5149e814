#!/usr/bin/env bash
# Starts the image archive without a Docker engine and ranks one request, as a container runtime would run it:
# the layers unpacked in order (whiteouts applied), the config's Env, User, WorkingDir and Entrypoint, in a
# chroot with its own mount and PID namespaces. What it proves beyond ImageArchiveIT: the JRE starts as the
# unprivileged user, the data dir is writable by it, and XGBoost loads with the image's libgomp (a ranked
# response with a model version and nothing degraded).
#   bash deploy/image/smoke.sh [target/ranker-image.tar] [port]   (health on port + 1, the management interface)
# Needs root (unshare, chroot, mount), python3 and curl. The heap is sized as in a 2 GiB container
# (JAVA_TOOL_OPTIONS=-XX:MaxRAM=2g, so the image's RAM percentages apply to 2 GiB rather than to the host).
set -euo pipefail
cd "$(dirname "$0")/../.."
archive="${1:-target/ranker-image.tar}"
port="${2:-18080}"
work=target/image-smoke
[ -f "$archive" ] || { echo "smoke: no image archive at $archive (mvn -B package -Pimage)" >&2; exit 2; }
rm -rf "$work"; mkdir -p "$work"
python3 - "$archive" "$work" <<'PY'
import io, json, os, shutil, sys, tarfile
archive, work = sys.argv[1], sys.argv[2]
root = os.path.join(work, "rootfs"); os.makedirs(root)
with tarfile.open(archive) as outer:
    manifest = json.load(outer.extractfile("manifest.json"))[0]
    config = json.load(outer.extractfile(manifest["Config"]))["config"]
    for layer in manifest["Layers"]:
        with tarfile.open(fileobj=io.BytesIO(outer.extractfile(layer).read())) as t:
            keep = []
            for m in t.getmembers():
                base = os.path.basename(m.name)
                if base.startswith(".wh."):
                    gone = os.path.join(root, os.path.dirname(m.name), base[4:])
                    if os.path.isdir(gone) and not os.path.islink(gone): shutil.rmtree(gone)
                    elif os.path.lexists(gone): os.remove(gone)
                elif not m.isdev():
                    keep.append(m)
            t.extractall(root, members=keep, numeric_owner=True)
with open(os.path.join(work, "env"), "w") as f:
    f.write("\n".join(config.get("Env", [])) + "\n")
with open(os.path.join(work, "run"), "w") as f:
    f.write(json.dumps({"user": config["User"], "dir": config.get("WorkingDir", "/"),
                        "cmd": config.get("Entrypoint", []) + (config.get("Cmd") or [])}))
PY
user=$(python3 -c "import json;print(json.load(open('$work/run'))['user'])")
dir=$(python3 -c "import json;print(json.load(open('$work/run'))['dir'])")
cmd=$(python3 -c "import json,shlex;print(shlex.join(json.load(open('$work/run'))['cmd']))")
mapfile -t env < "$work/env"
root="$(pwd)/$work/rootfs"
echo "smoke: starting the image as $user: $cmd (port $port)"
unshare --mount --pid --fork bash -c '
  mount --rbind /dev "$0/dev"; mount -t proc proc "$0/proc"
  exec chroot --userspec="$1" "$0" env -i "${@:4}" sh -c "cd $2 && exec $3"
' "$root" "$user" "$dir" "$cmd" "${env[@]}" QUARKUS_HTTP_PORT="$port" QUARKUS_MANAGEMENT_PORT="$((port + 1))" RANKING_CATALOG_DEMO_ITEMS=1000 \
  JAVA_TOOL_OPTIONS=-XX:MaxRAM=2g >"$work/service.log" 2>&1 &
runner=$!
# unshare ignores SIGTERM while it waits: stop the service itself (the namespace's first process), then unshare ends
stop() { for child in $(cat "/proc/$runner/task/$runner/children" 2>/dev/null); do kill "$child" 2>/dev/null || true; done
         wait "$runner" 2>/dev/null || true; }
trap stop EXIT
for _ in $(seq 1 120); do   # first start seeds a demo catalog and trains the demo model
  curl -fsS -m 2 "http://127.0.0.1:$((port + 1))/q/health/ready" >/dev/null 2>&1 && break
  kill -0 $runner 2>/dev/null || { tail -30 "$work/service.log" >&2; echo "smoke: the service exited" >&2; exit 1; }
  sleep 5
done
response=$(curl -fsS -m 30 "http://127.0.0.1:$port/v1/rank" -H 'Content-Type: application/json' \
  -d '{"surface":"search","userId":"u1","query":"running shoes","limit":5}')
python3 - "$response" "$root" "${user%%:*}" <<'PY'
import json, os, sys
r, root, uid = json.loads(sys.argv[1]), sys.argv[2], int(sys.argv[3])
assert len(r["items"]) == 5, r
assert r["degraded"] == [], "degraded: %s" % r["degraded"]
assert r["modelVersion"], "no model version: the demo model did not load (libgomp?)"
owners = {os.stat(os.path.join(root, "var/lib/ranker", f)).st_uid for f in os.listdir(os.path.join(root, "var/lib/ranker"))}
assert owners == {uid}, "data dir written by %s, not %d" % (owners, uid)
print("smoke: ranked 5 items with model %s, nothing degraded; data dir written by uid %d" % (r["modelVersion"], uid))
PY
