// The Debian packages `npm test` needs, checked by the commands they provide. As root with apt
// they are installed; otherwise the one command that installs them is printed.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const SYSTEM_DEPS = [
  { pkg: 'chromium', check: '/usr/bin/chromium' },
  { pkg: 'openssh-server', check: '/usr/sbin/sshd' },
  { pkg: 'openssh-client', check: 'ssh' },
  { pkg: 'qemu-system-x86', check: 'qemu-system-x86_64' },
  { pkg: 'qemu-utils', check: 'qemu-img' },
  { pkg: 'debootstrap', check: 'debootstrap' },
  { pkg: 'cpio', check: 'cpio' },
  { pkg: 'e2fsprogs', check: 'mkfs.ext4' },
  { pkg: 'busybox-static', check: '/bin/busybox' },
  { pkg: 'xorriso', check: 'xorriso' },
  { pkg: 'mtools', check: 'mcopy' },
  { pkg: 'grub-pc-bin', check: '/usr/lib/grub/i386-pc/modinfo.sh' },
  { pkg: 'grub-common', check: 'grub-mkrescue' },
  { pkg: 'ipxe', check: '/usr/lib/ipxe/ipxe.iso' },
  { pkg: 'sudo', check: 'sudo' },
  { pkg: 'procps', check: 'ps' },
];

function present(check) {
  if (check.startsWith('/')) return existsSync(check);
  return spawnSync('sh', ['-c', 'command -v "$1"', 'sh', check], { stdio: 'ignore' }).status === 0;
}

export function missingDeps(extra = []) {
  return [...SYSTEM_DEPS, ...extra].filter((d) => !present(d.check)).map((d) => d.pkg);
}

export function ensureSystemDeps({ log = console.log, extra = [] } = {}) {
  const missing = missingDeps(extra);
  if (missing.length === 0) return true;
  const command = `apt-get update && apt-get install -y --no-install-recommends ${missing.join(' ')}`;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot || !present('apt-get')) {
    log(`Hearth's tests need Debian packages that are missing: ${missing.join(', ')}.`);
    log(`Install them with:  sudo sh -c '${command}'`);
    return false;
  }
  log(`Installing Debian packages the tests need: ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-q'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-q', '--no-install-recommends', ...missing], { stdio: 'inherit', env });
  const still = missingDeps(extra);
  if (still.length > 0) {
    log(`These packages did not install: ${still.join(', ')}`);
    return false;
  }
  return true;
}
