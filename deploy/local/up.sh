#!/usr/bin/env bash
# deploy/local/up.sh — the PMH production topology on ONE machine, on loopback ports: three etcd
# members, three PostgreSQL 15 members under Patroni (synchronous replication), HAProxy in front,
# and the PMH services' roles and databases. For drills and for `npm run test:ha`; on several
# machines the same templates are filled in per machine (deploy/README.md).
#
#   HA_DIR=/tmp/pmh-ha HA_BASE_PORT=25400 deploy/local/up.sh     (those are the defaults)
#   HA_NETNS=1 deploy/local/up.sh     (root: each member in a network namespace of its own, so that
#                                      node.sh partition can cut one off the network)
#   set -a; . /tmp/pmh-ha/pmh.env; set +a; npm run pmh -- serve hub ...
#   deploy/local/down.sh
#
# Needs: etcd, patroni, haproxy, PostgreSQL 15's server binaries, psql, curl (Debian:
# apt-get install -y patroni etcd-server etcd-client haproxy postgresql-15 curl). As root,
# Patroni and PostgreSQL run as the `postgres` user. The machine's own PostgreSQL is not touched.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
RENDER="$DEPLOY_DIR/bin/render-template"

[ -e "$HA_DIR/topology.env" ] && die "$HA_DIR holds a topology already (HA_DIR=$HA_DIR deploy/local/down.sh first)"
missing=()
for b in etcd etcdctl patroni patronictl haproxy psql pg_isready curl perl setsid; do command -v "$b" >/dev/null || missing+=("$b"); done
[ -x "$PG_BIN_DIR/postgres" ] || missing+=("$PG_BIN_DIR/postgres")
[ ${#missing[@]} -eq 0 ] || die "missing: ${missing[*]} (Debian: apt-get install -y patroni etcd-server etcd-client haproxy postgresql-15 curl)"
if [ "$(id -u)" -eq 0 ] && ! id postgres >/dev/null 2>&1; then die "running as root and there is no postgres user to run PostgreSQL as"; fi
if [ "$HA_NETNS" = 1 ]; then
  { [ "$(id -u)" -eq 0 ] && command -v ip >/dev/null; } || die "HA_NETNS=1 needs root and ip (iproute2)"
  ip link show "$(bridge_name)" >/dev/null 2>&1 && die "a bridge $(bridge_name) exists already: choose another HA_BASE_PORT"
  ip route | grep -q "^$HA_SUBNET\." && die "$HA_SUBNET.0/24 is in use here: set HA_SUBNET (three octets, e.g. 10.254.7)"
fi

for i in "${NODES[@]}"; do
  for f in "$(node_dir "$i")/etcd/etcd.pid" "$(node_dir "$i")/patroni.pid"; do alive "$f" && die "already running under $HA_DIR ($f); deploy/local/down.sh first"; done
done
for p in $(all_ports); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then die "port $p is in use: choose another HA_BASE_PORT (ports $HA_BASE_PORT to $((HA_BASE_PORT + 43)) are used)"; fi
done

# Whatever stops this script half-way, say how to stop what it started.
trap 'rc=$?; [ $rc -eq 0 ] || echo "ha: up.sh did not finish; HA_DIR=$HA_DIR $DEPLOY_DIR/local/down.sh stops what it started" >&2' EXIT
mkdir -p "$HA_DIR"
# The PostgreSQL user must reach its node directories inside.
chmod 755 "$HA_DIR"
# How this topology was made, for node.sh and down.sh (and for a down.sh after a failed up.sh).
cat >"$HA_DIR/topology.env" <<EOF
HA_BASE_PORT=$HA_BASE_PORT
HA_NETNS=$HA_NETNS
HA_SUBNET=$HA_SUBNET
HA_CLUSTER=$HA_CLUSTER
$(for i in "${NODES[@]}"; do echo "NODE${i}_ADDR=$(node_addr "$i")"; done)
EOF
if [ "$HA_NETNS" = 1 ]; then
  log "network: a namespace per member on bridge $(bridge_name), $HA_SUBNET.0/24"
  network_up
fi
random_secret() { head -c 18 /dev/urandom | od -An -tx1 | tr -d ' \n'; }
if [ ! -s "$HA_DIR/secrets.env" ]; then
  (
    umask 077
    cat >"$HA_DIR/secrets.env" <<EOF
PG_SUPERUSER_PASSWORD=$(random_secret)
PG_REPLICATION_PASSWORD=$(random_secret)
PG_REWIND_PASSWORD=$(random_secret)
RESTAPI_PASSWORD=$(random_secret)
PMH_HUB_DB_PASSWORD=$(random_secret)
PMH_IDSERVER_DB_PASSWORD=$(random_secret)
PMH_OQS_DB_PASSWORD=$(random_secret)
PMH_PORTAL_DB_PASSWORD=$(random_secret)
EOF
  )
fi
set -a
. "$HA_DIR/secrets.env"
set +a

# --- etcd: three members -------------------------------------------------------------------------
initial=''
for i in "${NODES[@]}"; do initial+="${initial:+,}pmh-etcd$i=http://$(node_addr "$i"):$(etcd_peer_port "$i")"; done
for i in "${NODES[@]}"; do
  dir="$(node_dir "$i")/etcd"
  mkdir -p "$dir"
  ETCD_NAME="pmh-etcd$i" ETCD_DATA_DIR="$dir/data" \
    ETCD_PEER_URL="http://$(node_addr "$i"):$(etcd_peer_port "$i")" ETCD_CLIENT_URL="http://$(node_addr "$i"):$(etcd_client_port "$i")" \
    ETCD_INITIAL_CLUSTER="$initial" ETCD_CLUSTER_TOKEN="pmh-$HA_BASE_PORT" \
    "$RENDER" "$DEPLOY_DIR/etcd/etcd.env.template" >"$dir/etcd.env"
  start_etcd "$i"
done
log "etcd: waiting for three healthy members"
for _ in $(seq 60); do
  ETCDCTL_API=3 etcdctl --endpoints="$(etcd_endpoints)" --dial-timeout=2s endpoint health >/dev/null 2>&1 && break
  sleep 1
done
ETCDCTL_API=3 etcdctl --endpoints="$(etcd_endpoints)" --dial-timeout=2s endpoint health >/dev/null 2>&1 || die "etcd did not become healthy (see $HA_DIR/node*/etcd/etcd.log)"

# --- PostgreSQL under Patroni: three members -----------------------------------------------------
hosts=''
# Who may connect: the members and HAProxy (on the bridge's address, or loopback).
if [ "$HA_NETNS" = 1 ]; then pg_network="$HA_SUBNET.0/24"; else pg_network=127.0.0.1/32; fi
for i in "${NODES[@]}"; do hosts+="${hosts:+,}$(node_addr "$i"):$(etcd_client_port "$i")"; done
for i in "${NODES[@]}"; do
  dir=$(node_dir "$i")
  mkdir -p "$dir"
  CLUSTER="$HA_CLUSTER" NODE_NAME="$(node_name "$i")" \
    RESTAPI_LISTEN="$(node_addr "$i"):$(api_port "$i")" RESTAPI_CONNECT="$(node_addr "$i"):$(api_port "$i")" \
    ETCD_HOSTS="$hosts" TTL="$HA_TTL" LOOP_WAIT="$HA_LOOP_WAIT" RETRY_TIMEOUT="$HA_RETRY_TIMEOUT" \
    PG_LISTEN="$(node_addr "$i"):$(pg_port "$i")" PG_CONNECT="$(node_addr "$i"):$(pg_port "$i")" \
    PG_DATA_DIR="$dir/data" PG_BIN_DIR="$PG_BIN_DIR" PG_PGPASS="$dir/pgpass" PG_SOCKET_DIR="$dir" \
    PG_NETWORK="$pg_network" PG_MAX_CONNECTIONS=200 PG_WAL_KEEP_SIZE=256MB WATCHDOG_MODE=off \
    "$RENDER" "$DEPLOY_DIR/patroni/patroni.yml.template" >"$dir/patroni.yml"
  chmod 600 "$dir/patroni.yml"
  chown "$PG_USER" "$dir" "$dir/patroni.yml"
done
# The first member bootstraps the cluster (initdb); the others clone it (pg_basebackup).
start_patroni 1
log "Patroni: waiting for $(node_name 1) to bootstrap the cluster"
for _ in $(seq 120); do [ "$(leader_node)" = 1 ] && break; sleep 1; done
[ "$(leader_node)" = 1 ] || die "$(node_name 1) did not become primary (see $(node_dir 1)/patroni.log)"
start_patroni 2
start_patroni 3
log "Patroni: waiting for two streaming replicas, one of them synchronous"
wait_cluster 3 180 || die "the replicas did not join (see $HA_DIR/node*/patroni.log)"

# --- HAProxy -------------------------------------------------------------------------------------
dir="$HA_DIR/haproxy"
mkdir -p "$dir"
(
  export HAPROXY_LOG='stdout format raw local0' HAPROXY_SOCKET="$dir/admin.sock" HAPROXY_BIND=127.0.0.1
  export HAPROXY_PRIVILEGES='# one-machine topology: runs as whoever started it'
  export HAPROXY_PRIMARY_PORT HAPROXY_REPLICA_PORT HAPROXY_STATS_PORT HAPROXY_SERVER_MAXCONN=300
  HAPROXY_PRIMARY_PORT=$(primary_port) HAPROXY_REPLICA_PORT=$(replica_port) HAPROXY_STATS_PORT=$(stats_port)
  for i in "${NODES[@]}"; do
    export "NODE${i}_NAME=$(node_name "$i")" "NODE${i}_PG=$(node_addr "$i"):$(pg_port "$i")" "NODE${i}_API_PORT=$(api_port "$i")"
  done
  "$RENDER" "$DEPLOY_DIR/haproxy/haproxy.cfg.template" >"$dir/haproxy.cfg"
)
haproxy -c -q -f "$dir/haproxy.cfg" || die "haproxy.cfg does not check (haproxy -c -f $dir/haproxy.cfg)"
start_bg "$dir/haproxy.pid" "$dir/haproxy.log" haproxy -db -f "$dir/haproxy.cfg"
# HAProxy counts every server up until its checks say otherwise (fall 2: a replica shows "UP 1/2"
# after its first failed check, still taking connections): wait until the primary is the one
# server up and the replicas are fully down.
log "HAProxy: waiting until it routes to the primary only"
routed=''
for _ in $(seq 30); do
  states=$({ curl -s -m 2 "http://127.0.0.1:$(stats_port)/;csv" || true; } | awk -F, '$1 == "pmh_primary" && $2 != "FRONTEND" && $2 != "BACKEND" { print $2 "=" $18 }' | sort | tr '\n' ' ')
  routed="$(node_name "$(leader_node)")=UP"
  expected=$(for i in "${NODES[@]}"; do n=$(node_name "$i"); if [ "$n=UP" = "$routed" ]; then echo "$n=UP"; else echo "$n=DOWN"; fi; done | sort | tr '\n' ' ')
  [ "$states" = "$expected" ] && break
  sleep 1
done
[ "$states" = "$expected" ] || die "HAProxy does not route to the primary only: $states (see http://127.0.0.1:$(stats_port)/)"

# --- the PMH services' roles and databases --------------------------------------------------------
PGHOST=127.0.0.1 PGPORT=$(primary_port) PGUSER=postgres PGPASSWORD=$PG_SUPERUSER_PASSWORD "$DEPLOY_DIR/bin/create-databases" >/dev/null
(
  umask 077
  {
    echo "# The PMH services' databases, through HAProxy's primary port (deploy/local/up.sh)."
    for s in hub idserver oqs portal; do
      var="PMH_$(echo "$s" | tr a-z A-Z)_DB_PASSWORD"
      echo "PMH_$(echo "$s" | tr a-z A-Z)_DATABASE_URL=postgres://pmh_$s:${!var}@127.0.0.1:$(primary_port)/pmh_$s"
    done
  } >"$HA_DIR/pmh.env"
)

log "up: primary $(node_name "$(leader_node)")"
patronictl -c "$(node_dir 1)/patroni.yml" list 2>/dev/null || true
cat <<EOF
PostgreSQL (read-write, the current primary)   127.0.0.1:$(primary_port)
PostgreSQL (read-only, the replicas)           127.0.0.1:$(replica_port)
HAProxy's view                                 http://127.0.0.1:$(stats_port)/
the services' database URLs                    $HA_DIR/pmh.env
passwords                                      $HA_DIR/secrets.env
patronictl                                     patronictl -c $(node_dir 1)/patroni.yml list
stop and delete everything                     HA_DIR=$HA_DIR deploy/local/down.sh
EOF
