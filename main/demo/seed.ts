// What the simulated Dom0 holds when it starts: a small home-office box with a firewall, a web
// server, a file server and a Windows XP guest that is switched off.

export const DEMO_HOSTNAME = 'demo-simulation';

export const DEMO_FILES: Record<string, string> = {
  '/etc/xen/xl.conf': `## Global XL config file ##
# This file is part of the demo-simulation host, not a real Dom0.

#autoballoon="auto"
#lockfile="/var/lock/xl"
vif.default.bridge="xenbr0"
`,
  '/etc/xen/firewall.cfg': `# Firewall and router between the DSL line (xenbr1) and the office LAN (xenbr0).
name = "firewall"
type = "pv"
kernel = "/boot/guests/firewall-vmlinuz"
ramdisk = "/boot/guests/firewall-initrd.img"
extra = "console=hvc0 root=/dev/xvda1 ro"
memory = 256
vcpus = 1
disk = [ 'format=raw, vdev=xvda, access=rw, target=/dev/vg0/firewall' ]
vif = [ 'bridge=xenbr1, mac=00:16:3e:10:00:01', 'bridge=xenbr0, mac=00:16:3e:10:00:02' ]
on_poweroff = "destroy"
on_reboot = "restart"
on_crash = "restart"
`,
  '/etc/xen/www.cfg': `# The office web server (Debian, nginx).
name = "www"
type = "pv"
bootloader = "pygrub"
memory = 1024
vcpus = 2
disk = [ 'format=raw, vdev=xvda, access=rw, target=/dev/vg0/www' ]
vif = [ 'bridge=xenbr0, mac=00:16:3e:10:00:03' ]
on_poweroff = "destroy"
on_reboot = "restart"
on_crash = "restart"
`,
  '/etc/xen/files.cfg': `# File server: Samba shares on a separate data volume.
name = "files"
type = "pvh"
kernel = "/boot/guests/files-vmlinuz"
ramdisk = "/boot/guests/files-initrd.img"
extra = "console=hvc0 root=/dev/xvda1 ro"
memory = 2048
vcpus = 2
disk = [ 'format=raw, vdev=xvda, access=rw, target=/dev/vg0/files-root',
         'format=raw, vdev=xvdb, access=rw, target=/dev/vg0/files-data' ]
vif = [ 'bridge=xenbr0, mac=00:16:3e:10:00:04' ]
on_poweroff = "destroy"
on_reboot = "restart"
on_crash = "restart"
`,
  '/etc/xen/winxp.cfg': `# Windows XP for the old accounting program.
name = "winxp"
type = "hvm"
memory = 512
vcpus = 1
disk = [ 'format=raw, vdev=hda, access=rw, target=/dev/vg0/winxp',
         '/srv/iso/winxp-sp3.iso,raw,hdc,cdrom' ]
boot = "c"
vga = "stdvga"
usb = 1
usbdevice = [ "tablet" ]
acpi = 1
vif = [ 'bridge=xenbr0, model=rtl8139, mac=00:16:3e:10:00:05' ]
vnc = 1
vnclisten = "127.0.0.1"
serial = "pty"
on_poweroff = "destroy"
on_reboot = "restart"
on_crash = "destroy"
`,
};

/** Links in /etc/xen/auto: the firewall and the web server start at boot. */
export const DEMO_AUTOSTART: Record<string, string> = {
  '/etc/xen/auto/firewall.cfg': '/etc/xen/firewall.cfg',
  '/etc/xen/auto/www.cfg': '/etc/xen/www.cfg',
};

/** Running when the simulation starts, with how long they have been up and how busy they are. */
export const DEMO_RUNNING: { config: string; uptimeSeconds: number; load: number }[] = [
  { config: '/etc/xen/firewall.cfg', uptimeSeconds: 9 * 86400 + 4 * 3600 + 1211, load: 0.04 },
  { config: '/etc/xen/www.cfg', uptimeSeconds: 9 * 86400 + 4 * 3600 + 1187, load: 0.18 },
  { config: '/etc/xen/files.cfg', uptimeSeconds: 2 * 86400 + 3 * 3600 + 644, load: 0.09 },
];

export const DEMO_HOST = {
  nrCpus: 4,
  totalMemoryMiB: 16290,
  dom0MemoryMiB: 2048,
  dom0Vcpus: 4,
  /** Memory Xen keeps for itself and for page tables, beyond what the domains use. */
  xenOverheadMiB: 133,
  dom0UptimeSeconds: 9 * 86400 + 4 * 3600 + 1325,
};
