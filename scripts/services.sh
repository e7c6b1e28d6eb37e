#!/usr/bin/env bash
# Brings up, reports on, or stops the four servers the CDC service is developed and tested
# against, without Docker:
#   PostgreSQL (wal_level=logical)   the machine's Debian cluster, reconfigured and restarted
#   MariaDB (row binlog, GTIDs)      the machine's server, reconfigured and restarted
#   Apache Kafka (KRaft, 1 broker)   jars from Maven Central, run from .services/
#   Apicurio Registry (ccompat API)  jars from Maven Central, run from .services/
#
# Usage: scripts/services.sh up|down|status [postgres|mariadb|kafka|apicurio ...]
# `up` is idempotent: a service that is already configured and healthy is left alone.
# `down` stops Kafka and Apicurio; the databases are the machine's own and keep running.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
here="$root/scripts/services"
state="${CDC_SERVICES_DIR:-$root/.services}"
logs="$state/logs"

KAFKA_PORT="${KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
APICURIO_PORT="${APICURIO_PORT:-8080}"
PGHOST="${PGHOST:-127.0.0.1}"
PGPORT="${PGPORT:-5432}"
PGUSER="${PGUSER:-postgres}"
PG_TEST_DB="${PG_TEST_DB:-cdc_test}"
MARIADB_HOST="${MARIADB_HOST:-127.0.0.1}"
MARIADB_PORT="${MARIADB_PORT:-3306}"
MARIADB_USER="${MARIADB_USER:-root}"
MARIADB_TEST_DB="${MARIADB_TEST_DB:-cdc_test}"
MARIADB_CONF_DIR="${MARIADB_CONF_DIR:-/etc/mysql/conf.d}"

say() { printf '[services] %s\n' "$*"; }
fail() {
  printf '[services] ERROR: %s\n' "$*" >&2
  exit 1
}
need() {
  command -v "$1" >/dev/null 2>&1 || fail "$1 not found: $2"
}

# Prints "pid N (command)" for whatever listens on a TCP port, or nothing.
port_owner() {
  ss -Hltnp "sport = :$1" 2>/dev/null | sed -n 's/.*users:((\("[^"]*"\),pid=\([0-9]*\).*/pid \2 (\1)/p' | head -1
}
port_in_use() { [ -n "$(ss -Hltn "sport = :$1" 2>/dev/null)" ]; }

pid_alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

node_bin() {
  if [ ! -x "$root/node_modules/.bin/node" ]; then
    say "node_modules missing: running npm ci"
    (cd "$root" && npm ci --no-fund --no-audit >/dev/null) || fail "npm ci failed; run it by hand to see why"
  fi
  printf '%s' "$root/node_modules/.bin/node"
}

mvn_resolve() {
  # $1 pom dir, $2 what (for messages), then the Maven goal and its flags
  local dir=$1 what=$2
  shift 2
  need mvn "install Maven (apt-get install maven)"
  need java "install a JDK 17 (apt-get install openjdk-17-jdk-headless)"
  local log
  log="$logs/mvn-$(basename "$dir").log"
  say "resolving $what from Maven Central (first run downloads, later runs are offline)"
  if ! mvn -B -q -f "$dir/pom.xml" "$@" >"$log" 2>&1; then
    if grep -qiE 'UnknownHost|Could not transfer|Connection refused|timed out' "$log"; then
      fail "Maven Central not reachable while resolving $what; check the network or the proxy in ~/.m2/settings.xml (log: $log)"
    fi
    fail "Maven could not resolve $what (log: $log)"
  fi
}

# ---------------------------------------------------------------- PostgreSQL
pg() { psql -X -q -v ON_ERROR_STOP=1 -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -d postgres -tA "$@"; }

pg_cluster() {
  need pg_lsclusters "install PostgreSQL from Debian's packages (postgresql-common)"
  pg_lsclusters -h | awk -v port="$PGPORT" '$3 == port { print $1, $2; exit }'
}

pg_start() {
  local cluster
  cluster=$(pg_cluster)
  [ -n "$cluster" ] || fail "no PostgreSQL cluster listens on port $PGPORT (pg_lsclusters shows none); create one with pg_createcluster"
  need pg_ctlcluster "install postgresql-common"
  # shellcheck disable=SC2086
  pg_ctlcluster --skip-systemctl-redirect $cluster "$1" >/dev/null
}

pg_wait() {
  for _ in $(seq 1 60); do
    pg -c 'select 1' >/dev/null 2>&1 && return 0
    sleep 0.5
  done
  fail "PostgreSQL on $PGHOST:$PGPORT does not accept connections as $PGUSER; see /var/log/postgresql/"
}

postgres_up() {
  need psql "install postgresql-client"
  if ! pg -c 'select 1' >/dev/null 2>&1; then
    say "PostgreSQL not answering on $PGHOST:$PGPORT: starting the cluster"
    pg_start start
  fi
  pg_wait
  local changed=0
  [ "$(pg -c 'show wal_level')" = logical ] || changed=1
  [ "$(pg -c 'show max_replication_slots')" -ge 20 ] || changed=1
  [ "$(pg -c 'show max_wal_senders')" -ge 20 ] || changed=1
  if [ "$changed" = 1 ]; then
    say "PostgreSQL: setting wal_level=logical, max_replication_slots=20, max_wal_senders=20 and restarting"
    pg -c "alter system set wal_level = 'logical'" \
      -c 'alter system set max_replication_slots = 20' \
      -c 'alter system set max_wal_senders = 20' >/dev/null
    pg_start restart
    pg_wait
    [ "$(pg -c 'show wal_level')" = logical ] || fail "PostgreSQL still reports wal_level=$(pg -c 'show wal_level') after a restart; check postgresql.auto.conf"
  fi
  if [ "$(pg -c "select count(*) from pg_database where datname = '$PG_TEST_DB'")" = 0 ]; then
    say "PostgreSQL: creating database $PG_TEST_DB"
    pg -c "create database \"$PG_TEST_DB\"" >/dev/null
  fi
  say "PostgreSQL ready: $PGHOST:$PGPORT, wal_level=logical, database $PG_TEST_DB"
}

postgres_status() {
  if ! pg -c 'select 1' >/dev/null 2>&1; then
    say "PostgreSQL: DOWN (no answer on $PGHOST:$PGPORT)"
    return 1
  fi
  local level
  level=$(pg -c 'show wal_level')
  if [ "$level" != logical ]; then
    say "PostgreSQL: NOT CONFIGURED (wal_level=$level; run: npm run services -- up)"
    return 1
  fi
  say "PostgreSQL: healthy ($(pg -c 'show server_version'), wal_level=logical, slots $(pg -c 'select count(*) from pg_replication_slots')/$(pg -c 'show max_replication_slots'))"
}

# ---------------------------------------------------------------- MariaDB
my() { mariadb -h "$MARIADB_HOST" -P "$MARIADB_PORT" -u "$MARIADB_USER" -N -B "$@"; }
my_var() { my -e "select @@global.$1"; }

mariadb_configured() {
  [ "$(my_var log_bin)" = 1 ] && [ "$(my_var binlog_format)" = ROW ] &&
    [ "$(my_var binlog_row_image)" = FULL ] && [ "$(my_var binlog_row_metadata)" = FULL ]
}

mariadb_wait() {
  for _ in $(seq 1 60); do
    my -e 'select 1' >/dev/null 2>&1 && return 0
    sleep 0.5
  done
  fail "MariaDB on $MARIADB_HOST:$MARIADB_PORT does not accept connections as $MARIADB_USER; see /var/log/mysql/error.log"
}

mariadb_start() {
  need mariadbd "install mariadb-server" 2>/dev/null || [ -x /usr/sbin/mariadbd ] || fail "mariadbd not found: install mariadb-server"
  mkdir -p /run/mysqld && chown mysql:mysql /run/mysqld 2>/dev/null || true
  start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd >/dev/null
}

mariadb_up() {
  need mariadb "install mariadb-client"
  if ! my -e 'select 1' >/dev/null 2>&1; then
    say "MariaDB not answering on $MARIADB_HOST:$MARIADB_PORT: starting it"
    mariadb_start
  fi
  mariadb_wait
  if ! mariadb_configured; then
    say "MariaDB: writing $MARIADB_CONF_DIR/60-cdc.cnf (row binlog, full image and metadata, GTIDs) and restarting"
    mkdir -p "$MARIADB_CONF_DIR"
    cp "$here/mariadb/60-cdc.cnf" "$MARIADB_CONF_DIR/60-cdc.cnf"
    # Debian's my.cnf includes conf.d; a trimmed one (as on this image) may not.
    if ! grep -qE "^\s*!includedir\s+$MARIADB_CONF_DIR/?\s*$" /etc/mysql/my.cnf 2>/dev/null; then
      printf '\n!includedir %s/\n' "$MARIADB_CONF_DIR" >>/etc/mysql/my.cnf
    fi
    mariadb-admin -h "$MARIADB_HOST" -P "$MARIADB_PORT" -u "$MARIADB_USER" shutdown
    for _ in $(seq 1 60); do
      pgrep -x mariadbd >/dev/null || break
      sleep 0.5
    done
    pgrep -x mariadbd >/dev/null && fail "MariaDB did not shut down within 30 s; stop it by hand and run up again"
    mariadb_start
    mariadb_wait
    mariadb_configured || fail "MariaDB restarted but the binlog settings did not take; check that /etc/mysql/my.cnf includes $MARIADB_CONF_DIR"
  fi
  my -e "create database if not exists \`$MARIADB_TEST_DB\`"
  say "MariaDB ready: $MARIADB_HOST:$MARIADB_PORT, binlog ROW/FULL/FULL, database $MARIADB_TEST_DB"
}

mariadb_status() {
  if ! my -e 'select 1' >/dev/null 2>&1; then
    say "MariaDB: DOWN (no answer on $MARIADB_HOST:$MARIADB_PORT)"
    return 1
  fi
  if ! mariadb_configured; then
    say "MariaDB: NOT CONFIGURED (log_bin=$(my_var log_bin), binlog_format=$(my_var binlog_format); run: npm run services -- up)"
    return 1
  fi
  say "MariaDB: healthy ($(my -e 'select version()'), binlog ROW, gtid $(my_var gtid_binlog_pos))"
}

# ---------------------------------------------------------------- Kafka
kafka_pid="$state/kafka.pid"
kafka_data="$state/kafka-data"

kafka_ready() { "$(node_bin)" --disable-warning=TimeoutNegativeWarning "$here/kafka-ready.ts" "127.0.0.1:$KAFKA_PORT" "${1:-2}" >/dev/null 2>&1; }

kafka_up() {
  if pid_alive "$kafka_pid" && kafka_ready 5; then
    say "Kafka already running: 127.0.0.1:$KAFKA_PORT (pid $(cat "$kafka_pid"))"
    return 0
  fi
  if port_in_use "$KAFKA_PORT" && kafka_ready 5; then
    # Another checkout (or the user) already runs a healthy broker there: use it.
    say "Kafka already running: 127.0.0.1:$KAFKA_PORT ($(port_owner "$KAFKA_PORT"), not started from this checkout)"
    return 0
  fi
  for port in "$KAFKA_PORT" "$KAFKA_CONTROLLER_PORT"; do
    if port_in_use "$port"; then
      fail "port $port is used by $(port_owner "$port"); stop it, or set KAFKA_PORT/KAFKA_CONTROLLER_PORT"
    fi
  done
  if [ ! -f "$here/kafka/target/lib/kafka_2.13-$(kafka_version).jar" ]; then
    mvn_resolve "$here/kafka" "Kafka $(kafka_version)" dependency:copy-dependencies -DincludeScope=runtime "-DoutputDirectory=$here/kafka/target/lib"
  fi
  mkdir -p "$kafka_data" "$logs"
  local props="$state/kafka-server.properties"
  sed -e "s#@DATA_DIR@#$kafka_data#" -e "s#@PORT@#$KAFKA_PORT#" -e "s#@CONTROLLER_PORT@#$KAFKA_CONTROLLER_PORT#" \
    "$here/kafka/server.properties.template" >"$props"
  local cp="$here/kafka/target/lib/*"
  local jvm=(-Xms256m -Xmx1g -XX:+UseG1GC -Djava.awt.headless=true "-Dkafka.logs.dir=$logs"
    "-Dlog4j2.configurationFile=$here/kafka/log4j2.properties")
  if [ ! -f "$kafka_data/meta.properties" ]; then
    say "Kafka: formatting $kafka_data"
    local cluster_id
    cluster_id=$("$(node_bin)" -e "process.stdout.write(require('node:crypto').randomBytes(16).toString('base64url'))")
    java "${jvm[@]}" -cp "$cp" kafka.tools.StorageTool format -t "$cluster_id" -c "$props" >"$logs/kafka-format.log" 2>&1 ||
      fail "Kafka storage format failed (log: $logs/kafka-format.log)"
  fi
  say "Kafka: starting broker on 127.0.0.1:$KAFKA_PORT (log: $logs/kafka.log)"
  nohup setsid java "${jvm[@]}" -cp "$cp" kafka.Kafka "$props" >"$logs/kafka.out" 2>&1 &
  echo $! >"$kafka_pid"
  if ! "$(node_bin)" --disable-warning=TimeoutNegativeWarning "$here/kafka-ready.ts" "127.0.0.1:$KAFKA_PORT" 90; then
    pid_alive "$kafka_pid" || fail "Kafka exited during start; last lines of $logs/kafka.out: $(tail -5 "$logs/kafka.out")"
    fail "Kafka did not answer a metadata request within 90 s (logs: $logs/kafka.log, $logs/kafka.out)"
  fi
  say "Kafka ready: 127.0.0.1:$KAFKA_PORT"
}

kafka_version() { sed -n 's#.*<kafka.version>\(.*\)</kafka.version>.*#\1#p' "$here/kafka/pom.xml"; }

kafka_status() {
  if pid_alive "$kafka_pid" && kafka_ready 5; then
    say "Kafka: healthy (127.0.0.1:$KAFKA_PORT, pid $(cat "$kafka_pid"), $(kafka_version))"
  elif port_in_use "$KAFKA_PORT" && kafka_ready 5; then
    say "Kafka: healthy (127.0.0.1:$KAFKA_PORT, $(port_owner "$KAFKA_PORT"), not started from this checkout)"
  elif port_in_use "$KAFKA_PORT"; then
    say "Kafka: port $KAFKA_PORT held by $(port_owner "$KAFKA_PORT"), which is not our broker or does not answer metadata"
    return 1
  else
    say "Kafka: DOWN"
    return 1
  fi
}

# ---------------------------------------------------------------- Apicurio
apicurio_pid="$state/apicurio.pid"
apicurio_url() { printf 'http://127.0.0.1:%s/apis/ccompat/v7' "$APICURIO_PORT"; }
apicurio_ready() { curl -fsS -m 2 "$(apicurio_url)/subjects" >/dev/null 2>&1; }

# Apicurio Registry 3.3 is compiled for Java 21; the machine's default java may be 17.
java_major() { "$1" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1; }
apicurio_java() {
  local candidate
  for candidate in ${APICURIO_JAVA_HOME:+"$APICURIO_JAVA_HOME/bin/java"} "$(command -v java)" /usr/lib/jvm/*/bin/java; do
    if [ -x "$candidate" ] && [ "$(java_major "$candidate")" -ge 21 ] 2>/dev/null; then
      printf '%s' "$candidate"
      return 0
    fi
  done
  fail "Apicurio Registry needs Java 21 or newer and none was found (default java: $(java_major java), /usr/lib/jvm: $(ls /usr/lib/jvm | tr '\n' ' ')); install a JDK 21+ or set APICURIO_JAVA_HOME"
}

apicurio_up() {
  need curl "install curl"
  if pid_alive "$apicurio_pid" && apicurio_ready; then
    say "Apicurio already running: $(apicurio_url) (pid $(cat "$apicurio_pid"))"
    return 0
  fi
  if apicurio_ready; then
    say "Apicurio already running: $(apicurio_url) ($(port_owner "$APICURIO_PORT"), not started from this checkout)"
    apicurio_set_backward
    return 0
  fi
  if port_in_use "$APICURIO_PORT"; then
    fail "port $APICURIO_PORT is used by $(port_owner "$APICURIO_PORT"); stop it, or set APICURIO_PORT"
  fi
  local app="$here/apicurio/target/apicurio"
  if [ ! -f "$app/quarkus-run.jar" ]; then
    mvn_resolve "$here/apicurio" "Apicurio Registry" dependency:unpack
  fi
  mkdir -p "$logs"
  local java_bin
  java_bin=$(apicurio_java)
  say "Apicurio: starting on 127.0.0.1:$APICURIO_PORT (log: $logs/apicurio.log)"
  # exec, so that the recorded pid is the JVM's own and `down` stops the registry itself.
  (cd "$app" && exec nohup setsid "$java_bin" -Xms128m -Xmx512m -Dquarkus.http.host=127.0.0.1 \
    "-Dquarkus.http.port=$APICURIO_PORT" -Dquarkus.log.console.enable=false \
    -Dquarkus.log.file.enable=true "-Dquarkus.log.file.path=$logs/apicurio.log" \
    -jar quarkus-run.jar >"$logs/apicurio.out" 2>&1) &
  echo $! >"$apicurio_pid"
  for _ in $(seq 1 120); do
    apicurio_ready && break
    pid_alive "$apicurio_pid" || fail "Apicurio exited during start; last lines of $logs/apicurio.out: $(tail -5 "$logs/apicurio.out")"
    sleep 0.5
  done
  apicurio_ready || fail "Apicurio did not answer within 60 s (log: $logs/apicurio.log)"
  apicurio_set_backward
  say "Apicurio ready: $(apicurio_url), global compatibility BACKWARD"
}

# Apicurio's global default is NONE; Confluent's, which clients expect, is BACKWARD.
apicurio_set_backward() {
  curl -fsS -m 5 -X PUT -H 'Content-Type: application/vnd.schemaregistry.v1+json' \
    -d '{"compatibility":"BACKWARD"}' "$(apicurio_url)/config" >/dev/null ||
    fail "could not set Apicurio's global compatibility to BACKWARD"
}

apicurio_status() {
  if apicurio_ready; then
    say "Apicurio: healthy ($(apicurio_url), global compatibility $(curl -fsS -m 2 "$(apicurio_url)/config" | sed -n 's/.*"compatibilityLevel":"\([A-Z_]*\)".*/\1/p'))"
  else
    say "Apicurio: DOWN"
    return 1
  fi
}

stop_pid() {
  # $1 pid file, $2 name
  if pid_alive "$1"; then
    local pid
    pid=$(cat "$1")
    say "stopping $2 (pid $pid)"
    kill -TERM "$pid"
    for _ in $(seq 1 60); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.5
    done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
  else
    say "$2 not running"
  fi
  rm -f "$1"
}

# ---------------------------------------------------------------- main
action="${1:-status}"
shift || true
services=("$@")
[ ${#services[@]} -gt 0 ] || services=(postgres mariadb kafka apicurio)
for s in "${services[@]}"; do
  case "$s" in
    postgres | mariadb | kafka | apicurio) ;;
    *) fail "unknown service '$s' (known: postgres mariadb kafka apicurio)" ;;
  esac
done
mkdir -p "$state" "$logs"

case "$action" in
  up)
    for s in "${services[@]}"; do "${s}_up"; done
    ;;
  status)
    rc=0
    for s in "${services[@]}"; do "${s}_status" || rc=1; done
    exit $rc
    ;;
  down)
    for s in "${services[@]}"; do
      case "$s" in
        kafka) stop_pid "$kafka_pid" Kafka ;;
        apicurio) stop_pid "$apicurio_pid" Apicurio ;;
        postgres | mariadb) say "$s is the machine's own server: left running" ;;
      esac
    done
    ;;
  *)
    fail "unknown action '$action'; use up, down or status"
    ;;
esac
