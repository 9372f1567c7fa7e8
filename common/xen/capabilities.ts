// What each toolstack and Xen version can do, in one table, so callers ask `caps.cdInsert`
// instead of branching on "xm" or a version number. Each fact names where it comes from.
// Versions are Xen's (xl info / xm info: xen_major, xen_minor).

export interface Capabilities {
  toolstack: 'xl' | 'xm';
  major: number;
  minor: number;
  /** xend keeps defined-but-stopped domains (`xm new`, `xm start NAME`, `xm delete`); xl has no such store. */
  hasManagedDomains: boolean;
  /** `rename DOMAIN NEWNAME`. */
  canRename: boolean;
  /** `save DOMAIN FILE` / `restore FILE`. */
  canSaveRestore: boolean;
  /** `cd-insert DOMAIN VDEV TARGET` / `cd-eject DOMAIN VDEV` (HVM guests). */
  cdInsert: boolean;
  /** What `list -l` prints. */
  listLongFormat: 'json' | 'sxp';
  /** `console -t pv|serial DOMAIN`. */
  consoleTypeFlag: boolean;
  /** PVH guests with `type = "pvh"`. */
  pvh: boolean;
  /** The `type = "pv"|"pvh"|"hvm"` key; older files say `builder = "hvm"` (still accepted). */
  typeKey: boolean;
  /** xl migrate is always live; xm migrate is live only with --live. */
  migrate: 'always-live' | 'live-flag';
  /** `xentop -b` (batch mode) is installed with the toolstack. */
  xentop: boolean;
  /** `vcpu-pin DOMAIN VCPU CPUS`. */
  vcpuPin: boolean;
  /** `uptime` subcommand. */
  uptime: boolean;
  /** `block-attach` argument style: xl's disk spec ("format=raw, vdev=xvdb, target=/path") or xm's "BACKDEV FRONTDEV MODE". */
  blockAttach: 'xl-diskspec' | 'xm-positional';
}

const atLeast = (major: number, minor: number, wantMajor: number, wantMinor: number) =>
  major > wantMajor || (major === wantMajor && minor >= wantMinor);

export function capabilitiesFor(toolstack: 'xl' | 'xm', major: number, minor: number): Capabilities {
  if (toolstack === 'xm') {
    return {
      toolstack,
      major,
      minor,
      // xm(1) "xm new", "xm start", "xm delete": domains managed by xend (XenAPI era, Xen 3.1+).
      hasManagedDomains: atLeast(major, minor, 3, 1),
      // xm(1) lists "rename domain-id new-name".
      canRename: true,
      // xm(1) "save" / "restore".
      canSaveRestore: true,
      // xm has no cd-insert: media changes go through block-configure (docs/misc XEN.md notes).
      cdInsert: false,
      // `xm list --long` prints SXP (the samples in tests/fixtures/xm).
      listLongFormat: 'sxp',
      // xm console takes no console type; it attaches to the PV console.
      consoleTypeFlag: false,
      pvh: false,
      typeKey: false,
      // xm(1): "migrate domain-id host [options]" with "-l, --live".
      migrate: 'live-flag',
      // tools/xentop has been part of Xen since 3.0; `xm top` runs it.
      xentop: true,
      // xm(1) "vcpu-pin domain-id vcpu cpus".
      vcpuPin: true,
      // xm(1) "uptime".
      uptime: true,
      // xm(1) "block-attach domain-id be-dev fe-dev mode".
      blockAttach: 'xm-positional',
    };
  }
  return {
    toolstack,
    major,
    minor,
    // xl keeps no domain store: `xl list` shows only domains that exist (xl(1) NOTES; XEN.md).
    hasManagedDomains: false,
    // tools/xl/xl_cmdtable.c: "rename".
    canRename: true,
    // tools/xl/xl_saverestore.c: save / restore.
    canSaveRestore: true,
    // tools/xl/xl_cdrom.c: cd-insert / cd-eject.
    cdInsert: true,
    // tools/xl/xl_info.c list_domains_details: JSON unless xl.conf sets output_format="sxp"
    // (output_format arrived with the JSON output in 4.2; xl 4.1 printed SXP).
    listLongFormat: atLeast(major, minor, 4, 2) ? 'json' : 'sxp',
    // tools/xl/xl_console.c: "-t <type>" selects pv or serial (xl(1) console, 4.2 and later).
    consoleTypeFlag: atLeast(major, minor, 4, 2),
    // docs/man/xl.cfg.5.pod.in: type="pvh" (PVH v2 guests, Xen 4.10 release notes).
    pvh: atLeast(major, minor, 4, 10),
    // docs/man/xl.cfg.5.pod.in: "type" replaced "builder" in 4.10; builder is still read.
    typeKey: atLeast(major, minor, 4, 10),
    // tools/xl/xl_migrate.c: xl migrate always sends the domain live (no --live flag).
    migrate: 'always-live',
    // tools/xl/xl_info.c main_top: `xl top` runs "xentop".
    xentop: true,
    // tools/xl/xl_vcpu.c: vcpu-pin.
    vcpuPin: true,
    // tools/xl/xl_info.c main_uptime.
    uptime: true,
    // tools/xl/xl_block.c: block-attach takes an xl disk spec (docs/man/xl-disk-configuration.5).
    blockAttach: 'xl-diskspec',
  };
}
