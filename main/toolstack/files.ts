// Files on Dom0: reading a config, replacing it atomically with a backup, and the autostart
// links in /etc/xen/auto. Every script here is a constant; paths and text travel as arguments
// and on standard input, never inside the script.
import { createHash } from 'node:crypto';
import { UserError } from '../../common/rpc/index';
import type { ExecResult } from './executor';
import type { HostShell } from './host-shell';
import { AUTO_DIR } from './inventory';

export interface FileContent {
  text: string;
  /** sha256 (hex) of the file as read: pass it back to writeFileAtomic. */
  sha256: string;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * $1 the file, $2 the sha256 it must still have (or `absent` for a new file).
 * Standard input: the new content. Prints the backup path (empty for a new file).
 * Exit 10: the file changed (prints `stale HASH`); 11: it vanished; 12: it exists already.
 */
export const WRITE_SCRIPT = `set -e
target=$1; expected=$2
dir=$(dirname -- "$target"); base=$(basename -- "$target")
if [ "$expected" = absent ]; then
  if [ -e "$target" ] || [ -L "$target" ]; then echo "hearth: exists" >&2; exit 12; fi
else
  if [ ! -f "$target" ]; then echo "hearth: vanished" >&2; exit 11; fi
  current=$(sha256sum < "$target" | cut -d ' ' -f 1)
  if [ "$current" != "$expected" ]; then echo "hearth: stale $current" >&2; exit 10; fi
fi
tmp=$(mktemp "$dir/.$base.hearth-XXXXXX")
trap 'rm -f -- "$tmp"' EXIT
cat > "$tmp"
if [ "$expected" = absent ]; then
  chmod 644 "$tmp"
else
  chmod --reference="$target" -- "$tmp" 2>/dev/null || chmod 644 "$tmp"
  chown --reference="$target" -- "$tmp" 2>/dev/null || true
fi
sync -- "$tmp" 2>/dev/null || sync
backup=
if [ "$expected" != absent ]; then
  stamp=$(date +%Y%m%d-%H%M%S)
  backup="$target.hearth-bak-$stamp"
  n=1
  while [ -e "$backup" ]; do n=$((n + 1)); backup="$target.hearth-bak-$stamp-$n"; done
  cp -p -- "$target" "$backup"
fi
mv -f -- "$tmp" "$target"
trap - EXIT
sync -- "$dir" 2>/dev/null || true
printf '%s\\n' "$backup"`;

/**
 * $1 on|off, $2 the config file, $3 the autostart folder.
 * on: a link $3/BASENAME -> config. off: removes the links in $3 that resolve to the config.
 * Exit 20: no such config; 21: $3/BASENAME is a link to another file (prints its target);
 * 22: $3/BASENAME is a real file, not a link; 23 (off): the config itself lives in $3.
 */
export const AUTOSTART_SCRIPT = `mode=$1; cfg=$2; auto=$3
base=$(basename -- "$cfg"); link="$auto/$base"
real=$(readlink -f -- "$cfg")
[ -n "$real" ] && [ -f "$real" ] || { echo "hearth: no config" >&2; exit 20; }
autoreal=$(readlink -f -- "$auto" 2>/dev/null || printf '%s' "$auto")
case "$(dirname -- "$cfg")" in "$auto"|"$autoreal") inauto=1 ;; *) inauto=0 ;; esac
if [ "$mode" = on ]; then
  [ "$inauto" = 1 ] && exit 0
  mkdir -p -- "$auto"
  if [ -L "$link" ]; then
    [ "$(readlink -f -- "$link")" = "$real" ] && exit 0
    readlink -- "$link"; exit 21
  fi
  [ -e "$link" ] && exit 22
  ln -s -- "$cfg" "$link"
  exit 0
fi
[ "$inauto" = 1 ] && exit 23
removed=0
for e in "$auto"/*; do
  [ -L "$e" ] || continue
  if [ "$(readlink -f -- "$e")" = "$real" ]; then rm -f -- "$e"; removed=1; fi
done
if [ "$removed" = 0 ] && [ -f "$link" ] && [ ! -L "$link" ]; then exit 22; fi
exit 0`;

export async function readRemoteFile(shell: HostShell, path: string): Promise<FileContent> {
  let result = await shell.run(['cat', '--', path]);
  if (result.code !== 0 && /Permission denied/i.test(result.stderr) && !shell.isRoot) {
    result = await shell.run(['cat', '--', path], { privileged: true, sudoSubject: '/bin/cat' });
  }
  if (result.code !== 0) throw fileError(path, 'read', result);
  return { text: result.stdout, sha256: sha256Hex(result.stdout) };
}

/** Replace `path` with `text` if it still has `expectedSha256`; returns the backup's path. */
export async function writeRemoteFileAtomic(
  shell: HostShell,
  path: string,
  text: string,
  expectedSha256: string,
): Promise<string> {
  if (!/^[0-9a-f]{64}$/i.test(expectedSha256)) {
    throw new UserError('The file\'s expected sha256 must be 64 hex digits (as readFile returned it).', 'invalid-argument');
  }
  const result = await shell.run(['sh', '-c', WRITE_SCRIPT, 'hearth-write', path, expectedSha256.toLowerCase()], {
    privileged: true,
    sudoSubject: '/bin/sh',
    stdin: text,
  });
  if (result.code === 10) {
    throw new UserError(
      `The file changed on the host since you opened it (${path}). Nothing was written: reopen it to see the current text, then make your change again.`,
      'stale',
    );
  }
  if (result.code === 11) {
    throw new UserError(`${path} is no longer on the host. Nothing was written.`, 'not-found');
  }
  if (result.code !== 0) throw fileError(path, 'write', result);
  const backup = result.stdout.trim();
  if (!backup) throw new UserError(`Writing ${path} did not report its backup; check the host.`, 'failed');
  return backup;
}

/** Write a new file; refuses when something is already at `path`. */
export async function createRemoteFile(shell: HostShell, path: string, text: string): Promise<void> {
  const result = await shell.run(['sh', '-c', WRITE_SCRIPT, 'hearth-write', path, 'absent'], {
    privileged: true,
    sudoSubject: '/bin/sh',
    stdin: text,
  });
  if (result.code === 12) {
    throw new UserError(`${path} already exists on the host. Pick another file name; Hearth does not overwrite it.`, 'exists');
  }
  if (result.code !== 0) throw fileError(path, 'write', result);
}

export async function setRemoteAutostart(shell: HostShell, path: string, on: boolean): Promise<void> {
  const result = await shell.run(['sh', '-c', AUTOSTART_SCRIPT, 'hearth-autostart', on ? 'on' : 'off', path, AUTO_DIR], {
    privileged: true,
    sudoSubject: '/bin/sh',
  });
  const base = path.slice(path.lastIndexOf('/') + 1);
  switch (result.code) {
    case 0:
      return;
    case 20:
      throw new UserError(`There is no config file at ${path} on the host.`, 'not-found');
    case 21:
      throw new UserError(
        `${AUTO_DIR}/${base} already links to another file (${result.stdout.trim()}). Remove or rename that link on the host first.`,
        'conflict',
      );
    case 22:
      throw new UserError(
        `${AUTO_DIR}/${base} is a real file, not a link to ${path}, so Hearth will not ${on ? 'replace' : 'delete'} it. ` +
          `Move it out of ${AUTO_DIR} on the host yourself if this domain should not start at boot.`,
        'conflict',
      );
    case 23:
      throw new UserError(
        `${path} lives in ${AUTO_DIR} itself, so it starts at boot. Move it to /etc/xen to stop that; Hearth does not delete config files.`,
        'conflict',
      );
    default:
      throw fileError(path, on ? 'link in /etc/xen/auto' : 'unlink from /etc/xen/auto', result);
  }
}

function fileError(path: string, verb: string, result: ExecResult): UserError {
  const said = result.stderr.trim().split('\n').pop() ?? '';
  if (/No such file or directory/i.test(said)) return new UserError(`${path} does not exist on the host.`, 'not-found');
  if (/Permission denied|Operation not permitted|Read-only file system/i.test(said)) {
    return new UserError(`Could not ${verb} ${path} on the host: ${said}. Connect as root, or give this user the rights.`, 'permission-denied');
  }
  if (result.code === null) return new UserError(`Could not ${verb} ${path}: the connection to the host dropped.`, 'interrupted');
  return new UserError(`Could not ${verb} ${path} on the host${said ? `: ${said}` : ` (exit code ${result.code})`}.`, 'failed');
}
