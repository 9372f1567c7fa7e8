# Shared helpers for the lab scripts. Sourced, not executed.
# shellcheck shell=bash

LAB_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LAB_CACHE="${HEARTH_LAB_CACHE:-$LAB_DIR/.cache}"
LAB_RUN="${HEARTH_LAB_RUN:-$LAB_DIR/.run}"
# Alias under which the Dom0 host keys are recorded in the cache's known_hosts.
LAB_HOSTKEY_ALIAS="hearth-lab"

# QEMU settings that shape the machine state a snapshot holds. They are part of
# the snapshot key: change one and old snapshots are no longer resumed.
LAB_QEMU_MEM="${HEARTH_LAB_MEM:-2G}"
# The CPU QEMU emulates (pitfall 1: SMAP/SMEP off). Env override for experiments.
LAB_QEMU_CPU="${HEARTH_LAB_CPU:-max,-smap,-smep}"
LAB_QEMU_SMP=2
# spec-ctrl=eager-fpu: the emulated CPU says AuthenticAMD, so Xen would otherwise switch vCPUs'
# FPU/SSE/AVX state lazily (CR0.TS, #NM). Under QEMU TCG that went wrong: with guests running,
# Dom0 now and then computed wrong data (SSH streams arrived corrupted with valid MACs, sshd
# and bash segfaulted; likely LAB.md pitfall 10 too). Eager switching, Xen's default on Intel,
# stopped it in every trial.
LAB_XEN_CMDLINE="console=com1 com1=115200,8n1 dom0_mem=768M,max:768M dom0_max_vcpus=2 noreboot bootscrub=false spec-ctrl=eager-fpu"
# No commas in here: QEMU splits -initrd on commas (pitfall 6).
LAB_DOM0_CMDLINE="root=/dev/vda rw console=hvc0 init=/opt/hearth/init quiet"

log() { printf '[lab %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { printf '[lab] error: %s\n' "$*" >&2; exit 1; }

# The Debian mirror this machine's apt uses (first deb URI serving bookworm).
lab_mirror() {
  local f uri
  f=/etc/apt/sources.list.d/debian.sources
  if [[ -r $f ]]; then
    uri=$(awk '
      /^[[:space:]]*$/ { if (u != "" && s ~ /(^|[[:space:]])bookworm([[:space:]]|$)/) { print u; exit } u=""; s=""; next }
      /^URIs:/ { u=$2 } /^Suites:/ { $1=""; s=$0 }
      END { if (u != "" && s ~ /(^|[[:space:]])bookworm([[:space:]]|$)/) print u }' "$f" | head -n1)
  fi
  if [[ -z ${uri:-} && -r /etc/apt/sources.list ]]; then
    uri=$(awk '$1=="deb" && $3=="bookworm" { for (i=2;i<=NF;i++) if ($i ~ /^[a-z]+:\/\//) { print $i; exit } }' /etc/apt/sources.list)
  fi
  printf '%s\n' "${uri:-http://deb.debian.org/debian}"
}

# The apt source files copied into the chroot.
lab_apt_sources() {
  local f
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.sources /etc/apt/sources.list.d/*.list; do
    [[ -s $f ]] && printf '%s\n' "$f"
  done
  return 0
}

# Hash of everything the image is built from (lab/lib holds only the run-time
# helpers and is left out on purpose: editing them must not force a rebuild).
lab_image_key() {
  (
    cd "$LAB_DIR"
    {
      find build.sh packages.txt image guest -type f -print0 | sort -z | xargs -0 sha256sum
      # Permissions matter too (scripts copied into the image).
      find build.sh packages.txt image guest -type f -printf '%m %p\n' | sort
      lab_mirror
      lab_apt_sources | while read -r f; do sha256sum "$f"; done
    } | sha256sum | cut -c1-16
  )
}

lab_image_dir() { printf '%s/images/%s\n' "$LAB_CACHE" "$(lab_image_key)"; }

# Key of the ready-host snapshot: the image plus the machine shape.
lab_snapshot_key() {
  printf '%s|%s|%s|%s|%s|%s|%s\n' "$1" "$LAB_QEMU_CPU" "$LAB_QEMU_MEM" "$LAB_QEMU_SMP" "$LAB_XEN_CMDLINE" \
    "$LAB_DOM0_CMDLINE" "$(qemu-system-x86_64 --version | head -n1)" | sha256sum | cut -c1-12
}

lab_valid_name() {
  [[ $1 =~ ^[a-z][a-z0-9-]{0,30}$ ]] || die "bad host name '$1' (use lower-case letters, digits, '-')"
}

lab_host_dir() { printf '%s/%s\n' "$LAB_RUN" "$1"; }

lab_qmp() { node "$LAB_DIR/lib/qmp.mjs" "$@"; }

# ssh to a running host through its per-host config (ControlMaster).
lab_ssh() {
  local name=$1; shift
  local dir; dir=$(lab_host_dir "$name")
  [[ -f $dir/ssh_config ]] || die "host '$name' is not up (no $dir/ssh_config)"
  ssh -F "$dir/ssh_config" "$name" "$@"
}
