#!/usr/bin/env bash
# deploy/local/node.sh — crash drills on the one-machine topology of up.sh.
#
#   node.sh leader                       which member is primary (1, 2 or 3)
#   node.sh kill N [postgres] [patroni] [etcd]
#                                        SIGKILL those processes of member N (default: all three,
#                                        as a machine that loses power)
#   node.sh start N                      start member N's etcd and Patroni again (if not running):
#                                        it rejoins, a former primary as a replica (pg_rewind)
#   node.sh pids N                       the PIDs of member N's etcd, Patroni and PostgreSQL
#   node.sh partition N                  (HA_NETNS=1) cut member N off the network: its processes run
#                                        on, nobody reaches them and they reach nobody
#   node.sh heal N                       connect it again
set -euo pipefail
. "$(dirname "$0")/lib.sh"
cmd=${1:-}
node=${2:-}
case "$cmd" in
  leader)
    l=$(leader_node)
    [ -n "$l" ] || { echo "no primary" >&2; exit 1; }
    echo "$l"
    ;;
  kill)
    [[ "$node" =~ ^[123]$ ]] || die "usage: node.sh kill N [postgres] [patroni] [etcd]"
    shift 2
    what=("$@")
    [ ${#what[@]} -gt 0 ] || what=(postgres patroni etcd)
    # Find every PID first, then kill them together: nothing gets to react in between.
    pids=()
    for w in "${what[@]}"; do
      case "$w" in
        postgres) p=$(postmaster_pid "$node") && pids+=("$p") ;;
        patroni) alive "$(node_dir "$node")/patroni.pid" && pids+=("$(cat "$(node_dir "$node")/patroni.pid")") ;;
        etcd) alive "$(node_dir "$node")/etcd/etcd.pid" && pids+=("$(cat "$(node_dir "$node")/etcd/etcd.pid")") ;;
        *) die "unknown process $w (postgres, patroni, etcd)" ;;
      esac
    done
    [ ${#pids[@]} -gt 0 ] && kill -KILL "${pids[@]}" 2>/dev/null || true
    echo "${pids[*]}"
    ;;
  start)
    [[ "$node" =~ ^[123]$ ]] || die "usage: node.sh start N"
    start_etcd "$node"
    start_patroni "$node"
    ;;
  pids)
    [[ "$node" =~ ^[123]$ ]] || die "usage: node.sh pids N"
    d=$(node_dir "$node")
    echo "etcd $(alive "$d/etcd/etcd.pid" && cat "$d/etcd/etcd.pid" || echo -)"
    echo "patroni $(alive "$d/patroni.pid" && cat "$d/patroni.pid" || echo -)"
    echo "postgres $(postmaster_pid "$node" || echo -)"
    ;;
  partition | heal)
    [[ "$node" =~ ^[123]$ ]] || die "usage: node.sh $cmd N"
    [ "$HA_NETNS" = 1 ] || die "partitions need the topology in network namespaces (HA_NETNS=1 deploy/local/up.sh)"
    # The member's link to the bridge, down: packets to and from it are dropped, not refused, as
    # when a switch or a cable fails; its TCP connections hang until their peers give up on them.
    ip link set "$(link_name "$node")" "$([ "$cmd" = partition ] && echo down || echo up)"
    ;;
  *) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
