#!/usr/bin/env bash
# Starts (or stops) the services the scaling tests need, on 127.0.0.1,
# without systemd, in a few seconds:
#   - PostgreSQL 15 from Debian (initdb + pg_ctl, run as the postgres user),
#   - a single-node Slurm (munged, slurmctld, slurmd) with a generated
#     slurm.conf (the machine's short name, cores and memory,
#     proctrack/linuxproc, task/none).
# Usage: .ci/services.sh start|stop|status
# State (data, logs, pids, slurm.conf) lives in $INFOLENS_SERVICES_DIR
# (default /tmp/infolens-services). `start` writes $DIR/env with
#   INFOLENS_TEST_PG=postgres://postgres@127.0.0.1:PORT/infolens
#   SLURM_CONF=$DIR/slurm/slurm.conf
# for the tests to read; a service that cannot start is left out of it and
# named in $DIR/missing. `stop` ends exactly the processes `start` began,
# by the pids they wrote.
set -uo pipefail
DIR=${INFOLENS_SERVICES_DIR:-/tmp/infolens-services}
PORT=${INFOLENS_PG_PORT:-55432}
PGBIN=${PGBIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}

log() { echo "services: $*" >&2; }

install_missing() {
  # CI installs what is missing; a developer without root gets a message.
  [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null || return 0
  local need=()
  [[ -x ${PGBIN:-/nonexistent}/initdb ]] || need+=(postgresql)
  command -v slurmctld >/dev/null || need+=(slurmctld slurmd slurm-client)
  command -v munged >/dev/null || need+=(munge)
  /usr/bin/python3 -c 'import psycopg2, optuna' 2>/dev/null ||
    need+=(python3-psycopg2 python3-optuna)
  if ((${#need[@]})); then
    log "installing ${need[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
      --no-install-recommends "${need[@]}" >/dev/null 2>&1 ||
      (apt-get update -q >/dev/null 2>&1 &&
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
          --no-install-recommends "${need[@]}" >/dev/null 2>&1) ||
      log "could not install ${need[*]}"
    PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  fi
}

start_pg() {
  if [[ ! -x ${PGBIN:-/nonexistent}/initdb ]]; then
    echo "PostgreSQL (no initdb under /usr/lib/postgresql/*/bin)" >>"$DIR/missing"
    return 1
  fi
  local as=()
  if [[ $(id -u) == 0 ]]; then
    as=(runuser -u postgres --)
    chown postgres "$DIR"
  fi
  if [[ ! -f $DIR/pg/PG_VERSION ]]; then
    "${as[@]}" "$PGBIN/initdb" -D "$DIR/pg" -A trust -U postgres \
      >"$DIR/initdb.log" 2>&1 || {
      echo "PostgreSQL (initdb failed, see $DIR/initdb.log)" >>"$DIR/missing"
      return 1
    }
  fi
  "${as[@]}" "$PGBIN/pg_ctl" -D "$DIR/pg" -l "$DIR/pg.log" -w -t 30 \
    -o "-p $PORT -k $DIR -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=off" \
    start >/dev/null 2>&1 || {
    echo "PostgreSQL (pg_ctl start failed, see $DIR/pg.log)" >>"$DIR/missing"
    return 1
  }
  head -n 1 "$DIR/pg/postmaster.pid" >"$DIR/pg.pid"
  "${as[@]}" "$PGBIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -qtAc \
    "SELECT 1 FROM pg_database WHERE datname = 'infolens'" postgres |
    grep -q 1 ||
    "${as[@]}" "$PGBIN/createdb" -h 127.0.0.1 -p "$PORT" -U postgres infolens
  echo "INFOLENS_TEST_PG=postgres://postgres@127.0.0.1:$PORT/infolens" >>"$DIR/env"
  log "PostgreSQL on 127.0.0.1:$PORT (pid $(cat "$DIR/pg.pid"))"
}

start_slurm() {
  if ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null; then
    echo "Slurm (slurmctld, slurmd, munge not installed)" >>"$DIR/missing"
    return 1
  fi
  if [[ $(id -u) != 0 ]]; then
    echo "Slurm (starting slurmd needs root)" >>"$DIR/missing"
    return 1
  fi
  local s=$DIR/slurm host cpus mem
  mkdir -p "$s/state" "$s/spool" /run/munge /var/log/munge /var/lib/munge /etc/munge
  chown munge:munge /run/munge /var/log/munge /var/lib/munge /etc/munge
  if [[ ! -s /etc/munge/munge.key ]]; then
    dd if=/dev/urandom bs=1 count=1024 of=/etc/munge/munge.key 2>/dev/null
    chown munge:munge /etc/munge/munge.key
    chmod 400 /etc/munge/munge.key
  fi
  runuser -u munge -- /usr/sbin/munged --pid-file=/run/munge/munged.pid \
    >"$s/munged.log" 2>&1 || {
    echo "Slurm (munged did not start, see $s/munged.log)" >>"$DIR/missing"
    return 1
  }
  cp /run/munge/munged.pid "$DIR/munged.pid"
  host=$(hostname -s)
  cpus=$(nproc)
  mem=$(($(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1024 - 512))
  cat >"$s/slurm.conf" <<EOF
ClusterName=infolens
SlurmctldHost=$host
SlurmUser=root
SlurmctldPort=${INFOLENS_SLURMCTLD_PORT:-56817}
SlurmdPort=${INFOLENS_SLURMD_PORT:-56818}
AuthType=auth/munge
StateSaveLocation=$s/state
SlurmdSpoolDir=$s/spool
SlurmctldPidFile=$s/slurmctld.pid
SlurmdPidFile=$s/slurmd.pid
SlurmctldLogFile=$s/slurmctld.log
SlurmdLogFile=$s/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=none
ReturnToService=2
SchedulerType=sched/backfill
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
NodeName=$host CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP OverSubscribe=NO
EOF
  export SLURM_CONF=$s/slurm.conf
  slurmctld -f "$s/slurm.conf" -i >>"$s/slurmctld.out" 2>&1 &&
    slurmd -f "$s/slurm.conf" >>"$s/slurmd.out" 2>&1 || {
    echo "Slurm (slurmctld/slurmd did not start, see $s/*.log)" >>"$DIR/missing"
    return 1
  }
  # Wait until the node takes jobs.
  for _ in $(seq 1 50); do
    sinfo -h -o %t 2>/dev/null | grep -qE '^(idle|mix|alloc)' && break
    sleep 0.2
  done
  cp "$s/slurmctld.pid" "$DIR/slurmctld.pid" 2>/dev/null
  cp "$s/slurmd.pid" "$DIR/slurmd.pid" 2>/dev/null
  if ! sinfo -h -o %t 2>/dev/null | grep -qE '^(idle|mix|alloc)'; then
    echo "Slurm (the node did not come up, see $s/slurmctld.log)" >>"$DIR/missing"
    return 1
  fi
  echo "SLURM_CONF=$s/slurm.conf" >>"$DIR/env"
  log "Slurm node $host ($cpus cores) up"
}

stop_pid() { # name [signal]: ends the process whose pid start wrote, waits.
  local f=$DIR/$1.pid pid sig=${2:-TERM}
  [[ -f $f ]] || return 0
  pid=$(cat "$f")
  if [[ -n $pid ]] && kill -s "$sig" "$pid" 2>/dev/null; then
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  fi
  rm -f "$f"
}

case ${1:-} in
start)
  mkdir -p "$DIR"
  if [[ -f $DIR/env ]]; then
    log "already started (see $DIR/env); stop first"
    exit 0
  fi
  : >"$DIR/missing"
  : >"$DIR/env.tmp"
  install_missing
  mv "$DIR/env.tmp" "$DIR/env"
  start_pg
  start_slurm
  [[ -s $DIR/missing ]] && log "not started: $(paste -sd ';' "$DIR/missing")"
  exit 0
  ;;
stop)
  [[ -d $DIR ]] || exit 0
  stop_pid slurmd
  stop_pid slurmctld
  stop_pid munged
  stop_pid pg INT # PostgreSQL's fast shutdown
  rm -f "$DIR/env"
  ;;
status)
  cat "$DIR/env" 2>/dev/null
  cat "$DIR/missing" 2>/dev/null
  ;;
*)
  echo "usage: $0 start|stop|status" >&2
  exit 2
  ;;
esac
