// The domains Hearth can start: config files in /etc/xen, and which of them start at boot
// (/etc/xen/auto holds config files or links to them). xl has no managed domains, so this
// inventory is Hearth's own. One remote command reads the whole inventory at once.
import type { DomainType, DomainView } from '../../common/model/index';
import { parseConfig, type XlListRow } from '../../common/xen/index';

export const XEN_DIR = '/etc/xen';
export const AUTO_DIR = '/etc/xen/auto';

/** Files in /etc/xen that are never domain configs, whatever they contain. */
export const NOT_DOMAIN_CONFIGS = new Set([
  'xl.conf',
  'xend-config.sxp',
  'xend-config-xenapi.sxp',
  'xm-config.xml',
  'xend-pci-permissive.sxp',
  'xend-pci-quirks.sxp',
  'cpupool',
  'README',
  'README.incompatibilities',
]);

/** Xen's own sample configs (xlexample.hvm, xmexample1 ...): shipped examples, not the user's domains. */
export const XEN_SAMPLE_CONFIG = /^(xlexample|xmexample)/;

/** Files larger than this are not domain configs and are not read. */
export const MAX_CONFIG_BYTES = 256 * 1024;

/**
 * Prints every plain, non-executable, not hidden file of $1 (at most $3 bytes) and every entry of $1/auto,
 * each framed by lines starting with the nonce $2:
 *   NONCE<TAB>F<TAB>REALPATH<TAB>PATH, the content, then NONCE<TAB>E
 *   NONCE<TAB>A<TAB>KIND(link|file|other)<TAB>TARGET-REALPATH<TAB>PATH (and content for files)
 * Names holding a tab or a new line are skipped: they cannot be framed, and xl users do not
 * name configs that way. A constant: the arguments carry the only variable parts.
 */
export const INVENTORY_SCRIPT = `dir=$1; nonce=$2; max=$3
tab=$(printf '\\t'); nl='
'
emit() {
  printf '%s\\t%s\\n' "$nonce" "$1"
  cat -- "$2" 2>/dev/null
  printf '\\n%s\\tE\\n' "$nonce"
}
for f in "$dir"/*; do
  case "$f" in *"$tab"*|*"$nl"*) continue ;; esac
  [ -f "$f" ] || continue
  [ -x "$f" ] && continue
  [ -r "$f" ] || { printf 'hearth: unreadable %s\\n' "$f" >&2; continue; }
  size=$(wc -c < "$f" 2>/dev/null) || continue
  [ "$size" -le "$max" ] || continue
  emit "F$tab$(readlink -f -- "$f")$tab$f" "$f"
done
for f in "$dir"/auto/*; do
  case "$f" in *"$tab"*|*"$nl"*) continue ;; esac
  if [ -L "$f" ]; then
    printf '%s\\tA\\tlink\\t%s\\t%s\\n' "$nonce" "$(readlink -f -- "$f")" "$f"
  elif [ -f "$f" ]; then
    size=$(wc -c < "$f" 2>/dev/null) || size=0
    if [ "$size" -le "$max" ]; then emit "A\${tab}file$tab$(readlink -f -- "$f")$tab$f" "$f"
    else printf '%s\\tA\\tfile\\t%s\\t%s\\n' "$nonce" "$f" "$f"; fi
  elif [ -e "$f" ]; then
    printf '%s\\tA\\tother\\t\\t%s\\n' "$nonce" "$f"
  fi
done
exit 0`;

export interface ConfigEntry {
  /** Where the config file is on the host. */
  path: string;
  /** The domain's name: the file's `name =`, else the file name without its extension. */
  name: string;
  /** Started at boot: /etc/xen/auto holds a link to it, or it lives in /etc/xen/auto. */
  autostart: boolean;
  /** What the config asks for, so a stopped domain shows its size and kind. */
  type: DomainType;
  memoryMiB: number | null;
  vcpus: number | null;
}

interface RawFile {
  path: string;
  realPath: string;
  text: string;
}

interface RawAutoEntry {
  path: string;
  kind: 'link' | 'file' | 'other';
  target: string;
  text?: string;
}

export interface RawInventory {
  files: RawFile[];
  auto: RawAutoEntry[];
}

export function parseInventoryOutput(stdout: string, nonce: string): RawInventory {
  const files: RawFile[] = [];
  const auto: RawAutoEntry[] = [];
  const lines = stdout.split('\n');
  const endMarker = `${nonce}\tE`;
  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    if (!line.startsWith(`${nonce}\t`)) {
      i += 1;
      continue;
    }
    const fields = line.split('\t');
    const tag = fields[1];
    if (tag === 'F' || (tag === 'A' && fields[2] === 'file' && hasBody(lines, i + 1, endMarker, nonce))) {
      const end = lines.indexOf(endMarker, i + 1);
      const stop = end < 0 ? lines.length : end;
      // The script prints a new line after the content: drop that one.
      const body = lines.slice(i + 1, stop);
      body.pop();
      const text = body.join('\n');
      if (tag === 'F') files.push({ realPath: fields[2], path: fields.slice(3).join('\t'), text });
      else auto.push({ kind: 'file', target: fields[3], path: fields.slice(4).join('\t'), text });
      i = stop + 1;
      continue;
    }
    if (tag === 'A') {
      const kind = fields[2] === 'link' || fields[2] === 'file' ? fields[2] : 'other';
      auto.push({ kind, target: fields[3], path: fields.slice(4).join('\t') });
    }
    i += 1;
  }
  return { files, auto };
}

function hasBody(lines: string[], from: number, endMarker: string, nonce: string): boolean {
  for (let j = from; j < lines.length; j += 1) {
    if (lines[j] === endMarker) return true;
    if (lines[j].startsWith(`${nonce}\t`)) return false;
  }
  return false;
}

const DOMAIN_KEYS = ['kernel', 'type', 'builder', 'bootloader', 'disk'];

interface ConfigFacts {
  isDomainConfig: boolean;
  name?: string;
  type: DomainType;
  memoryMiB: number | null;
  vcpus: number | null;
}

/** The domain a config text declares (name, kind, size), when it is a domain config at all. */
export function domainConfigName(text: string): ConfigFacts {
  let values: Record<string, unknown>;
  try {
    values = parseConfig(text).values();
  } catch {
    return { isDomainConfig: false, type: 'unknown', memoryMiB: null, vcpus: null };
  }
  const name = typeof values.name === 'string' && values.name.length > 0 ? values.name : undefined;
  const hasDomainKey = DOMAIN_KEYS.some((key) => values[key] !== undefined);
  const number = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
  return { isDomainConfig: Boolean(name) && hasDomainKey, name, type: domainTypeOf(values), memoryMiB: number(values.memory), vcpus: number(values.vcpus) };
}

/** xl.cfg: `type` (pv, pvh, hvm), or the old `builder = "hvm"`; with neither, xl builds a PV guest. */
function domainTypeOf(values: Record<string, unknown>): DomainType {
  const type = typeof values.type === 'string' ? values.type.toLowerCase() : undefined;
  if (type === 'pv' || type === 'pvh' || type === 'hvm') return type;
  if (type !== undefined) return 'unknown';
  if (typeof values.builder === 'string') return values.builder.toLowerCase() === 'hvm' ? 'hvm' : 'pv';
  return 'pv';
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

function stem(path: string): string {
  const base = baseName(path);
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(0, dot) : base;
}

/** The inventory from the raw listing: configs in /etc/xen, and configs that live in auto/. */
export function buildInventory(raw: RawInventory): ConfigEntry[] {
  const autostartTargets = new Set(raw.auto.filter((a) => a.kind === 'link' && a.target).map((a) => a.target));
  const entries: ConfigEntry[] = [];
  const seenReal = new Set<string>();

  for (const file of raw.files) {
    const base = baseName(file.path);
    if (NOT_DOMAIN_CONFIGS.has(base) || XEN_SAMPLE_CONFIG.test(base) || base.startsWith('.') || /\.hearth-bak-\d{8}-\d{6}(-\d+)?$/.test(base)) continue;
    const parsed = domainConfigName(file.text);
    const isCfg = base.endsWith('.cfg');
    if (!isCfg && !parsed.isDomainConfig) continue;
    seenReal.add(file.realPath);
    entries.push({ path: file.path, name: parsed.name ?? stem(file.path), autostart: autostartTargets.has(file.realPath), type: parsed.type, memoryMiB: parsed.memoryMiB, vcpus: parsed.vcpus });
  }

  for (const entry of raw.auto) {
    if (entry.kind !== 'file' || entry.text === undefined) continue;
    if (seenReal.has(entry.target)) continue;
    const parsed = domainConfigName(entry.text);
    if (!parsed.isDomainConfig && !baseName(entry.path).endsWith('.cfg')) continue;
    entries.push({ path: entry.path, name: parsed.name ?? stem(entry.path), autostart: true, type: parsed.type, memoryMiB: parsed.memoryMiB, vcpus: parsed.vcpus });
  }

  return entries.sort((a, b) => a.name.localeCompare(b.name) || a.path.localeCompare(b.path));
}

/**
 * Every domain of a host: the running ones from `xl list`, joined with their config files, then
 * the stopped ones known only from their config. `typeOf` tells a running domain's kind when
 * known (from `xl list -l`); otherwise its config says.
 */
export function mergeDomains(rows: XlListRow[], configs: ConfigEntry[], typeOf: (row: XlListRow) => DomainType | undefined = () => undefined): DomainView[] {
  const byName = new Map(configs.map((c) => [c.name, c]));
  const running: DomainView[] = rows.map((r) => {
    const config = byName.get(r.name);
    const learned = r.id === 0 ? 'pv' : typeOf(r);
    return {
      name: r.name,
      id: r.id,
      state: r.state,
      memoryMiB: r.memMiB,
      vcpus: r.vcpus,
      cpuSeconds: r.cpuSeconds,
      // What the running domain says wins; when it could not say, its config's type stands in.
      type: learned && learned !== 'unknown' ? learned : config?.type ?? 'unknown',
      configPath: config?.path ?? null,
      autostart: config?.autostart ?? false,
    };
  });
  const runningNames = new Set(rows.map((r) => r.name));
  const stopped: DomainView[] = configs
    .filter((c) => !runningNames.has(c.name))
    .map((c) => ({
      name: c.name,
      id: null,
      state: 'stopped',
      memoryMiB: c.memoryMiB,
      vcpus: c.vcpus,
      cpuSeconds: null,
      type: c.type,
      configPath: c.path,
      autostart: c.autostart,
    }));
  return [...running, ...stopped].sort((a, b) => (a.id ?? Infinity) - (b.id ?? Infinity) || a.name.localeCompare(b.name));
}
