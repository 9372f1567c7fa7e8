#!/usr/bin/env bash
# Run a command on a lab host's Dom0, through the host's ControlMaster
# connection (one TCP connection per host, reused by every call).
#   lab/ssh.sh [--host NAME] [-t] -- CMD...     (default host lab1)
#   lab/ssh.sh [--host NAME]                    interactive shell
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

name=lab1
opts=()
while (($#)); do
  case "$1" in
    --host) name=${2:?--host needs a name}; shift 2 ;;
    --host=*) name=${1#--host=}; shift ;;
    -t|-tt) opts+=(-tt); shift ;;
    --) shift; break ;;
    -h|--help) sed -n '2,5p' "$0"; exit 0 ;;
    *) break ;;
  esac
done
lab_valid_name "$name"
dir=$(lab_host_dir "$name")
[[ -f $dir/ssh_config ]] || die "host '$name' is not up (run lab/up.sh $name)"
# One argument is a shell command line (pipes allowed: -- "xl list | head");
# several arguments are quoted one by one so they arrive exactly as given.
if (($# == 1)); then
  exec ssh -F "$dir/ssh_config" "${opts[@]}" "$name" -- "$1"
elif (($#)); then
  exec ssh -F "$dir/ssh_config" "${opts[@]}" "$name" -- "$(printf "%q " "$@")"
else
  exec ssh -F "$dir/ssh_config" -tt "$name"
fi
