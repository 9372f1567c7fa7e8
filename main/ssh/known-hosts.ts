// OpenSSH known_hosts: read the user's files (never written) and Hearth's own store (appended
// to, one hashed entry per remembered host key). The lookup follows sshd's client rules:
// a key listed for the host is known; another key of the same type listed for the host means
// the host key changed; keys of other types may coexist; nothing listed means unknown.

import { createHash, createHmac, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export type KnownHostMarker = 'revoked' | 'cert-authority' | null;

export interface KnownHostEntry {
  marker: KnownHostMarker;
  /** Host patterns as written (plain or `[host]:port`), or empty when the entry is hashed. */
  patterns: string[];
  hashed: { salt: Buffer; hash: Buffer } | null;
  keyType: string;
  keyBlob: Buffer;
  file: string;
  line: number;
}

export type HostKeyCheck =
  | { status: 'known' }
  | { status: 'unknown' }
  | { status: 'changed'; knownKeyType: string; knownFingerprint: string; file: string; line: number }
  /** The presented key is listed under @revoked: never accept it. */
  | { status: 'revoked'; file: string; line: number };

/** SHA256 fingerprint exactly as `ssh-keygen -lf` prints it. */
export function fingerprint(keyBlob: Buffer): string {
  return `SHA256:${createHash('sha256').update(keyBlob).digest('base64').replace(/=+$/, '')}`;
}

/** The key type recorded inside an SSH public key blob (its first length-prefixed string). */
export function keyTypeOfBlob(keyBlob: Buffer): string {
  if (keyBlob.length < 4) throw new Error('The host key is too short to be an SSH public key.');
  const length = keyBlob.readUInt32BE(0);
  if (length > keyBlob.length - 4) throw new Error('The host key is not a well-formed SSH public key.');
  return keyBlob.subarray(4, 4 + length).toString('latin1');
}

/** The name OpenSSH looks up: `host` on port 22, `[host]:port` elsewhere. */
export function hostLookupName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

export function hashHostName(name: string, salt: Buffer): Buffer {
  return createHmac('sha1', salt).update(name).digest();
}

/** Parse known_hosts text. Malformed lines are skipped, never fatal. */
export function parseKnownHosts(text: string, file = '<memory>'): KnownHostEntry[] {
  const entries: KnownHostEntry[] = [];
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const raw = lines[index].replace(/\r$/, '').trim();
    if (raw === '' || raw.startsWith('#')) continue;
    const fields = raw.split(/[ \t]+/);
    let marker: KnownHostMarker = null;
    if (fields[0].startsWith('@')) {
      const name = fields.shift()!.slice(1).toLowerCase();
      if (name === 'revoked' || name === 'cert-authority') marker = name;
      else continue; // an unknown marker: OpenSSH skips the line, and so do we
    }
    if (fields.length < 3) continue;
    const [hostField, keyType, keyBase64] = fields;
    const keyBlob = decodeBase64Strict(keyBase64);
    if (!keyBlob || !blobHasType(keyBlob, keyType)) continue;
    let hashed: KnownHostEntry['hashed'] = null;
    let patterns: string[] = [];
    if (hostField.startsWith('|1|')) {
      const parts = hostField.split('|');
      if (parts.length !== 4) continue;
      const salt = decodeBase64Strict(parts[2]);
      const hash = decodeBase64Strict(parts[3]);
      if (!salt || !hash || hash.length !== 20) continue;
      hashed = { salt, hash };
    } else {
      patterns = hostField.split(',').filter((p) => p !== '');
      if (patterns.length === 0) continue;
    }
    entries.push({ marker, patterns, hashed, keyType, keyBlob, file, line: index + 1 });
  }
  return entries;
}

function blobHasType(keyBlob: Buffer, keyType: string): boolean {
  try {
    return keyTypeOfBlob(keyBlob) === keyType;
  } catch {
    return false;
  }
}

function decodeBase64Strict(text: string): Buffer | null {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text)) return null;
  const decoded = Buffer.from(text, 'base64');
  return decoded.length > 0 ? decoded : null;
}

/** `*` and `?` wildcards, case-insensitive, as OpenSSH's match_pattern. */
export function matchWildcard(name: string, pattern: string): boolean {
  const source = pattern
    .toLowerCase()
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${source}$`, 's').test(name.toLowerCase());
}

/** A comma list of patterns: any negated match rejects, otherwise any positive match accepts. */
export function matchPatternList(name: string, patterns: readonly string[]): boolean {
  let matched = false;
  for (const pattern of patterns) {
    if (pattern.startsWith('!')) {
      if (matchWildcard(name, pattern.slice(1))) return false;
    } else if (matchWildcard(name, pattern)) {
      matched = true;
    }
  }
  return matched;
}

export function entryMatchesHost(entry: KnownHostEntry, host: string, port: number): boolean {
  const name = hostLookupName(host, port);
  if (entry.hashed) return hashHostName(name, entry.hashed.salt).equals(entry.hashed.hash);
  return matchPatternList(name, entry.patterns);
}

export interface KnownHostsOptions {
  /** The user's own files (~/.ssh/known_hosts...): read, never written. Missing files are fine. */
  readOnlyFiles: readonly string[];
  /** Hearth's store, where remembered keys are appended. */
  storeFile: string;
}

export class KnownHosts {
  constructor(private readonly options: KnownHostsOptions) {}

  /** Every entry from every file, re-read each time so edits by the user apply at once. */
  entries(): KnownHostEntry[] {
    const files = [...this.options.readOnlyFiles, this.options.storeFile];
    return files.flatMap((file) => {
      if (!existsSync(file)) return [];
      try {
        return parseKnownHosts(readFileSync(file, 'utf8'), file);
      } catch {
        return [];
      }
    });
  }

  check(host: string, port: number, keyType: string, keyBlob: Buffer): HostKeyCheck {
    const forHost = this.entries().filter((entry) => entry.marker !== 'cert-authority' && entryMatchesHost(entry, host, port));
    const revoked = forHost.find((entry) => entry.marker === 'revoked' && entry.keyBlob.equals(keyBlob));
    if (revoked) return { status: 'revoked', file: revoked.file, line: revoked.line };
    const plain = forHost.filter((entry) => entry.marker === null);
    if (plain.some((entry) => entry.keyType === keyType && entry.keyBlob.equals(keyBlob))) return { status: 'known' };
    const differing = plain.find((entry) => entry.keyType === keyType);
    if (differing) {
      return {
        status: 'changed',
        knownKeyType: differing.keyType,
        knownFingerprint: fingerprint(differing.keyBlob),
        file: differing.file,
        line: differing.line,
      };
    }
    return { status: 'unknown' };
  }

  /** Key types recorded for a host, so the connection can prefer a key it can verify. */
  knownKeyTypes(host: string, port: number): string[] {
    const types = this.entries()
      .filter((entry) => entry.marker === null && entryMatchesHost(entry, host, port))
      .map((entry) => entry.keyType);
    return [...new Set(types)];
  }

  /** Append a hashed entry to Hearth's store, replacing the file atomically. */
  remember(host: string, port: number, keyType: string, keyBlob: Buffer): void {
    const file = this.options.storeFile;
    const salt = randomBytes(20);
    const hashedName = `|1|${salt.toString('base64')}|${hashHostName(hostLookupName(host, port), salt).toString('base64')}`;
    const line = `${hashedName} ${keyType} ${keyBlob.toString('base64')}\n`;
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    let previous = existsSync(file) ? readFileSync(file, 'utf8') : '';
    if (previous !== '' && !previous.endsWith('\n')) previous += '\n';
    const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    writeFileSync(temporary, previous + line, { mode: 0o600 });
    renameSync(temporary, file);
  }
}
