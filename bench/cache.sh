# Sourced by the benchmarks (bench/run, bench/ttfi) after bench/stack.sh: what measuring the
# gateway's metadata cache needs. Fresh studies as if just uploaded (copies of the study under
# test with new UIDs, made by Orthanc), waiting until Orthanc reports them stable and the gateway
# has computed their metadata ahead, the first request for them, the cache's counters, and the
# heap of the gateway's JVM once the cache is full.
#
# cache_settings goes before stack_start_gateway, cache_setup after stack_load_series.

# Orthanc reports a series stable this many seconds after its last instance (Orthanc's default is
# 60; only the wait is shorter, not what happens then).
cache_settings() {
  export ORTHANC_STABLE_AGE=${STABLE_AGE:-3}
}

cache_setup() {
  local admin_password
  admin_password=$(sed -n 's/^ *admin  *\([^ ]*\)  *everything.*/\1/p' "$work/demo.log")
  [ -n "$admin_password" ] || die "no admin password in $work/demo.log"
  cache_admin_auth="Authorization: Basic $(printf 'admin:%s' "$admin_password" | base64 -w0)"
  orthanc_patient=$(curl -sf -X POST -d "$study" "$orthanc_url/tools/lookup" | python3 -c '
import json, sys, urllib.request
study = next(r for r in json.load(sys.stdin) if r["Type"] == "Study")
print(json.load(urllib.request.urlopen(sys.argv[1] + "/studies/" + study["ID"]))["ParentPatient"])' "$orthanc_url") \
    || die "Orthanc does not find study $study"
}

# One counter of the health check "cache" (admins only): entries, bytes, limitBytes, hits,
# misses, evictions, precomputed, ...
cache_stat() { # NAME
  curl -sf -H "$cache_admin_auth" "${base[gateway]}/health/ready" | python3 -c '
import json, sys
check = next(c for c in json.load(sys.stdin)["checks"] if c["name"] == "cache")
print(check["data"][sys.argv[1]])' "$1"
}

# A copy of the study under test with new study, series and instance UIDs under a new patient
# (so that no kept answer of another study is touched), stored by Orthanc as an upload would be.
# Orthanc copies only at the patient's level with a new PatientID. Prints
# "STUDY-UID SERIES-UID ORTHANC-SERIES-ID".
cache_fresh_study() {
  local tag
  tag=BENCH$(date +%s%N)
  curl -sf -X POST -d "{\"Replace\": {\"PatientID\": \"$tag\", \"PatientName\": \"BENCH^$tag\"}, \"Force\": true}" \
      "$orthanc_url/patients/$orthanc_patient/modify" | python3 -c '
import json, sys, urllib.request
base = sys.argv[1]
get = lambda path: json.load(urllib.request.urlopen(base + path))
study = get("/studies/" + get("/patients/" + json.load(sys.stdin)["ID"])["Studies"][0])
series_id = study["Series"][0]
print(study["MainDicomTags"]["StudyInstanceUID"], get("/series/" + series_id)["MainDicomTags"]["SeriesInstanceUID"], series_id)
' "$orthanc_url" || die "Orthanc could not copy study $study"
}

# Waits until Orthanc reports every given series stable and then until the gateway has computed
# ahead PRECOMPUTED series in all (at most 120 s). Prints the seconds waited for each.
cache_wait_stable() { # PRECOMPUTED ORTHANC-SERIES-ID...
  local want=$1 started=$SECONDS id
  shift
  for id in "$@"; do
    until curl -sf "$orthanc_url/series/$id" | grep -q '"IsStable" *: *true'; do
      [ $((SECONDS - started)) -lt 120 ] || die "Orthanc did not report series $id stable within 120 s"
      sleep 0.2
    done
  done
  local stable_at=$SECONDS
  until [ "$(cache_stat precomputed)" -ge "$want" ]; do
    if [ $((SECONDS - stable_at)) -ge 120 ]; then
      say "The gateway has computed $(cache_stat precomputed) series ahead, not $want, 120 s after they were stable"
      break
    fi
    sleep 0.2
  done
  echo "stable after $((stable_at - started)) s, computed ahead after $((SECONDS - stable_at)) s more"
}

# The first request for a series' metadata (gzip, as OHIF asks) through one server: one JSON line.
cache_first_request() { # ROUND TARGET STUDY-UID SERIES-UID
  local h=()
  [ "$2" = direct ] || h=(-H "$auth")
  curl -s -o /dev/null -w '%{http_code} %{size_download} %{time_starttransfer} %{time_total}' "${h[@]}" \
      -H "$accept_json" -H 'Accept-Encoding: gzip' "${base[$2]}/pacs/studies/$3/series/$4/metadata" | python3 -c '
import json, sys
code, size, ttfb, total = sys.stdin.read().split()
round_, target, series = sys.argv[1:]
print(json.dumps({"round": round_, "workload": "first-metadata", "conns": "1", "target": target, "series": series,
                  "status": int(code), "bytes": int(size), "ttfb_ms": float(ttfb) * 1000, "total_ms": float(total) * 1000}))
' "$1" "$2" "$4"
}

# Heap in use after a full collection, in MB (jcmd on the gateway's Payara Micro JVM).
cache_heap_mb() {
  jcmd "$payara_pid" GC.run > /dev/null
  jcmd "$payara_pid" GC.heap_info | python3 -c '
import re, sys
m = re.search(r"total (\d+)K, used (\d+)K", sys.stdin.read())
print("%.1f %.1f" % (int(m.group(2)) / 1024, int(m.group(1)) / 1024))'
}

# Asks for the metadata of every series and study Orthanc holds, through each of the gateway's
# origins (each gets its own kept copy, with its own URLs), until the cache has had to drop
# answers for room or nothing is left to ask. Prints a summary line.
cache_fill() {
  local port tls origin_args url requests=0 series_uid study_uid
  port=${base[gateway]##*:}
  tls=${base[gateway-tls]##*:}
  local -a origins=("http://127.0.0.1:$port|" "http://localhost:$port|--resolve localhost:$port:127.0.0.1"
                    "https://127.0.0.1:$tls|" "https://localhost:$tls|--resolve localhost:$tls:127.0.0.1")
  while read -r study_uid series_uid; do
    for origin in "${origins[@]}"; do
      read -r -a origin_args <<<"${origin#*|}"
      for url in "/pacs/studies/$study_uid/series/$series_uid/metadata" "/pacs/studies/$study_uid/metadata"; do
        curl -sk -o /dev/null "${origin_args[@]}" -H "$auth" -H "$accept_json" -H 'Accept-Encoding: gzip' "${origin%%|*}$url"
        requests=$((requests + 1))
      done
    done
    [ "$(cache_stat evictions)" -eq 0 ] || break
  done < <(curl -sf "$orthanc_url/pacs/series?includefield=0020000D" | python3 -c '
import json, sys
for s in json.load(sys.stdin):
    print(s["0020000D"]["Value"][0], s["0020000E"]["Value"][0])')
  echo "$requests requests through 4 origins"
}
