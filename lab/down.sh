#!/usr/bin/env bash
# Stop a lab host and remove its run folder.
#   lab/down.sh [NAME]   (default lab1)
#   lab/down.sh --all
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

stop_host() {
  local name=$1 dir pid i
  dir=$(lab_host_dir "$name")
  [[ -d $dir ]] || { log "host $name is not up"; return 0; }
  if [[ -f $dir/ssh_config ]]; then
    ssh -F "$dir/ssh_config" -O exit "$name" >/dev/null 2>&1 || true
  fi
  pid=$(cat "$dir/qemu.pid" 2>/dev/null || true)
  if [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null; then
    # QMP quit: QEMU closes its files and exits; the disk is a throwaway copy.
    [[ -S $dir/qmp.sock ]] && QMP_TIMEOUT_MS=10000 lab_qmp "$dir/qmp.sock" quit >/dev/null 2>&1 || true
    for i in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    if kill -0 "$pid" 2>/dev/null; then
      log "qemu $pid did not quit; sending TERM"
      kill "$pid" 2>/dev/null || true
      for i in $(seq 25); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
      kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null || true
    fi
  fi
  rm -rf "$dir"
  log "host $name is down"
}

case "${1:-lab1}" in
  -h|--help) sed -n '2,4p' "$0" ;;
  --all)
    shopt -s nullglob
    for d in "$LAB_RUN"/*/; do stop_host "$(basename "$d")"; done ;;
  *) lab_valid_name "${1:-lab1}"; stop_host "${1:-lab1}" ;;
esac
