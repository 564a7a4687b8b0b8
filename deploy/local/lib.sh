# Shared by up.sh, down.sh and node.sh: where the one-machine topology lives and how its processes
# are started, found and stopped. Sourced, not run.
#
# Everything is under $HA_DIR, on ports from $HA_BASE_PORT:
#   +0 HAProxy primary (read-write)   +1 HAProxy replicas (read-only)   +2 HAProxy stats page
#   +11..13 etcd clients   +21..23 etcd peers   +31..33 PostgreSQL   +41..43 Patroni REST API
# By default every member listens on 127.0.0.1. With HA_NETNS=1 (root) each member runs in a
# network namespace of its own, at its own address on a bridge ($HA_SUBNET.11 to .13), so that
# one member can be cut off the network (node.sh partition) while its processes run on; HAProxy
# stays on 127.0.0.1. The machine's own PostgreSQL (5432) and anything else already listening are
# never touched.

DEPLOY_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
HA_DIR=${HA_DIR:-${TMPDIR:-/tmp}/pmh-ha}
# A topology that is up says how it was made (up.sh writes it): node.sh and down.sh need no more.
if [ -r "$HA_DIR/topology.env" ]; then . "$HA_DIR/topology.env"; fi
HA_BASE_PORT=${HA_BASE_PORT:-25400}
HA_NETNS=${HA_NETNS:-0}
HA_SUBNET=${HA_SUBNET:-10.254.$(((HA_BASE_PORT / 50) % 250))}
HA_CLUSTER=${HA_CLUSTER:-pmh}
PG_BIN_DIR=${PG_BIN_DIR:-/usr/lib/postgresql/15/bin}
# Patroni's timing (see patroni.yml.template): shorter than its defaults (30/10/10) so a drill on
# one machine takes seconds, not a minute; loop_wait + 2 * retry_timeout <= ttl.
HA_TTL=${HA_TTL:-15}
HA_LOOP_WAIT=${HA_LOOP_WAIT:-3}
HA_RETRY_TIMEOUT=${HA_RETRY_TIMEOUT:-6}
NODES=(1 2 3)

primary_port() { echo $((HA_BASE_PORT)); }
replica_port() { echo $((HA_BASE_PORT + 1)); }
stats_port() { echo $((HA_BASE_PORT + 2)); }
etcd_client_port() { echo $((HA_BASE_PORT + 10 + $1)); }
etcd_peer_port() { echo $((HA_BASE_PORT + 20 + $1)); }
pg_port() { echo $((HA_BASE_PORT + 30 + $1)); }
api_port() { echo $((HA_BASE_PORT + 40 + $1)); }
node_name() { echo "pg$1"; }
node_dir() { echo "$HA_DIR/node$1"; }
# Network namespaces, bridge and links are named by the base port: several topologies may coexist.
netns_name() { echo "pmh${HA_BASE_PORT}n$1"; }
bridge_name() { echo "pmh${HA_BASE_PORT}br"; }
link_name() { echo "pmh${HA_BASE_PORT}l$1"; }
node_addr() { if [ "$HA_NETNS" = 1 ]; then echo "$HA_SUBNET.$((10 + $1))"; else echo 127.0.0.1; fi; }
# The ports this machine's loopback must have free (a member in its own namespace has its own).
all_ports() {
  primary_port; replica_port; stats_port
  [ "$HA_NETNS" = 1 ] && return 0
  for i in "${NODES[@]}"; do etcd_client_port "$i"; etcd_peer_port "$i"; pg_port "$i"; api_port "$i"; done
}
# The command prefix that runs something inside member N's namespace (none on loopback).
node_exec() { # NODE
  if [ "$HA_NETNS" = 1 ]; then NODE_EXEC=(ip netns exec "$(netns_name "$1")"); else NODE_EXEC=(); fi
}

log() { printf '[ha %s] %s\n' "$(date +%T)" "$*"; }
die() { printf 'ha: %s\n' "$*" >&2; exit 1; }

# PostgreSQL refuses to run as root: as root, Patroni (which runs PostgreSQL) runs as `postgres`.
if [ "$(id -u)" -eq 0 ]; then PG_USER=postgres; else PG_USER=$(id -un); fi

# Starts a command in its own session (a Ctrl-C of the caller does not reach it), stdin closed,
# output appended to LOG; the command itself writes its PID to PIDFILE before it becomes the
# command (so the PID is that of etcd, Patroni or HAProxy, not of a wrapper).
start_bg() { # PIDFILE LOG CMD...
  local pidfile=$1 logfile=$2
  shift 2
  setsid sh -c 'echo $$ > "$0"; exec "$@"' "$pidfile" "$@" </dev/null >>"$logfile" 2>&1 &
  for _ in $(seq 50); do [ -s "$pidfile" ] && return 0; sleep 0.1; done
  die "$* did not start (see $logfile)"
}

alive() { # PIDFILE
  [ -s "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null
}

# The postmaster of a node's data directory, if one runs (its PID is the first line of postmaster.pid).
postmaster_pid() { # NODE
  local f
  f="$(node_dir "$1")/data/postmaster.pid"
  [ -r "$f" ] || return 1
  local pid
  pid=$(head -n 1 "$f")
  kill -0 "$pid" 2>/dev/null && echo "$pid"
}

# Sends SIGNAL to the process of PIDFILE and waits up to SECONDS for it to end.
stop_pid() { # PIDFILE SIGNAL SECONDS
  alive "$1" || return 0
  local pid
  pid=$(cat "$1")
  kill "-$2" "$pid" 2>/dev/null || true
  for _ in $(seq $(($3 * 10))); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  return 1
}

http_status() { # URL
  curl -s -o /dev/null -m 2 -w '%{http_code}' "$1" || true
}

# Which member Patroni's REST API calls the primary (empty when none does).
leader_node() {
  for i in "${NODES[@]}"; do
    [ "$(http_status "http://$(node_addr "$i"):$(api_port "$i")/primary")" = 200 ] && { echo "$i"; return 0; }
  done
  return 0
}

etcd_endpoints() {
  local e=()
  for i in "${NODES[@]}"; do e+=("http://$(node_addr "$i"):$(etcd_client_port "$i")"); done
  (IFS=,; echo "${e[*]}")
}

start_etcd() { # NODE
  local i=$1 dir
  dir="$(node_dir "$i")/etcd"
  alive "$dir/etcd.pid" && return 0
  node_exec "$i"
  start_bg "$dir/etcd.pid" "$dir/etcd.log" "${NODE_EXEC[@]}" sh -c 'set -a; . "$0"; set +a; exec etcd' "$dir/etcd.env"
}

start_patroni() { # NODE
  local i=$1 dir
  dir=$(node_dir "$i")
  alive "$dir/patroni.pid" && return 0
  # Patroni (and PostgreSQL under it) as the PostgreSQL user, from a directory it may read.
  local cmd=(sh -c 'cd "$0" && echo $$ > patroni.pid && exec patroni patroni.yml' "$dir")
  [ "$(id -u)" -eq 0 ] && cmd=(runuser -u postgres -- "${cmd[@]}")
  node_exec "$i"
  setsid "${NODE_EXEC[@]}" "${cmd[@]}" </dev/null >>"$dir/patroni.log" 2>&1 &
  for _ in $(seq 50); do [ -s "$dir/patroni.pid" ] && return 0; sleep 0.1; done
  die "Patroni of node $i did not start (see $dir/patroni.log)"
}

# Waits until one member is primary, the other running members are streaming replicas, and one of
# them is the synchronous standby (without which, in strict synchronous mode, no commit returns).
wait_cluster() { # EXPECTED_MEMBERS SECONDS
  local want=$1 deadline=$((SECONDS + $2))
  while [ $SECONDS -lt $deadline ]; do
    local primary=0 replicas=0 sync=0
    for i in "${NODES[@]}"; do
      local api="http://$(node_addr "$i"):$(api_port "$i")"
      [ "$(http_status "$api/primary")" = 200 ] && primary=$((primary + 1))
      [ "$(http_status "$api/replica")" = 200 ] && replicas=$((replicas + 1))
      [ "$(http_status "$api/sync")" = 200 ] && sync=$((sync + 1))
    done
    if [ "$primary" -eq 1 ] && [ $((primary + replicas)) -ge "$want" ] && [ "$sync" -ge 1 ]; then return 0; fi
    sleep 1
  done
  return 1
}

# --- HA_NETNS=1: one network namespace per member, joined by a bridge ---------------------------

# The bridge in this (the root) namespace holds $HA_SUBNET.1, which HAProxy and the tools use;
# each member's namespace has a link to it (the root end named $(link_name N)) and its own
# loopback. Nothing is routed or forwarded: members and HAProxy share one layer-2 segment.
network_up() {
  local br
  br=$(bridge_name)
  ip link add "$br" type bridge
  ip addr add "$HA_SUBNET.1/24" dev "$br"
  ip link set "$br" up
  for i in "${NODES[@]}"; do
    local ns link
    ns=$(netns_name "$i")
    link=$(link_name "$i")
    ip netns add "$ns"
    ip link add "$link" type veth peer name eth0 netns "$ns"
    ip link set "$link" master "$br" up
    ip -n "$ns" addr add "$(node_addr "$i")/24" dev eth0
    ip -n "$ns" link set eth0 up
    ip -n "$ns" link set lo up
  done
}

# Deletes the namespaces (their links go with them) and the bridge; quiet about what is not there.
network_down() {
  for i in "${NODES[@]}"; do ip netns del "$(netns_name "$i")" 2>/dev/null || true; done
  ip link del "$(bridge_name)" 2>/dev/null || true
}
