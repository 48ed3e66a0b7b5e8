# Sourced by the benchmarks (bench/run, bench/ttfi): starts Orthanc and the gateway through
# bin/ohif-gateway-demo and nginx set up like OHIF's recipe, on free loopback ports, in front of
# the same Orthanc, and stops them on exit. Both servers answer plain HTTP/1.1 and HTTPS with
# HTTP/2 (ALPN) using one self-signed certificate, so their TLS costs are alike.
#
# The caller sets `project` (the checkout, also the working directory) and `samples` (DICOM
# files to load), then calls stack_start_gateway, stack_load_series and stack_start_nginx.
# Afterwards: work, password, auth, orthanc_url, orthanc_pid, payara_pid, nginx_pid(s),
# study, series, instances, series_path ($work/sops.txt), webroot, bundle and the URLs in `base`.
#
# stack_start_cluster (before stack_start_gateway, which then uses its first Orthanc node) starts
# bin/ohif-gateway-demo --cluster instead: HAProxy, two gateways, two Orthanc nodes on one
# PostgreSQL. Afterwards: cluster_auth, base[cluster], cluster_orthanc_url (node a) and the
# process ids cluster_gateway_pids, cluster_orthanc_pids, cluster_orthanc_a_pid, haproxy_pid,
# postgresql_pid.

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'bench/%s: %s\n' "${0##*/}" "$*" >&2; exit 1; }

need() { # COMMAND DEBIAN-PACKAGE
  command -v "$1" >/dev/null && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    say "Installing $2 (for $1)"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$2" >/dev/null || die "apt-get install $2 failed"
  else
    die "$1 is missing: install it (Debian: apt-get install $2)"
  fi
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# The first of COUNT free loopback ports in a row (the cluster demo takes the ports after the one given).
free_ports() { # COUNT
  python3 -c '
import random, socket, sys
for _ in range(200):
    first = random.randrange(20000, 40000)
    try:
        held = []
        for port in range(first, first + int(sys.argv[1])):
            s = socket.socket()
            s.bind(("127.0.0.1", port))
            held.append(s)
        print(first)
        break
    except OSError:
        pass
else:
    sys.exit("no free ports")' "$1"
}

need curl curl
need openssl openssl
need python3 python3-minimal
need nginx nginx-light
need keytool openjdk-17-jdk-headless

declare -A base

work='' demo_pid='' cluster_demo_pid='' nginx_pid=''
stack_stop() {
  local status=$?
  trap - EXIT INT TERM
  if [ -n "$nginx_pid" ]; then
    kill "$nginx_pid" 2>/dev/null || true
    wait "$nginx_pid" 2>/dev/null || true
  fi
  local pid
  for pid in $demo_pid $cluster_demo_pid; do
    # The demo script stops its Orthanc, Payara Micro (and the rest) on TERM and waits for them.
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  if [ -n "$work" ] && [ "$status" = 0 ] && [ -z "${BENCH_KEEP:-}" ]; then
    rm -rf "$work"
  elif [ -n "$work" ]; then
    echo "bench/${0##*/}: work directory kept: $work (logs: demo.log, demo/, nginx/, cluster.log, cluster/)" >&2
  fi
  exit "$status"
}
trap stack_stop EXIT
trap 'exit 130' INT TERM

# One certificate for both servers: a PKCS12 keystore for the gateway, PEM for nginx.
stack_certificate() {
  local password
  password=$(head -c 18 /dev/urandom | base64 | tr -d '+/=')
  mkdir -p "$work/tls"
  keytool -genkeypair -storetype PKCS12 -keystore "$work/tls/server.p12" -alias server -keyalg EC -groupname secp256r1 \
    -dname CN=localhost -ext SAN=dns:localhost,ip:127.0.0.1 -validity 2 \
    -storepass "$password" -keypass "$password" 2>/dev/null || die "keytool could not make a certificate"
  openssl pkcs12 -in "$work/tls/server.p12" -passin "pass:$password" -nokeys -out "$work/tls/server.crt" 2>/dev/null
  openssl pkcs12 -in "$work/tls/server.p12" -passin "pass:$password" -nocerts -nodes -out "$work/tls/server.key" 2>/dev/null
  [ -s "$work/tls/server.key" ] || die "openssl could not read the keystore"
  chmod 644 "$work/tls/server.crt" "$work/tls/server.key"
  export GATEWAY_KEYSTORE=$work/tls/server.p12 GATEWAY_KEYSTORE_PASSWORD=$password GATEWAY_KEY_ALIAS=server
}

stack_work_dir() {
  [ -z "$work" ] || return 0
  work=$(mktemp -d /tmp/ohif-gateway-bench.XXXXXX)
  # nginx workers run as nobody: they read the web root and the password file below.
  chmod 755 "$work"
}

# Waits for bin/ohif-gateway-demo's "running" line in LOG; prints the viewer's password.
stack_wait_demo() { # PID LOG
  local deadline=$((SECONDS + 900)) viewer_password
  until grep -q 'ohif-gateway is running' "$2"; do
    kill -0 "$1" 2>/dev/null || { tail -20 "$2" >&2; die "bin/ohif-gateway-demo failed; see $2"; }
    [ $SECONDS -lt $deadline ] || die "bin/ohif-gateway-demo did not get ready; see $2"
    sleep 1
  done
  viewer_password=$(sed -n 's/^ *viewer  *\([^ ]*\)  *reads studies.*/\1/p' "$2")
  [ -n "$viewer_password" ] || die "no viewer password in $2"
  printf '%s\n' "$viewer_password"
}

stack_start_cluster() {
  stack_work_dir
  local first lb_port grid_port stats_port pg_port orthanc_port dicom_port cluster_password
  # HAProxy and the two gateways, the grid's two ports, HAProxy's state page, PostgreSQL, two
  # Orthanc HTTP ports and two DICOM ports.
  first=$(free_ports 11) || die "no 11 free loopback ports in a row"
  lb_port=$first grid_port=$((first + 3)) stats_port=$((first + 5)) pg_port=$((first + 6))
  orthanc_port=$((first + 7)) dicom_port=$((first + 9))
  say "Starting HAProxy, two gateways and two Orthanc nodes on PostgreSQL with bin/ohif-gateway-demo --cluster (log: $work/cluster.log)"
  # Its own settings only: those of the single gateway started later must not reach it.
  (unset ORTHANC_URL
   DEMO_DIR=$work/cluster GATEWAY_PORT=$lb_port GRID_PORT=$grid_port LB_STATS_PORT=$stats_port \
   POSTGRESQL_PORT=$pg_port ORTHANC_HTTP_PORT=$orthanc_port ORTHANC_DICOM_PORT=$dicom_port \
     exec bin/ohif-gateway-demo --cluster) > "$work/cluster.log" 2>&1 &
  cluster_demo_pid=$!
  cluster_password=$(stack_wait_demo "$cluster_demo_pid" "$work/cluster.log")
  cluster_auth="Authorization: Basic $(printf 'viewer:%s' "$cluster_password" | base64 -w0)"
  base[cluster]=http://127.0.0.1:$lb_port
  cluster_orthanc_url=http://127.0.0.1:$orthanc_port
  # The demo's children: PostgreSQL's server, the Orthanc nodes, HAProxy and the gateways' start
  # commands (each the parent of its Payara Micro).
  postgresql_pid=$(pgrep -P "$cluster_demo_pid" -x postgres || true)
  haproxy_pid=$(pgrep -P "$cluster_demo_pid" -x haproxy || true)
  cluster_orthanc_pids=$(pgrep -d, -P "$cluster_demo_pid" -x Orthanc || true)
  cluster_gateway_pids=$(pgrep -d, -P "$cluster_demo_pid" java || true)
  cluster_orthanc_a_pid=$(pgrep -P "$cluster_demo_pid" -f "$work/cluster/orthanc-a/orthanc.json" || true)
  [ -n "$postgresql_pid" ] && [ -n "$haproxy_pid" ] && [ "${cluster_orthanc_pids//[^,]/}" = , ] \
    && [ "${cluster_gateway_pids//[^,]/}" = , ] && [ -n "$cluster_orthanc_a_pid" ] || die "the cluster's processes not found"
}

stack_start_gateway() {
  stack_work_dir
  stack_certificate
  local gateway_port gateway_https_port
  gateway_port=$(free_port)
  gateway_https_port=$(free_port)
  export GATEWAY_PORT=$gateway_port GATEWAY_HTTPS_PORT=$gateway_https_port
  export GATEWAY_BIND_ADDRESS=127.0.0.1
  export DEMO_DIR=$work/demo
  # Keep the audit trail of thousands of requests out of the home directory.
  export GATEWAY_AUDIT_FILE=$work/audit.%g.log
  if [ -z "${ORTHANC_URL:-}" ]; then
    export ORTHANC_HTTP_PORT; ORTHANC_HTTP_PORT=$(free_port)
    export ORTHANC_DICOM_PORT; ORTHANC_DICOM_PORT=$(free_port)
    orthanc_url=http://127.0.0.1:$ORTHANC_HTTP_PORT
  else
    orthanc_url=${ORTHANC_URL%/}
  fi
  say "Starting Orthanc and the gateway with bin/ohif-gateway-demo (log: $work/demo.log)"
  bin/ohif-gateway-demo > "$work/demo.log" 2>&1 &
  demo_pid=$!
  password=$(stack_wait_demo "$demo_pid" "$work/demo.log")
  auth="Authorization: Basic $(printf 'viewer:%s' "$password" | base64 -w0)"
  # The demo runs the start command, whose child is Payara Micro.
  local launcher_pid
  launcher_pid=$(pgrep -P "$demo_pid" java || true)
  payara_pid=$( [ -z "$launcher_pid" ] || pgrep -P "$launcher_pid" java || true)
  orthanc_pid=${ORTHANC_PID:-$(pgrep -P "$demo_pid" -x Orthanc || true)}
  [ -n "$payara_pid" ] || die "Payara Micro's process not found"
  base[direct]=$orthanc_url
  base[gateway]=http://127.0.0.1:$gateway_port
  base[gateway-tls]=https://127.0.0.1:$gateway_https_port
}

# Loads the sample files (if the folder exists) and picks the series with the most instances.
stack_load_series() {
  if [ -d "$samples" ]; then
    say "Loading $(ls "$samples"/*.dcm | wc -l) instances from $samples into Orthanc"
    for f in "$samples"/*.dcm; do
      curl -sf -o /dev/null -X POST --data-binary "@$f" "$orthanc_url/instances" || die "Orthanc refused $f"
    done
  else
    say "No $samples: using the generated demo studies"
  fi
  read -r study series instances < <(curl -sf "$orthanc_url/pacs/series?includefield=00201209" | python3 -c '
import json, sys
found = json.load(sys.stdin)
if not found:
    sys.exit("Orthanc holds no series")
best = max(found, key=lambda s: int(s["00201209"]["Value"][0]))
print(best["0020000D"]["Value"][0], best["0020000E"]["Value"][0], best["00201209"]["Value"][0])')
  say "Series under test: $series ($instances instances)"
  series_path=/pacs/studies/$study/series/$series
  curl -sf "$orthanc_url$series_path/instances" | python3 -c '
import json, sys
for i in json.load(sys.stdin):
    print(i["00080018"]["Value"][0])' > "$work/sops.txt"
}

# The workloads, as bench/measure.py arguments in `workload_args`.
accept_json='Accept: application/dicom+json'
accept_frames='Accept: multipart/related; type="application/octet-stream"; transfer-syntax=*'
accept_series='Accept: multipart/related; type="application/dicom"; transfer-syntax=*'
# The study list query OHIF 3.13 sends.
qido_path='/pacs/studies?limit=101&offset=0&fuzzymatching=false&includefield=00081030%2C00080060'
stack_workload_args() { # WORKLOAD BASE-URL CONNS [BODY-BYTES]
  local sop
  case $1 in
    qido) workload_args=(--mode duration --header "$accept_json" --url "$2$qido_path") ;;
    metadata) workload_args=(--mode burst --header "$accept_json" --header 'Accept-Encoding: gzip'
                             --url "$2$series_path/metadata") ;;
    # The metadata workload's request for a timed window: the gateway answers it from its cache.
    metadata-hot) workload_args=(--mode duration --header "$accept_json" --header 'Accept-Encoding: gzip'
                                 --url "$2$series_path/metadata") ;;
    frames) workload_args=(--mode duration --header "$accept_frames")
            while read -r sop; do workload_args+=(--url "$2$series_path/instances/$sop/frames/1"); done < "$work/sops.txt" ;;
    series) workload_args=(--mode curl --requests $(($3 * series_per_conn)) --header "$accept_series"
                           --url "$2$series_path") ;;
    static) workload_args=(--mode duration --header 'Accept-Encoding: gzip' --body-bytes "$4" --url "$2/$bundle") ;;
    *) die "no workload $1" ;;
  esac
}

# Every server must answer every workload before anything is measured.
stack_check_answers() { # NAME BASE-URL [HEADER]
  local check code sop
  sop=$(head -1 "$work/sops.txt")
  for check in "$qido_path|$accept_json" "$series_path/metadata|$accept_json" \
               "$series_path/instances/$sop/frames/1|$accept_frames" "$series_path|$accept_series"; do
    code=$(curl -s -o /dev/null -w '%{http_code}' ${3:+-H "$3"} -H "${check#*|}" "$2${check%%|*}")
    [ "$code" = 200 ] || die "$1 answered $code to ${check%%|*}"
  done
}

# nginx as in the recipe (bench/nginx.conf.template), with the viewer's files of the exploded
# WAR and the app-config.js the gateway serves the viewer user, so both run the same viewer.
stack_start_nginx() { # GZIP-LEVEL
  local orthanc_port nginx_port nginx_tls_port
  webroot=$project/target/ohif-gateway
  if [ ! -f "$webroot/index.html" ] || [ "$project/target/ohif-gateway.war" -nt "$webroot/index.html" ]; then
    webroot=$work/webroot
    mkdir -p "$webroot"
    python3 -m zipfile -e "$project/target/ohif-gateway.war" "$webroot"
  fi
  bundle=$(cd "$webroot" && ls app.bundle.*.js | head -1)
  [ -n "$bundle" ] || die "no app.bundle.*.js in $webroot"
  orthanc_port=$(sed -E 's#^https?://[^:/]+:?([0-9]*).*#\1#' <<<"$orthanc_url")
  orthanc_port=${orthanc_port:-80}
  nginx_port=$(free_port)
  nginx_tls_port=$(free_port)
  prefix=$work/nginx
  mkdir -p "$prefix"/tmp/{body,proxy,fastcgi,uwsgi,scgi} "$prefix/config"
  chmod 755 "$prefix" "$prefix/config"
  [ "$(id -u)" = 0 ] && chown -R nobody "$prefix/tmp"
  curl -sf -H "$auth" -o "$prefix/config/app-config.js" "${base[gateway]}/app-config.js" \
    || die "the gateway did not serve app-config.js"
  chmod 644 "$prefix/config/app-config.js"
  # apr1 (1000 rounds of MD5) is what htpasswd writes by default.
  printf 'viewer:%s\n' "$(openssl passwd -apr1 "$password")" > "$prefix/htpasswd"
  chmod 644 "$prefix/htpasswd"
  sed -e "s|@PREFIX@|$prefix|g; s|@PORT@|$nginx_port|g; s|@TLS_PORT@|$nginx_tls_port|g" \
      -e "s|@TLS@|$work/tls|g; s|@ORTHANC_PORT@|$orthanc_port|g" \
      -e "s|@GZIP_LEVEL@|$1|g; s|@WEBROOT@|$webroot|g" bench/nginx.conf.template > "$prefix/nginx.conf"
  nginx -q -t -p "$prefix" -c "$prefix/nginx.conf"
  say "Starting nginx on http://127.0.0.1:$nginx_port and https://127.0.0.1:$nginx_tls_port"
  nginx -p "$prefix" -c "$prefix/nginx.conf" -g 'daemon off;' > "$prefix/stdout.log" 2>&1 &
  nginx_pid=$!
  for _ in $(seq 50); do
    curl -s -o /dev/null "http://127.0.0.1:$nginx_port/" && break
    sleep 0.1
  done
  nginx_pids=$(printf '%s' "$nginx_pid"; for p in $(pgrep -P "$nginx_pid"); do printf ',%s' "$p"; done)
  base[nginx]=http://127.0.0.1:$nginx_port
  base[nginx-tls]=https://127.0.0.1:$nginx_tls_port
}

# One line each: the machine and the versions of the servers, for the reports.
stack_machine() {
  echo "$(nproc) CPUs, $(lscpu | sed -n 's/^Model name: *//p' | head -1), $(awk '/MemTotal/ {printf "%.1f GB RAM", $2 / 1048576}' /proc/meminfo), $(uname -sr)"
}
stack_versions() { # [GZIP-LEVEL of nginx, if it runs]
  local java_version payara_version orthanc_version dicomweb_version nginx_version=
  java_version=$(java -version 2>&1 | head -1)
  payara_version=$(grep -o 'Payara Micro [0-9][^ ]* ([^)]*)' "$work/demo/payara.log" | head -1 || true)
  orthanc_version=$(curl -sf "$orthanc_url/system" | python3 -c 'import json,sys; print(json.load(sys.stdin)["Version"])')
  dicomweb_version=$(curl -sf "$orthanc_url/plugins/dicom-web" | python3 -c 'import json,sys; print(json.load(sys.stdin)["Version"])')
  [ -z "${1:-}" ] || nginx_version="$(nginx -v 2>&1 | sed 's/^nginx version: //') (worker_processes auto = $(nproc), gzip_comp_level $1, access log on); "
  echo "Orthanc $orthanc_version with DICOMweb plugin $dicomweb_version; $nginx_version${payara_version:-Payara Micro} on $java_version"
}
