// One shape for a domain's configuration, read either from `xl list -l` (JSON) or from
// `xm list --long` (SXP).
//
// xl list -l (tools/xl/xl_info.c list_domains_details): a JSON array of
// {"domid": N|null, "config": libxl_domain_config}, with the fields of
// tools/libs/light/libxl_types.idl: c_info {type, name, uuid}, b_info {max_vcpus, avail_vcpus
// (list of online vCPU numbers), max_memkb, target_memkb, and the keyed union "type.hvm" holding
// vnc {enable, listen, passwd, display, findunused} and sdl {enable}}, disks [{pdev_path, vdev,
// format, is_cdrom, readwrite}], nics [{bridge, mac, model, script}], vfbs [{vnc, sdl}] (PV
// guests' framebuffers). libxl writes booleans (libxl_defbool) as "True"/"False" and leaves out
// fields that hold their default value (0, "", false).
import type { DomainType } from '../model';
import { parseSxp, sxpChild, sxpChildren, sxpValue, type SxpNode } from './sxp';

export interface DomainDisk {
  target: string;
  vdev: string;
  format: string | null;
  cdrom: boolean;
  readonly: boolean;
}

export interface DomainNic {
  bridge: string | null;
  mac: string | null;
  model: string | null;
  script: string | null;
}

export interface DomainVnc {
  enabled: boolean;
  listen: string | null;
  display: number | null;
  findUnused: boolean;
  passwordSet: boolean;
}

export interface DomainDetails {
  name: string;
  id: number | null;
  uuid: string | null;
  type: DomainType;
  memoryMiB: number | null;
  maxMemoryMiB: number | null;
  vcpus: number | null;
  disks: DomainDisk[];
  nics: DomainNic[];
  vnc: DomainVnc | null;
  sdl: boolean;
}

type Json = Record<string, unknown>;

const obj = (v: unknown): Json | undefined =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : undefined;
const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
/** libxl_defbool / bool as JSON: "True"/"False" (defbool), true/false or 1/0. */
const bool = (v: unknown): boolean => v === true || v === 'True' || v === 1;
// Rounded: libxl gives Domain-0 a target of 786431 KiB for dom0_mem=768M (lab capture).
const kibToMib = (v: unknown): number | null => {
  const n = num(v);
  return n === null ? null : Math.round(n / 1024);
};

function domainTypeOf(v: unknown): DomainType {
  return v === 'pv' || v === 'pvh' || v === 'hvm' ? v : 'unknown';
}

// libxl fills defaults when it builds a domain (libxl_create.c libxl__domain_build_info_setdefault,
// libxl__device_vfb_setdefault): VNC enabled, findunused on while enabled, listen 127.0.0.1. The
// retrieved configuration leaves such defaults out (the lab's hvmtest shows only enable and listen).
function vncFromLibxl(v: unknown): DomainVnc | null {
  const o = obj(v);
  if (!o) return null;
  const enabled = o.enable === undefined ? true : bool(o.enable);
  return {
    enabled,
    listen: str(o.listen) ?? (enabled ? '127.0.0.1' : null),
    display: num(o.display),
    findUnused: o.findunused === undefined ? enabled : bool(o.findunused),
    passwordSet: str(o.passwd) !== null,
  };
}

function detailsFromXlJson(entry: unknown): DomainDetails {
  const e = obj(entry);
  const config = obj(e?.config);
  if (!e || !config) throw new Error('An entry of "xl list -l" has no "config" object.');
  const cInfo = obj(config.c_info) ?? {};
  const bInfo = obj(config.b_info) ?? {};
  const type = domainTypeOf(cInfo.type);
  // The keyed union u of libxl_domain_build_info is written as "type.hvm" / "type.pv" / "type.pvh".
  const hvm = obj(bInfo['type.hvm']);

  const disks: DomainDisk[] = (Array.isArray(config.disks) ? config.disks : []).map((d) => {
    const o = obj(d) ?? {};
    return {
      target: typeof o.pdev_path === 'string' ? o.pdev_path : '',
      vdev: typeof o.vdev === 'string' ? o.vdev : '',
      format: str(o.format),
      cdrom: bool(o.is_cdrom),
      readonly: !bool(o.readwrite),
    };
  });
  const nics: DomainNic[] = (Array.isArray(config.nics) ? config.nics : []).map((n) => {
    const o = obj(n) ?? {};
    return { bridge: str(o.bridge), mac: str(o.mac), model: str(o.model), script: str(o.script) };
  });

  // HVM: the device model's VNC server (b_info type.hvm.vnc). PV/PVH: a vfb device's VNC server.
  let vnc = hvm && !bool(hvm.nographic) ? vncFromLibxl(hvm.vnc ?? {}) : null;
  let sdl = hvm ? bool(obj(hvm.sdl)?.enable) : false;
  for (const f of Array.isArray(config.vfbs) ? config.vfbs : []) {
    const o = obj(f) ?? {};
    const v = vncFromLibxl(o.vnc);
    if (v && (!vnc || (!vnc.enabled && v.enabled))) vnc = v;
    if (bool(obj(o.sdl)?.enable)) sdl = true;
  }

  const avail = bInfo.avail_vcpus;
  const vcpus = Array.isArray(avail) && avail.length > 0 ? avail.length : num(bInfo.max_vcpus);

  return {
    name: typeof cInfo.name === 'string' ? cInfo.name : '',
    id: num(e.domid),
    uuid: str(cInfo.uuid),
    type,
    memoryMiB: kibToMib(bInfo.target_memkb),
    maxMemoryMiB: kibToMib(bInfo.max_memkb),
    vcpus,
    disks,
    nics,
    vnc,
    sdl,
  };
}

/** Domains of `xl list -l` (JSON output, xl.conf output_format="json", the default). */
export function parseXlListLong(jsonText: string): DomainDetails[] {
  const trimmed = jsonText.trim();
  if (trimmed === '') return [];
  let data: unknown;
  try {
    data = JSON.parse(trimmed);
  } catch (err) {
    throw new Error(
      `"xl list -l" did not print JSON (${(err as Error).message}). If /etc/xen/xl.conf sets output_format="sxp", Hearth cannot read it: remove that line.`,
    );
  }
  // `xl list -l DOMAIN` still prints an array (list_domains_details); accept a lone object too.
  const entries = Array.isArray(data) ? data : [data];
  return entries.map(detailsFromXlJson);
}

// ---- xm list --long (SXP) ----

const intOrNull = (v: string | undefined): number | null => {
  if (v === undefined || v === '') return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
};
const nonEmpty = (v: string | undefined): string | null => (v === undefined || v === '' ? null : v);
const flag = (v: string | undefined): boolean => v === '1' || v === 'True' || v === 'true';

/** xm disk `uname`: "phy:/dev/sdb7", "file:/img", "tap:aio:/img", "tap:qcow:/img", "tap2:tapdisk:vhd:/img". */
function splitUname(uname: string): { target: string; format: string | null } {
  const m = /^(phy|file):(.*)$/.exec(uname);
  if (m) return { target: m[2], format: 'raw' };
  const tap = /^tap2?:(?:tapdisk:)?(aio|sync|qcow2?|vhd|vmdk|ram):(.*)$/.exec(uname);
  if (tap) return { target: tap[2], format: tap[1] === 'aio' || tap[1] === 'sync' || tap[1] === 'ram' ? 'raw' : tap[1] };
  return { target: uname, format: null };
}

function vncFromSxp(node: SxpNode): DomainVnc | null {
  const vnc = sxpValue(node, 'vnc');
  const location = sxpValue(node, 'location');
  if (vnc === undefined && location === undefined) return null;
  let display = intOrNull(sxpValue(node, 'vncdisplay'));
  const port = location ? /:(\d+)$/.exec(location) : null;
  if (display === null && port) display = Number(port[1]) - 5900;
  return {
    enabled: vnc === undefined ? location !== undefined : flag(vnc),
    listen: nonEmpty(sxpValue(node, 'vnclisten')),
    display,
    findUnused: flag(sxpValue(node, 'vncunused')),
    passwordSet: nonEmpty(sxpValue(node, 'vncpasswd')) !== null,
  };
}

function detailsFromXmSxp(domain: SxpNode[]): DomainDetails {
  const image = sxpChild(domain, 'image');
  const imageKind = image && Array.isArray(image[1]) ? image[1] : undefined;
  const kindName = imageKind && typeof imageKind[0] === 'string' ? imageKind[0] : undefined;
  const type: DomainType = kindName === 'linux' ? 'pv' : kindName === 'hvm' ? 'hvm' : 'unknown';

  const disks: DomainDisk[] = [];
  const nics: DomainNic[] = [];
  let vnc: DomainVnc | null = null;
  let sdl = false;
  for (const device of sxpChildren(domain, 'device')) {
    const dev = device[1];
    if (!Array.isArray(dev) || typeof dev[0] !== 'string') continue;
    const kind = dev[0];
    if (kind === 'vbd' || kind === 'tap' || kind === 'tap2') {
      const devName = sxpValue(dev, 'dev') ?? '';
      const [vdev, devType] = devName.split(':');
      const { target, format } = splitUname(sxpValue(dev, 'uname') ?? '');
      disks.push({
        target,
        vdev: vdev ?? '',
        format,
        cdrom: devType === 'cdrom',
        readonly: (sxpValue(dev, 'mode') ?? 'w') === 'r',
      });
    } else if (kind === 'vif') {
      nics.push({
        bridge: nonEmpty(sxpValue(dev, 'bridge')),
        mac: nonEmpty(sxpValue(dev, 'mac')),
        model: nonEmpty(sxpValue(dev, 'model')),
        script: nonEmpty(sxpValue(dev, 'script')),
      });
    } else if (kind === 'vfb') {
      const v = vncFromSxp(dev);
      if (v && (!vnc || (!vnc.enabled && v.enabled))) vnc = v;
      if (flag(sxpValue(dev, 'sdl')) || sxpValue(dev, 'type') === 'sdl') sdl = true;
    }
  }
  // Xen 3.x HVM guests kept vnc/sdl in (image (hvm ...)) when no vfb device was listed.
  if (imageKind) {
    if (!vnc) vnc = vncFromSxp(imageKind);
    if (flag(sxpValue(imageKind, 'sdl'))) sdl = true;
  }

  return {
    name: sxpValue(domain, 'name') ?? '',
    id: intOrNull(sxpValue(domain, 'domid')),
    uuid: nonEmpty(sxpValue(domain, 'uuid')),
    type,
    // xend reports memory and maxmem in MiB.
    memoryMiB: intOrNull(sxpValue(domain, 'memory')),
    maxMemoryMiB: intOrNull(sxpValue(domain, 'maxmem')),
    vcpus: intOrNull(sxpValue(domain, 'vcpus')),
    disks,
    nics,
    vnc,
    sdl,
  };
}

/** Domains of `xm list --long`: each top-level `(domain ...)` expression. */
export function parseXmListLong(sxpText: string): DomainDetails[] {
  return parseSxp(sxpText)
    .filter((n): n is SxpNode[] => Array.isArray(n) && n[0] === 'domain')
    .map(detailsFromXmSxp);
}
