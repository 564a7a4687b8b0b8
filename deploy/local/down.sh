#!/usr/bin/env bash
# deploy/local/down.sh [--keep] — stops the one-machine topology of up.sh (HAProxy, Patroni and
# PostgreSQL, etcd; its network namespaces and bridge with HA_NETNS=1) and deletes $HA_DIR, its
# data and passwords; --keep leaves the directory (logs, data) but not its topology.env.
# Only the processes whose PID files are under $HA_DIR, and PostgreSQL servers of its data
# directories, are stopped.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
keep=false
[ "${1:-}" = --keep ] && keep=true
[ -d "$HA_DIR" ] || { log "nothing at $HA_DIR"; exit 0; }

stop_pid "$HA_DIR/haproxy/haproxy.pid" TERM 10 || stop_pid "$HA_DIR/haproxy/haproxy.pid" KILL 5 || true
# Patroni stops its PostgreSQL on SIGTERM; all at once, so none waits for a failover to the others.
for i in "${NODES[@]}"; do alive "$(node_dir "$i")/patroni.pid" && kill -TERM "$(cat "$(node_dir "$i")/patroni.pid")" 2>/dev/null || true; done
for i in "${NODES[@]}"; do stop_pid "$(node_dir "$i")/patroni.pid" TERM 30 || stop_pid "$(node_dir "$i")/patroni.pid" KILL 5 || true; done
# A PostgreSQL left without its Patroni (Patroni killed in a drill) stops too: immediate shutdown.
for i in "${NODES[@]}"; do
  if pid=$(postmaster_pid "$i"); then
    kill -QUIT "$pid" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  fi
done
for i in "${NODES[@]}"; do stop_pid "$(node_dir "$i")/etcd/etcd.pid" TERM 10 || stop_pid "$(node_dir "$i")/etcd/etcd.pid" KILL 5 || true; done
[ "$HA_NETNS" = 1 ] && network_down

if $keep; then rm -f "$HA_DIR/topology.env"; log "stopped; data and logs kept in $HA_DIR"; else rm -rf "$HA_DIR"; log "stopped; $HA_DIR deleted"; fi
