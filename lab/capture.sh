#!/usr/bin/env bash
# Record the real output of xl, xentop and xenstore on a lab host, for parser tests.
#
#   lab/capture.sh [--host NAME] [--out DIR]
#
# Default host `capture` (booted with lab/up.sh if it is not up, and stopped again at
# the end); default output tests/fixtures/xen-4.17. Two states are recorded:
#   dom0-only/        only Domain-0 runs
#   guests-running/   the PV guest pvtest and the HVM guest hvmtest run
# plus host/ (uname, versions, xl.conf) and config/ (the guests' config files).
# Each command's stdout goes to <slug>.txt, a non-empty stderr to <slug>.stderr.txt,
# and commands.tsv lists state, slug, exit code, attempts and the exact command.
# A read-only command that fails is run once more (emulation flakes, LAB.md
# pitfall 10); the first attempt's stderr is kept as <slug>.attempt1.stderr.txt.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

name=capture
out="$LAB_DIR/../tests/fixtures/xen-4.17"
while (($#)); do
  case "$1" in
    --host) name=${2:?}; shift 2 ;;
    --out) out=${2:?}; shift 2 ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) die "unknown argument '$1'" ;;
  esac
done
lab_valid_name "$name"

booted=0
if [[ ! -f $(lab_host_dir "$name")/host.json ]]; then
  "$LAB_DIR/up.sh" "$name" >/dev/null
  booted=1
fi
cleanup() {
  lab_ssh "$name" 'xl destroy pvtest; xl destroy hvmtest' >/dev/null 2>&1 || true
  [[ $booted == 1 ]] && "$LAB_DIR/down.sh" "$name" || true
}
trap cleanup EXIT

out=$(mkdir -p "$out" && cd "$out" && pwd)
tmp=$(mktemp -d "$out/.capture.XXXXXX")
trap 'rm -rf "$tmp"; cleanup' EXIT
printf 'state\tslug\texit\tattempts\tcommand\n' >"$tmp/commands.tsv"

# cap STATE SLUG COMMAND: run COMMAND (a shell command line) in Dom0.
cap() {
  local state=$1 slug=$2 cmd=$3 rc=0 attempts=1
  mkdir -p "$tmp/$state"
  lab_ssh "$name" "set -o pipefail; $cmd" >"$tmp/$state/$slug.txt" 2>"$tmp/$state/$slug.stderr.txt" || rc=$?
  # Emulation is occasionally flaky (LAB.md pitfall 10): read-only commands get one retry.
  if [[ $rc != 0 && ${4:-ro} == ro ]]; then
    log "$state/$slug failed (exit $rc), retrying once: $(head -c 300 "$tmp/$state/$slug.stderr.txt")"
    # Keep what the failed attempt said: real flakes are worth seeing.
    mv "$tmp/$state/$slug.stderr.txt" "$tmp/$state/$slug.attempt1.stderr.txt"
    rc=0 attempts=2
    lab_ssh "$name" "set -o pipefail; $cmd" >"$tmp/$state/$slug.txt" 2>"$tmp/$state/$slug.stderr.txt" || rc=$?
  fi
  [[ -s $tmp/$state/$slug.stderr.txt ]] || rm -f "$tmp/$state/$slug.stderr.txt"
  printf '%s\t%s\t%s\t%s\t%s\n' "$state" "$slug" "$rc" "$attempts" "$cmd" >>"$tmp/commands.tsv"
  log "$state/$slug (exit $rc)"
}

# Commands recorded in both states.
common_set() {
  local s=$1
  cap "$s" xl-list 'xl list'
  cap "$s" xl-list-l 'xl list -l'
  cap "$s" xl-list-v 'xl list -v'
  cap "$s" xl-vm-list 'xl vm-list'
  cap "$s" xl-info 'xl info'
  cap "$s" xentop-b-i3-d1 'xentop -b -i 3 -d 1'
  cap "$s" xentop-b-f-i3-d1 'xentop -b -f -i 3 -d 1'
  cap "$s" xl-vcpu-list 'xl vcpu-list'
  cap "$s" xl-uptime 'xl uptime'
  cap "$s" xl-network-list-domain-0 'xl network-list Domain-0'
  cap "$s" xl-block-list-domain-0 'xl block-list Domain-0'
  cap "$s" xl-dmesg-trimmed 'xl dmesg | tail -n 80'
}

log "capturing from $name into $out"
lab_ssh "$name" 'xl destroy pvtest; xl destroy hvmtest' >/dev/null 2>&1 || true

cap host uname-a 'uname -a'
cap host xl-V 'xl -V' once
cap host xl-help 'xl help'
cap host xen-version 'xl info | grep -E "^(xen_(major|minor|extra|version|caps|changeset)|release|version|cc_compiler)"'
cap host debian-version 'cat /etc/debian_version'
cap host dpkg-xen 'dpkg-query -W xen-hypervisor-4.17-amd64 xen-utils-4.17 qemu-system-xen linux-image-amd64'
cap host xl-conf 'cat /etc/xen/xl.conf'
cap host ip-br-link 'ip -br link'
cap host bridge-link 'bridge link'
cap host xl-list-dom0-by-name 'xl list Domain-0'
cap host xl-list-unknown-domain 'xl list nosuchdomain' once

mkdir -p "$tmp/config"
lab_ssh "$name" 'cat /etc/xen/pvtest.cfg' >"$tmp/config/pvtest.cfg"
lab_ssh "$name" 'cat /etc/xen/hvmtest.cfg' >"$tmp/config/hvmtest.cfg"

common_set dom0-only

s=guests-running
cap $s xl-create-pvtest 'xl create /etc/xen/pvtest.cfg' rw
cap $s xl-create-hvmtest 'xl create /etc/xen/hvmtest.cfg' rw
# Let both guests settle (PV banner, HVM firmware on screen).
sleep 15
common_set $s
hvm=$(lab_ssh "$name" 'xl domid hvmtest')
pv=$(lab_ssh "$name" 'xl domid pvtest')
cap $s xl-list-pvtest 'xl list pvtest'
cap $s xl-list-l-hvmtest 'xl list -l hvmtest'
cap $s xl-network-list-pvtest 'xl network-list pvtest'
cap $s xl-network-list-hvmtest 'xl network-list hvmtest'
cap $s xl-block-list-pvtest 'xl block-list pvtest'
cap $s xl-block-list-hvmtest 'xl block-list hvmtest'
cap $s xl-domid-hvmtest 'xl domid hvmtest'
cap $s xl-domname-hvmtest "xl domname $hvm"
cap $s xenstore-ls-console-hvmtest "xenstore-ls /local/domain/$hvm/console"
cap $s xenstore-read-vnc-port-hvmtest "xenstore-read /local/domain/$hvm/console/vnc-port"
cap $s xenstore-read-vnc-listen-hvmtest "xenstore-read /local/domain/$hvm/console/vnc-listen"
cap $s xenstore-ls-console-pvtest "xenstore-ls /local/domain/$pv/console"
cap $s vnc-banner-hvmtest "bash -c 'exec 3<>/dev/tcp/127.0.0.1/\$(xenstore-read /local/domain/$hvm/console/vnc-port) && timeout 10 head -c 12 <&3'"
cap $s xl-pause-pvtest 'xl pause pvtest' rw
cap $s xl-list-paused 'xl list'
cap $s xentop-b-i1-paused 'xentop -b -i 1'
cap $s xl-unpause-pvtest 'xl unpause pvtest' rw
cap $s xl-shutdown-w-pvtest 'xl shutdown -w pvtest' rw
cap $s xl-destroy-hvmtest 'xl destroy hvmtest' rw
sleep 2
cap $s xl-list-after-stop 'xl list'
cap $s xl-info-after-stop 'xl info'

img=$("$LAB_DIR/build.sh" 2>/dev/null | tail -n1)
manifest=$(cat "$img/manifest.json")
jget() { printf '%s' "$manifest" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s)[process.argv[1]]))' "$1"; }
xenver=$(grep -E '^xen_version' "$tmp/dom0-only/xl-info.txt" | sed 's/.*: //')

cat >"$tmp/README.md" <<EOF
# Xen 4.17 output fixtures (real, captured)

Recorded by \`lab/capture.sh\` (\`npm run lab:capture\`) from a lab host: Xen under QEMU TCG,
built by \`lab/build.sh\` from Debian's packages only. Nothing here is edited by hand;
re-run the script to refresh it.

- Captured: $(date -u +%Y-%m-%dT%H:%M:%SZ) on lab host \`$name\` (Dom0 hostname is the host name)
- Lab image key: \`$(jget key)\` (built $(jget built))
- Xen: $xenver ($(jget xenPackage)); Dom0 kernel $(jget kernelPackage)
- Debian $(jget debianVersion); host QEMU: $(qemu-system-x86_64 --version | head -n1)
- Machine: QEMU \`-machine pc -cpu max,-smap,-smep -smp $LAB_QEMU_SMP -m $LAB_QEMU_MEM\`;
  Xen command line \`$LAB_XEN_CMDLINE\`

## Layout
- \`host/\`: uname, xl version/help, package versions, xl.conf, bridges, error output
  for an unknown domain.
- \`config/\`: the guests' xl config files (/etc/xen/pvtest.cfg, /etc/xen/hvmtest.cfg).
- \`dom0-only/\`: only Domain-0 running.
- \`guests-running/\`: after \`xl create\` of pvtest (PV: Debian kernel + busybox initramfs,
  one vif on xenbr0) and hvmtest (HVM: GRUB CD, VNC on 127.0.0.1, e1000 vif on xenbr1);
  also pause/unpause, shutdown, destroy and the state after them.
- \`<slug>.txt\` is the command's stdout; \`<slug>.stderr.txt\` its stderr when not empty
  (xl prints some messages, e.g. "Parsing config from", on stderr).
- \`commands.tsv\`: state, slug, exit code, attempts and the exact command of every file.
  Commands run in bash with pipefail. A read-only command that failed was run once more
  (emulation is occasionally flaky); the failed attempt's stderr is kept as
  \`<slug>.attempt1.stderr.txt\`.

Notes: \`xl dmesg\` is trimmed to its last 80 lines. \`xentop\` runs \`-b -i 3 -d 1\`, so
CPU(%) is 0 in the first iteration. Domain IDs: pvtest $pv, hvmtest $hvm.

Other files in this folder (e.g. \`xentop-*.txt\`, described in \`xentop-captures.md\`) come
from other suites' captures; this script leaves them alone.
EOF

# Replace only what this script writes; other files in the folder (e.g. other
# suites' captures) stay.
for entry in README.md commands.tsv config dom0-only guests-running host; do
  rm -rf "${out:?}/$entry"
  mv "$tmp/$entry" "$out/$entry"
done
rm -rf "$tmp"
trap cleanup EXIT
log "fixtures written to $out"
