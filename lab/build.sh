#!/usr/bin/env bash
# Build the lab's Xen 4.17 host image from Debian's packages (idempotent).
#
# Output: $HEARTH_LAB_CACHE (default lab/.cache)/images/<key>/ where <key> hashes
# this script, lab/image, lab/guest, lab/packages.txt and the machine's
# apt sources. A second run with unchanged inputs returns at once. The build
# happens in a temporary folder that is renamed into place at the end, so an
# interrupted build never leaves a half-built cache entry.
#
#   lab/build.sh            build if needed, print the image folder
#   lab/build.sh --key      print the image key only
#   lab/build.sh --force    rebuild even if cached
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

force=0
case "${1:-}" in
  --key) lab_image_key; exit 0 ;;
  --force) force=1 ;;
  "") ;;
  -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
  *) die "unknown argument '$1'" ;;
esac

[[ $(id -u) == 0 ]] || die "build.sh needs root (debootstrap, chroot)"
for t in debootstrap qemu-system-x86_64 qemu-img mkfs.ext4 cpio gzip ssh-keygen node flock grub-mkrescue xorriso mformat; do
  command -v "$t" >/dev/null || die "missing tool '$t' (apt-get install qemu-system-x86 qemu-utils debootstrap cpio e2fsprogs openssh-client nodejs grub-common grub-pc-bin xorriso mtools)"
done

key=$(lab_image_key)
out="$LAB_CACHE/images/$key"
mkdir -p "$LAB_CACHE/images"

exec 9>"$LAB_CACHE/build.lock"
flock 9
if [[ -f $out/manifest.json && $force == 0 ]]; then
  log "image $key is cached"
  printf '%s\n' "$out"
  exit 0
fi

t0=$(date +%s)
mirror=$(lab_mirror)
tmp=$(mktemp -d "$LAB_CACHE/images/.build-$key.XXXXXX")
root="$tmp/root"

umount_chroot() {
  local m
  # Deepest first.
  for m in $(awk -v r="$root" '$2 ~ "^"r"(/|$)" { print $2 }' /proc/self/mounts | sort -r); do
    umount -l "$m" 2>/dev/null || true
  done
}
cleanup() {
  local rc=$?
  umount_chroot
  if [[ -d $tmp ]]; then
    if awk -v r="$tmp" '$2 ~ "^"r"(/|$)" { found=1 } END { exit !found }' /proc/self/mounts; then
      log "not removing $tmp: something is still mounted there"
    else
      rm -rf --one-file-system "$tmp"
    fi
  fi
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log "building image $key in $tmp (mirror $mirror)"
# A package cache shared by builds (not keyed): rebuilds download nothing.
debs="$LAB_CACHE/debs"
mkdir -p "$debs/partial"

log "debootstrap bookworm (minbase)"
debootstrap --variant=minbase --cache-dir="$debs" bookworm "$root" "$mirror" >"$tmp/debootstrap.log" 2>&1 ||
  { tail -n 30 "$tmp/debootstrap.log" >&2; die "debootstrap failed"; }
t1=$(date +%s)

# Apt sources of this machine, inside the chroot.
rm -f "$root/etc/apt/sources.list"
while read -r f; do
  mkdir -p "$root$(dirname "$f")"
  cp "$f" "$root$f"
done < <(lab_apt_sources)

printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
chmod 755 "$root/usr/sbin/policy-rc.d"
mount -t proc proc "$root/proc"
mount -t sysfs sysfs "$root/sys"
mount --bind /dev "$root/dev"
mount --bind /dev/pts "$root/dev/pts"
mount --bind "$debs" "$root/var/cache/apt/archives"

# Configuration that package scripts read while installing (initramfs size).
cp -a "$LAB_DIR/image/etc/initramfs-tools" "$root/etc/"

mapfile -t pkgs < <(sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$LAB_DIR/packages.txt")
log "apt-get install ${#pkgs[@]} packages"
chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive LANG=C.UTF-8 \
  sh -c 'apt-get update -q && apt-get install -y -q --no-install-recommends -o Dpkg::Options::=--force-confold "$@"' \
  sh "${pkgs[@]}" >"$tmp/apt.log" 2>&1 ||
  { tail -n 40 "$tmp/apt.log" >&2; die "apt-get install failed (log: $tmp/apt.log)"; }
t2=$(date +%s)

log "configuring Dom0"
cp -a "$LAB_DIR/image/." "$root/"
chmod 700 "$root/root/.ssh"
ln -sf /bin/busybox "$root/opt/hearth/init"
# xl: new vifs go on xenbr0.
sed -i -e '/^#\?[[:space:]]*vif\.default\.bridge/d' "$root/etc/xen/xl.conf"
echo 'vif.default.bridge="xenbr0"' >>"$root/etc/xen/xl.conf"
# Minimal fstab (root is mounted rw by the kernel command line).
echo '/dev/vda / ext4 defaults 0 1' >"$root/etc/fstab"
# No password for root; login is by key only.
chroot "$root" passwd -l root >/dev/null

log "SSH keys"
ssh-keygen -q -t ed25519 -N '' -C hearth-lab -f "$tmp/id_ed25519"
rm -f "$root"/etc/ssh/ssh_host_*
chroot "$root" ssh-keygen -A >/dev/null
install -m 600 "$tmp/id_ed25519.pub" "$root/root/.ssh/authorized_keys"
# Dom0 may ssh to other lab hosts (migration) with the same key.
install -m 600 "$tmp/id_ed25519" "$root/root/.ssh/id_ed25519"
: >"$tmp/known_hosts"
for p in "$root"/etc/ssh/ssh_host_*_key.pub; do
  awk -v a="$LAB_HOSTKEY_ALIAS" '{ print a, $1, $2 }' "$p" >>"$tmp/known_hosts"
  cp "$p" "$tmp/"
done
install -m 600 "$tmp/known_hosts" "$root/root/.ssh/known_hosts"
ssh-keygen -l -E sha256 -f "$tmp/ssh_host_ed25519_key.pub" | awk '{ print $2 }' >"$tmp/hostkey-fingerprint"

kver=$(cd "$root/lib/modules" && ls | sort -V | tail -n1)
[[ -n $kver && -f $root/boot/vmlinuz-$kver ]] || die "no kernel in the chroot"

log "PV test guest (kernel $kver + busybox initramfs)"
img="$root/var/lib/xen/images"
mkdir -p "$img"
g="$tmp/pvtest-initramfs"
mkdir -p "$g"/{bin,sbin,usr/bin,usr/sbin,proc,sys,dev,tmp,root,lib/modules,etc}
cp "$root/bin/busybox" "$g/bin/busybox"
for a in $("$g/bin/busybox" --list-full); do
  [[ -e $g/$a ]] || ln -s /bin/busybox "$g/$a"
done
ln -sf /bin/busybox "$g/init"
for m in xen-netfront xen-blkfront; do
  src=$(find "$root/lib/modules/$kver" -name "$m.ko*" | head -n1)
  [[ -n $src ]] || die "module $m not found"
  case $src in
    *.ko) cp "$src" "$g/lib/modules/$m.ko" ;;
    *.ko.xz) xz -dc "$src" >"$g/lib/modules/$m.ko" ;;
    *.ko.zst) zstd -qdc "$src" >"$g/lib/modules/$m.ko" ;;
    *) die "unknown module format $src" ;;
  esac
done
cp -a "$LAB_DIR/guest/pvtest/." "$g/"
printf 'root:x:0:0:root:/root:/bin/sh\n' >"$g/etc/passwd"
printf 'root:x:0:\n' >"$g/etc/group"
(cd "$g" && find . -print0 | sort -z | cpio --null -o -H newc --owner=0:0 --quiet) | gzip -9 >"$img/pvtest-initrd.gz"
cp "$root/boot/vmlinuz-$kver" "$img/pvtest-vmlinuz"
rm -rf "$g"

log "HVM test guest CD (GRUB's command line, from Debian's grub-pc-bin)"
grub-mkrescue -d /usr/lib/grub/i386-pc -o "$img/hvmtest.iso" "$LAB_DIR/guest/hvmtest" >"$tmp/grub-mkrescue.log" 2>&1 \
  || { cat "$tmp/grub-mkrescue.log" >&2; die "grub-mkrescue failed"; }

# Boot files for QEMU: Xen (multiboot ELF), Dom0 kernel and initramfs.
zcat "$root/boot/xen-4.17-amd64.gz" >"$tmp/xen"
cp "$root/boot/vmlinuz-$kver" "$tmp/vmlinuz"
cp "$root/boot/initrd.img-$kver" "$tmp/initrd.img"

xen_version=$(chroot "$root" dpkg-query -W -f '${Version}' xen-hypervisor-4.17-amd64)
kernel_pkg=$(chroot "$root" dpkg-query -W -f '${Version}' "linux-image-$kver")
debian_version=$(cat "$root/etc/debian_version")
npkgs=$(chroot "$root" dpkg-query -W -f '.\n' | wc -l)
chroot "$root" dpkg-query -W -f '${Package} ${Version}\n' >"$tmp/packages.lock"

umount_chroot
rm -f "$root/usr/sbin/policy-rc.d"
rm -rf "$root"/var/lib/apt/lists/* "$root"/tmp/* "$root"/var/log/*.log

log "making the ext4 image"
size_mb=$(( $(du -sm "$root" | cut -f1) + 1200 ))
mkfs.ext4 -q -F -L hearth-root -E root_owner=0:0 -d "$root" "$tmp/rootfs.raw" "${size_mb}M"
rm -rf --one-file-system "$root"
t3=$(date +%s)

cat >"$tmp/manifest.json" <<EOF
{
  "key": "$key",
  "built": "$(date -u +%Y-%m-%dT%H:%M:%SZ)",
  "mirror": "$mirror",
  "debianVersion": "$debian_version",
  "xenPackage": "xen-hypervisor-4.17-amd64 $xen_version",
  "kernel": "$kver",
  "kernelPackage": "linux-image-$kver $kernel_pkg",
  "packages": $npkgs,
  "imageSizeMB": $size_mb,
  "seconds": { "debootstrap": $((t1 - t0)), "packages": $((t2 - t1)), "rest": $((t3 - t2)), "total": $((t3 - t0)) }
}
EOF
rm -f "$tmp"/*.log
chmod 600 "$tmp/id_ed25519"

# Atomic publish.
rm -rf --one-file-system "$out"
mv "$tmp" "$out"
trap - EXIT

# Drop images of older inputs that no running host uses.
for old in "$LAB_CACHE"/images/*/; do
  old=${old%/}
  [[ $old == "$out" ]] && continue
  if ! grep -qs "\"imageKey\": \"$(basename "$old")\"" "$LAB_RUN"/*/host.json; then
    log "removing old image $(basename "$old")"
    rm -rf --one-file-system "$old"
  fi
done
log "image $key built in $((t3 - t0)) s"
printf '%s\n' "$out"
