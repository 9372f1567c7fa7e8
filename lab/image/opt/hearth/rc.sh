#!/bin/sh
# Dom0 start-up, run by busybox init (sysinit) instead of systemd: systemd and
# udev cost ~50 s under emulation (LAB.md pitfall 4). Keep it small and serial.
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
say() { echo "hearth-rc: $*"; }

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mountpoint -q /dev || mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts /dev/shm
mount -t devpts -o gid=5,mode=620,ptmxmode=666 devpts /dev/pts
mount -t tmpfs -o mode=1777 tmpfs /dev/shm
mount -o remount,rw /
mount -t tmpfs -o mode=755,nosuid,nodev tmpfs /run
mkdir -p /run/lock /run/sshd /run/xen /run/xen-hotplug
chmod 0755 /run/sshd
[ -L /var/run ] || mount --bind /run /var/run
mount -t xenfs xenfs /proc/xen 2>/dev/null || true
hostname -F /etc/hostname

# Without udev nothing loads modules on demand (pitfall 5: loop).
for m in virtio_net loop bridge tun xen-evtchn xen-gntdev xen-gntalloc xen-privcmd \
         xen-blkback xen-netback; do
  modprobe -q "$m" || say "modprobe $m failed"
done

# Networking: xenbr0 bridges eth0 (QEMU user net), xenbr1 has no uplink.
ip link set lo up
ip link add xenbr0 type bridge
ip link set eth0 master xenbr0
ip link set eth0 up
ip link set xenbr0 up
ip addr add 10.0.2.15/24 dev xenbr0
ip route add default via 10.0.2.2
ip link add xenbr1 type bridge
ip link set xenbr1 up

# xenfs, xenstored, xenconsoled, xen-init-dom0, the qdisk backend.
/etc/init.d/xen start
say "xen started"
say "hearth-lab dom0 ready"
