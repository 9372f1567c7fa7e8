// The built-in demo host: a simulated Xen 4.17 Dom0 behind the Executor interface, for newcomers
// to look around without a Xen box. It answers the commands the toolstack driver sends (xl,
// the inventory and file scripts, xentop -b, xenstore-read) in the real hosts' output formats.
// Its hostname is `demo-simulation`, and every message it writes on its own says it is a
// simulation. It never stands in for a real host in a test that claims a real-host result.
import { randomUUID } from 'node:crypto';
import { parseConfig } from '../../common/xen/index';
import type { ExecOptions, ExecResult, Executor } from '../toolstack/executor';
import { PROBE_SCRIPT } from '../toolstack/detect';
import { AUTOSTART_SCRIPT, WRITE_SCRIPT, sha256Hex } from '../toolstack/files';
import { INVENTORY_SCRIPT } from '../toolstack/inventory';
import {
  formatXentopFrame,
  formatXlInfo,
  formatXlList,
  formatXlListLong,
  formatXlUptime,
  libxlConfig,
  libxlDom0Config,
  type DemoDomainView,
  type XentopSample,
} from './formats';
import { DEMO_AUTOSTART, DEMO_FILES, DEMO_HOST, DEMO_HOSTNAME, DEMO_RUNNING } from './seed';

export const SIMULATION_NOTE = 'demo-simulation: this is Hearth\'s simulated Xen host, not a real machine';

export interface DemoTiming {
  /** How long `xl create` takes before the domain runs. */
  createMs: number;
  /** How long a domain shows the shutdown flag before it is gone. */
  shutdownMs: number;
  destroyMs: number;
  saveMs: number;
}

export interface DemoHostOptions {
  /** Milliseconds since the epoch; a test may drive its own clock. */
  now?: () => number;
  /** How the simulation waits; a test may make it instant. */
  sleep?: (ms: number) => Promise<void>;
  timing?: Partial<DemoTiming>;
}

const DEFAULT_TIMING: DemoTiming = { createMs: 2500, shutdownMs: 3000, destroyMs: 600, saveMs: 1500 };

type FsNode = { kind: 'file'; text: string; mode: number } | { kind: 'link'; target: string } | { kind: 'image'; domain: SavedDomain };

interface DomainSpec {
  name: string;
  type: 'pv' | 'pvh' | 'hvm';
  memMiB: number;
  maxMemMiB: number;
  vcpus: number;
  configPath: string | null;
  config: Record<string, unknown>;
  load: number;
}

interface SavedDomain extends DomainSpec {
  uuid: string;
  cpuSeconds: number;
}

interface Domain extends SavedDomain {
  id: number;
  startedAt: number;
  paused: boolean;
  /** Set while shutting down: when the request came, and why ('-' poweroff, 'r' reboot). */
  shutdown?: { since: number; reason: '-' | 'r' };
  /** CPU time up to `cpuAt`. */
  cpuAt: number;
  /** A VNC display number for HVM guests. */
  vncDisplay?: number;
  stats: { netTx: number; netRx: number; rd: number; wr: number; rsect: number; wsect: number };
}

const ok = (stdout = '', stderr = ''): ExecResult => ({ stdout, stderr, code: 0 });
const fail = (stderr: string, code = 1, stdout = ''): ExecResult => ({ stdout, stderr, code });

export class DemoHost implements Executor {
  readonly hostname = DEMO_HOSTNAME;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly timing: DemoTiming;
  private readonly fs = new Map<string, FsNode>();
  private readonly domains = new Map<string, Domain>();
  private readonly bootedAt: number;
  private nextDomid = 1;
  private nextVncDisplay = 0;
  private lastXentop = new Map<string, { at: number; cpu: number }>();

  constructor(options: DemoHostOptions = {}) {
    this.now = options.now ?? (() => Date.now());
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.timing = { ...DEFAULT_TIMING, ...options.timing };
    const now = this.now();
    this.bootedAt = now - DEMO_HOST.dom0UptimeSeconds * 1000;
    for (const [path, text] of Object.entries(DEMO_FILES)) this.fs.set(path, { kind: 'file', text, mode: 0o644 });
    for (const [path, target] of Object.entries(DEMO_AUTOSTART)) this.fs.set(path, { kind: 'link', target });
    for (const running of DEMO_RUNNING) {
      const spec = this.specFromConfig(running.config);
      if (!spec) continue;
      const domain = this.startDomain({ ...spec, uuid: randomUUID(), cpuSeconds: 0 }, now - running.uptimeSeconds * 1000);
      domain.load = running.load;
      domain.cpuSeconds = running.uptimeSeconds * running.load * domain.vcpus * 0.35;
      domain.cpuAt = now;
    }
  }

  async exec(argv: readonly string[], options: ExecOptions = {}): Promise<ExecResult> {
    let args = [...argv];
    // The demo's user is root; accept sudo all the same, as a real host would.
    if (args[0] === 'sudo') {
      args = args.slice(1);
      while (args[0] === '-n' || args[0] === '--') args = args.slice(1);
    }
    const program = args[0] ?? '';
    const base = program.slice(program.lastIndexOf('/') + 1);
    this.settle();
    try {
      switch (base) {
        case 'sh':
          return await this.shell(args, options);
        case 'xl':
          return await this.xl(args.slice(1));
        case 'cat':
          return this.cat(args.slice(1));
        case 'xentop':
          return this.xentop(args.slice(1));
        case 'xenstore-read':
          return this.xenstoreRead(args.slice(1));
        case 'id':
          return ok('0\n');
        default:
          return fail(`${SIMULATION_NOTE}; it does not run "${program}".\n`, 127);
      }
    } finally {
      this.settle();
    }
  }

  // ---- shell scripts sent by the driver ----

  private async shell(args: string[], options: ExecOptions): Promise<ExecResult> {
    if (args[1] !== '-c') return fail(`${SIMULATION_NOTE}; it runs only Hearth's own scripts.\n`, 127);
    const script = args[2];
    const params = args.slice(4);
    if (script === PROBE_SCRIPT) return ok('uid=0\nxl=/usr/sbin/xl\nxm=\n');
    if (script === INVENTORY_SCRIPT) return this.inventory(params[0], params[1], Number(params[2]));
    if (script === WRITE_SCRIPT) return this.writeScript(params[0], params[1], stdinText(options.stdin));
    if (script === AUTOSTART_SCRIPT) return this.autostartScript(params[0], params[1], params[2]);
    return fail(`${SIMULATION_NOTE}; it runs only Hearth's own scripts.\n`, 127);
  }

  private inventory(dir: string, nonce: string, max: number): ExecResult {
    const out: string[] = [];
    const emit = (header: string, text: string) => {
      out.push(`${nonce}\t${header}\n${text}\n${nonce}\tE\n`);
    };
    for (const path of this.listDir(dir)) {
      const node = this.fs.get(path);
      const real = this.realPath(path);
      const target = real ? this.fs.get(real) : undefined;
      if (!target || target.kind !== 'file' || (target.mode & 0o111) !== 0) continue;
      if (Buffer.byteLength(target.text) > max) continue;
      if (node) emit(`F\t${real}\t${path}`, target.text);
    }
    for (const path of this.listDir(`${dir}/auto`)) {
      const node = this.fs.get(path);
      if (!node) continue;
      if (node.kind === 'link') out.push(`${nonce}\tA\tlink\t${this.realPath(path) ?? ''}\t${path}\n`);
      else if (node.kind === 'file') emit(`A\tfile\t${path}\t${path}`, node.text);
      else out.push(`${nonce}\tA\tother\t\t${path}\n`);
    }
    return ok(out.join(''));
  }

  private writeScript(target: string, expected: string, text: string): ExecResult {
    const node = this.fs.get(target);
    if (expected === 'absent') {
      if (node) return fail('hearth: exists\n', 12);
      this.fs.set(target, { kind: 'file', text, mode: 0o644 });
      return ok('\n');
    }
    if (!node || node.kind !== 'file') return fail('hearth: vanished\n', 11);
    const current = sha256Hex(node.text);
    if (current !== expected) return fail(`hearth: stale ${current}\n`, 10);
    const stamp = timestamp(new Date(this.now()));
    let backup = `${target}.hearth-bak-${stamp}`;
    for (let n = 2; this.fs.has(backup); n += 1) backup = `${target}.hearth-bak-${stamp}-${n}`;
    this.fs.set(backup, { ...node });
    this.fs.set(target, { kind: 'file', text, mode: node.mode });
    return ok(`${backup}\n`);
  }

  private autostartScript(mode: string, cfg: string, auto: string): ExecResult {
    const real = this.realPath(cfg);
    const realNode = real ? this.fs.get(real) : undefined;
    if (!real || !realNode || realNode.kind !== 'file') return fail('hearth: no config\n', 20);
    const base = cfg.slice(cfg.lastIndexOf('/') + 1);
    const link = `${auto}/${base}`;
    const inAuto = cfg.slice(0, cfg.lastIndexOf('/')) === auto;
    if (mode === 'on') {
      if (inAuto) return ok();
      const existing = this.fs.get(link);
      if (existing?.kind === 'link') {
        if (this.realPath(link) === real) return ok();
        return fail('', 21, `${existing.target}\n`);
      }
      if (existing) return fail('', 22);
      this.fs.set(link, { kind: 'link', target: cfg });
      return ok();
    }
    if (inAuto) return fail('', 23);
    let removed = false;
    for (const entry of this.listDir(auto)) {
      if (this.fs.get(entry)?.kind === 'link' && this.realPath(entry) === real) {
        this.fs.delete(entry);
        removed = true;
      }
    }
    if (!removed && this.fs.get(link)?.kind === 'file') return fail('', 22);
    return ok();
  }

  private cat(args: string[]): ExecResult {
    const paths = args.filter((a) => a !== '--');
    let out = '';
    for (const path of paths) {
      if (path === '/proc/uptime') {
        const up = (this.now() - this.bootedAt) / 1000;
        out += `${up.toFixed(2)} ${(up * DEMO_HOST.nrCpus * 0.93).toFixed(2)}\n`;
        continue;
      }
      const real = this.realPath(path);
      const node = real ? this.fs.get(real) : undefined;
      if (!node) return fail(`cat: ${path}: No such file or directory\n`);
      if (node.kind === 'image') {
        out += `${SIMULATION_NOTE}; saved memory image of domain ${node.domain.name}\n`;
        continue;
      }
      if (node.kind === 'file') out += node.text;
    }
    return ok(out);
  }

  // ---- xl ----

  private async xl(args: string[]): Promise<ExecResult> {
    const [sub, ...rest] = args;
    const opts = rest.filter((a, i) => a.startsWith('-') && a !== '--' && !rest.slice(0, i).includes('--'));
    const dashDash = rest.indexOf('--');
    const positional = rest.filter((a, i) => (dashDash >= 0 && i > dashDash) || (!a.startsWith('-') && (dashDash < 0 || i < dashDash)));
    switch (sub) {
      case 'info':
        return ok(this.xlInfo());
      case 'list':
        return this.xlList(opts, positional);
      case 'uptime':
        return ok(formatXlUptime(this.views()));
      case 'create':
        return this.xlCreate(positional[0]);
      case 'shutdown':
        return this.xlShutdown(positional[0], opts.includes('-w'));
      case 'reboot':
        return this.xlReboot(positional[0]);
      case 'destroy':
        return this.xlDestroy(positional[0]);
      case 'pause':
      case 'unpause':
        return this.xlPause(positional[0], sub === 'pause');
      case 'rename':
        return this.xlRename(positional[0], positional[1]);
      case 'save':
        return this.xlSave(positional[0], positional[1]);
      case 'restore':
        return this.xlRestore(positional[0]);
      default:
        return fail(`${SIMULATION_NOTE}; it does not simulate "xl ${sub ?? ''}".\n`, 1);
    }
  }

  private xlInfo(): string {
    const used = [...this.domains.values()].reduce((sum, d) => sum + d.maxMemMiB, 0);
    const free = DEMO_HOST.totalMemoryMiB - DEMO_HOST.dom0MemoryMiB - DEMO_HOST.xenOverheadMiB - used;
    return formatXlInfo([
      ['host', DEMO_HOSTNAME],
      ['release', '6.1.0-28-amd64'],
      ['version', '#1 SMP PREEMPT_DYNAMIC Debian 6.1.119-1 (2024-11-22)'],
      ['machine', 'x86_64'],
      ['nr_cpus', DEMO_HOST.nrCpus],
      ['max_cpu_id', DEMO_HOST.nrCpus - 1],
      ['nr_nodes', 1],
      ['cores_per_socket', DEMO_HOST.nrCpus],
      ['threads_per_core', 1],
      ['cpu_mhz', '3192.606'],
      ['hw_caps', 'bfebfbff:77fafbff:2c100800:00000121:0000000f:009c6fbf:00000000:00000100'],
      ['virt_caps', 'pv hvm hvm_directio pv_directio hap shadow gnttab-v1 gnttab-v2'],
      ['total_memory', DEMO_HOST.totalMemoryMiB],
      ['free_memory', Math.max(0, free)],
      ['sharing_freed_memory', 0],
      ['sharing_used_memory', 0],
      ['outstanding_claims', 0],
      ['free_cpus', 0],
      ['xen_major', 4],
      ['xen_minor', 17],
      ['xen_extra', '.5'],
      ['xen_version', '4.17.5'],
      ['xen_caps', 'xen-3.0-x86_64 hvm-3.0-x86_32 hvm-3.0-x86_32p hvm-3.0-x86_64'],
      ['xen_scheduler', 'credit2'],
      ['xen_pagesize', 4096],
      ['platform_params', 'virt_start=0xffff800000000000'],
      ['xen_changeset', ''],
      ['xen_commandline', 'placeholder dom0_mem=2048M,max:2048M dom0_max_vcpus=4'],
      ['cc_compiler', 'x86_64-linux-gnu-gcc (Debian 12.2.0-14) 12.2.0'],
      ['cc_compile_by', 'pkg-xen-devel'],
      ['cc_compile_domain', 'lists.alioth.debian.org'],
      ['cc_compile_date', 'Mon Nov 11 10:00:00 UTC 2024'],
      ['build_id', '0d3d1c4ed1b0f2f3a1b4c8d92b5e7a6f0c4d3e21'],
      ['xend_config_format', 4],
    ]);
  }

  private xlList(opts: string[], positional: string[]): ExecResult {
    let views = this.views();
    if (positional.length > 0) {
      const name = positional[0];
      const found = views.filter((v) => v.name === name || String(v.id) === name);
      if (found.length === 0) return fail(`${name} is an invalid domain identifier (rc=-6)\n`);
      views = found;
    }
    if (opts.includes('-l') || opts.includes('--long')) {
      return ok(formatXlListLong(views.map((v) => ({ domid: v.id, config: v.id === 0 ? libxlDom0Config(DEMO_HOST.dom0MemoryMiB) : v.config }))));
    }
    return ok(formatXlList(views));
  }

  private async xlCreate(path: string | undefined): Promise<ExecResult> {
    if (!path) return fail("'xl create' requires at least 1 argument.\n\n", 2);
    const real = this.realPath(path);
    const node = real ? this.fs.get(real) : undefined;
    if (!node || node.kind !== 'file') {
      return fail(`Failed to read config file: ${path}: No such file or directory\n`);
    }
    const parsing = `Parsing config from ${path}\n`;
    const spec = this.specFromConfig(real!);
    if (!spec) return fail(`${parsing}${SIMULATION_NOTE}; this config has no name, so it cannot start.\n`);
    if (this.domains.has(spec.name)) {
      return fail(`${parsing}libxl: error: libxl_create.c:703:libxl__domain_make: domain with name "${spec.name}" already exists.\nlibxl: error: libxl_create.c:1256:initiate_domain_create: cannot make domain: -6\n`);
    }
    if (spec.maxMemMiB > this.freeMemoryMiB()) {
      return fail(`${parsing}failed to free memory for the domain\n`);
    }
    await this.sleep(this.timing.createMs);
    if (this.domains.has(spec.name)) {
      return fail(`${parsing}libxl: error: libxl_create.c:703:libxl__domain_make: domain with name "${spec.name}" already exists.\n`);
    }
    this.startDomain({ ...spec, uuid: randomUUID(), cpuSeconds: 0 }, this.now());
    return ok('', parsing);
  }

  private async xlShutdown(name: string | undefined, wait: boolean): Promise<ExecResult> {
    const domain = this.find(name);
    if (!domain) return this.notFound(name);
    this.accountCpu(domain);
    domain.shutdown ??= { since: this.now(), reason: '-' };
    const said = `Shutting down domain ${domain.id}\n`;
    if (!wait) return ok('', said);
    await this.sleep(this.timing.shutdownMs);
    this.settle();
    return ok('', `${said}Waiting for 1 domains\nDomain ${domain.id} has been shut down, reason code 0\n`);
  }

  private async xlReboot(name: string | undefined): Promise<ExecResult> {
    const domain = this.find(name);
    if (!domain) return this.notFound(name);
    this.accountCpu(domain);
    domain.shutdown ??= { since: this.now(), reason: 'r' };
    return ok('', `Rebooting domain ${domain.id}\n`);
  }

  private async xlDestroy(name: string | undefined): Promise<ExecResult> {
    const domain = this.find(name);
    if (!domain) return this.notFound(name);
    await this.sleep(this.timing.destroyMs);
    this.domains.delete(domain.name);
    return ok();
  }

  private xlPause(name: string | undefined, pause: boolean): ExecResult {
    const domain = this.find(name);
    if (!domain) return this.notFound(name);
    this.accountCpu(domain);
    domain.paused = pause;
    return ok();
  }

  private xlRename(oldName: string | undefined, newName: string | undefined): ExecResult {
    if (!oldName || !newName) return fail("'xl rename' requires at least 2 arguments.\n\n", 2);
    const domain = this.find(oldName);
    if (!domain) return this.notFound(oldName);
    if (newName === domain.name) return ok();
    if (this.domains.has(newName)) {
      return fail(`libxl: error: libxl_domain.c:${domain.id}:libxl__domain_rename: Domain ${domain.id}:domain with name "${newName}" already exists.\n`);
    }
    this.domains.delete(domain.name);
    domain.name = newName;
    (domain.config.c_info as Record<string, unknown>).name = newName;
    this.domains.set(newName, domain);
    return ok();
  }

  private async xlSave(name: string | undefined, file: string | undefined): Promise<ExecResult> {
    if (!name || !file) return fail("'xl save' requires at least 2 arguments.\n\n", 2);
    const domain = this.find(name);
    if (!domain) return this.notFound(name);
    await this.sleep(this.timing.saveMs);
    this.accountCpu(domain);
    const { id: _id, startedAt: _s, paused: _p, shutdown: _sd, cpuAt: _c, vncDisplay: _v, stats: _st, ...saved } = domain;
    this.fs.set(file, { kind: 'image', domain: saved });
    this.domains.delete(domain.name);
    return ok('', `Saving to ${file} new xl format (info 0x3/0x0/1307)\nxc: info: Saving domain ${domain.id}, type x86 ${domain.type.toUpperCase()}\n`);
  }

  private async xlRestore(file: string | undefined): Promise<ExecResult> {
    if (!file) return fail("'xl restore' requires at least 1 argument.\n\n", 2);
    const node = this.fs.get(file);
    if (!node) return fail(`Failed to open restore file ${file}: No such file or directory\n`);
    if (node.kind !== 'image') return fail(`File header signature mismatch: ${file} is not an xl save file\n`);
    if (this.domains.has(node.domain.name)) {
      return fail(`libxl: error: libxl_create.c:703:libxl__domain_make: domain with name "${node.domain.name}" already exists.\n`);
    }
    if (node.domain.maxMemMiB > this.freeMemoryMiB()) return fail('failed to free memory for the domain\n');
    await this.sleep(this.timing.saveMs);
    this.startDomain({ ...node.domain }, this.now());
    return ok('', `Loading new save file ${file} (new xl fmt info 0x3/0x0/1307)\n Savefile contains xl domain config in JSON format\nParsing config from <saved>\n`);
  }

  // ---- xentop and xenstore ----

  private xentop(args: string[]): ExecResult {
    if (!args.includes('-b')) return fail(`${SIMULATION_NOTE}; xentop runs here only in batch mode (-b).\n`);
    const iIndex = args.indexOf('-i');
    const dIndex = args.indexOf('-d');
    const iterations = iIndex >= 0 ? Math.max(1, Number(args[iIndex + 1]) || 1) : 1;
    const delay = dIndex >= 0 ? Math.max(0.1, Number(args[dIndex + 1]) || 3) : 3;
    const frames: string[] = [];
    for (let i = 0; i < iterations; i += 1) {
      const at = this.now() + i * delay * 1000;
      frames.push(formatXentopFrame(this.xentopSamples(at, i === 0)));
    }
    return ok(frames.join(''));
  }

  private xentopSamples(at: number, first: boolean): XentopSample[] {
    const totalKiB = DEMO_HOST.totalMemoryMiB * 1024;
    const samples: XentopSample[] = [];
    // xentop sorts its rows by name (byte order: "Domain-0" first, as on the real host).
    const views = this.views(at).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const view of views) {
      const domain = this.domains.get(view.name);
      const previous = this.lastXentop.get(view.name);
      const cpuPercent = first || !previous || at <= previous.at ? 0 : ((view.cpuSeconds - previous.cpu) / ((at - previous.at) / 1000)) * 100;
      this.lastXentop.set(view.name, { at, cpu: view.cpuSeconds });
      const f = view.flags;
      // xl order r b p s <reason> d -> xentop order d s b c p r
      const flags = `${f[5] === 'd' ? 'd' : '-'}${f[3] === 's' ? 's' : '-'}${f[1] === 'b' ? 'b' : '-'}${f[4] === 'c' ? 'c' : '-'}${f[2] === 'p' ? 'p' : '-'}${f[0] === 'r' ? 'r' : '-'}`;
      const stats = domain?.stats;
      const upFor = view.uptimeSeconds;
      samples.push({
        name: view.name,
        flags,
        cpuSeconds: view.cpuSeconds,
        cpuPercent: Math.max(0, cpuPercent),
        memKiB: view.memMiB * 1024,
        memPercent: ((view.memMiB * 1024) / totalKiB) * 100,
        // Xen's limit for a guest is its maxmem plus libxl's 1 MiB of slack (LIBXL_MAXMEM_CONSTANT).
        maxMemKiB: view.maxMemMiB * 1024 + (view.id === 0 ? 0 : 1024),
        vcpus: view.vcpus,
        nets: view.id === 0 ? 0 : ((view.config.nics as unknown[]) ?? []).length,
        netTxKiB: stats ? Math.floor(stats.netTx * upFor) : 0,
        netRxKiB: stats ? Math.floor(stats.netRx * upFor) : 0,
        vbds: view.id === 0 ? 0 : ((view.config.disks as unknown[]) ?? []).length,
        vbdRd: stats ? Math.floor(stats.rd * upFor) : 0,
        vbdWr: stats ? Math.floor(stats.wr * upFor) : 0,
        vbdRsect: stats ? Math.floor(stats.rsect * upFor) : 0,
        vbdWsect: stats ? Math.floor(stats.wsect * upFor) : 0,
        totalMemKiB: totalKiB,
      });
    }
    return samples;
  }

  private xenstoreRead(args: string[]): ExecResult {
    const path = args.find((a) => a.startsWith('/'));
    const m = path ? /^\/local\/domain\/(\d+)\/console\/(vnc-port|vnc-listen)$/.exec(path) : null;
    const domain = m ? [...this.domains.values()].find((d) => d.id === Number(m[1])) : undefined;
    if (!m || !domain || domain.vncDisplay === undefined) {
      return fail(`xenstore-read: couldn't read path ${path ?? ''}\n`);
    }
    return ok(m[2] === 'vnc-port' ? `${5900 + domain.vncDisplay}\n` : '127.0.0.1\n');
  }

  // ---- the simulated state ----

  /** Apply the transitions that time has completed: finished shutdowns and reboots. */
  private settle(): void {
    const now = this.now();
    for (const domain of [...this.domains.values()]) {
      if (!domain.shutdown || now - domain.shutdown.since < this.timing.shutdownMs) continue;
      this.domains.delete(domain.name);
      if (domain.shutdown.reason === 'r') {
        const { id: _id, startedAt: _s, paused: _p, shutdown: _sd, cpuAt: _c, vncDisplay: _v, stats: _st, ...saved } = domain;
        this.startDomain({ ...saved, cpuSeconds: 0 }, domain.shutdown.since + this.timing.shutdownMs);
      }
    }
  }

  private startDomain(saved: SavedDomain, startedAt: number): Domain {
    const domain: Domain = {
      ...saved,
      config: libxlConfigFor(saved),
      id: this.nextDomid++,
      startedAt,
      paused: false,
      cpuAt: startedAt,
      stats: {
        netTx: 2 + saved.load * 40,
        netRx: 3 + saved.load * 60,
        rd: 0.05 + saved.load,
        wr: 0.03 + saved.load / 2,
        rsect: 1 + saved.load * 16,
        wsect: 0.5 + saved.load * 8,
      },
    };
    if (domain.type === 'hvm') domain.vncDisplay = this.nextVncDisplay++;
    (domain.config.c_info as Record<string, unknown>).name = domain.name;
    this.domains.set(domain.name, domain);
    return domain;
  }

  /** CPU seconds used up to `at`, without changing the record (xentop looks ahead in time). */
  private cpuUntil(domain: Domain, at: number): number {
    const running = !domain.paused && !domain.shutdown;
    const elapsed = Math.max(0, at - domain.cpuAt) / 1000;
    return domain.cpuSeconds + (running ? elapsed * domain.load * domain.vcpus * 0.35 : 0);
  }

  /** Book the CPU time used so far, before the domain's state changes. */
  private accountCpu(domain: Domain): void {
    const at = this.now();
    domain.cpuSeconds = this.cpuUntil(domain, at);
    domain.cpuAt = Math.max(domain.cpuAt, at);
  }

  private views(at = this.now()): DemoDomainView[] {
    const dom0Up = (at - this.bootedAt) / 1000;
    const dom0: DemoDomainView = {
      name: 'Domain-0',
      id: 0,
      type: 'pv',
      uuid: '00000000-0000-0000-0000-000000000000',
      memMiB: DEMO_HOST.dom0MemoryMiB,
      maxMemMiB: DEMO_HOST.dom0MemoryMiB,
      vcpus: DEMO_HOST.dom0Vcpus,
      flags: 'r-----',
      cpuSeconds: dom0Up * 0.021 * DEMO_HOST.dom0Vcpus,
      uptimeSeconds: dom0Up,
      config: {},
    };
    const rest = [...this.domains.values()]
      .sort((a, b) => a.id - b.id)
      .map((d): DemoDomainView => {
        const cpuSeconds = this.cpuUntil(d, at);
        const busy = !d.paused && !d.shutdown && Math.floor(at / 2000 + d.id) % Math.max(2, Math.round(1 / Math.max(d.load, 0.05))) === 0;
        const flags = d.shutdown
          ? `--ps${d.shutdown.reason}-`
          : d.paused
            ? '--p---'
            : busy
              ? 'r-----'
              : '-b----';
        return {
          name: d.name,
          id: d.id,
          type: d.type,
          uuid: d.uuid,
          memMiB: d.memMiB,
          maxMemMiB: d.maxMemMiB,
          vcpus: d.vcpus,
          flags,
          cpuSeconds,
          uptimeSeconds: (at - d.startedAt) / 1000,
          config: d.config,
        };
      });
    return [dom0, ...rest];
  }

  private find(name: string | undefined): Domain | undefined {
    if (name === undefined) return undefined;
    return this.domains.get(name) ?? [...this.domains.values()].find((d) => String(d.id) === name);
  }

  private notFound(name: string | undefined): ExecResult {
    if (name === undefined) return fail('xl: a domain name is required.\n', 2);
    if (name === 'Domain-0' || name === '0') return fail(`${SIMULATION_NOTE}; Domain-0 is the host itself and stays up.\n`);
    return fail(`${name} is an invalid domain identifier (rc=-6)\n`);
  }

  private freeMemoryMiB(): number {
    const used = [...this.domains.values()].reduce((sum, d) => sum + d.maxMemMiB, 0);
    return DEMO_HOST.totalMemoryMiB - DEMO_HOST.dom0MemoryMiB - DEMO_HOST.xenOverheadMiB - used;
  }

  private specFromConfig(path: string): DomainSpec | null {
    const node = this.fs.get(path);
    if (!node || node.kind !== 'file') return null;
    const values = parseConfig(node.text).values();
    const name = typeof values.name === 'string' ? values.name : null;
    if (!name) return null;
    const rawType = values.type ?? (values.builder === 'hvm' ? 'hvm' : 'pv');
    const type = rawType === 'hvm' || rawType === 'pvh' ? rawType : 'pv';
    const memMiB = toNumber(values.memory, 128);
    return {
      name,
      type,
      memMiB,
      maxMemMiB: toNumber(values.maxmem, memMiB),
      vcpus: toNumber(values.vcpus, 1),
      configPath: path,
      config: values,
      load: 0.05,
    };
  }

  private listDir(dir: string): string[] {
    const prefix = `${dir}/`;
    return [...this.fs.keys()]
      .filter((p) => p.startsWith(prefix) && !p.slice(prefix.length).includes('/') && !p.slice(prefix.length).startsWith('.'))
      .sort();
  }

  /** Follow links like `readlink -f`; null when a link points nowhere. */
  private realPath(path: string, depth = 0): string | null {
    if (depth > 8) return null;
    const node = this.fs.get(path);
    if (!node) return path;
    if (node.kind !== 'link') return path;
    const target = node.target.startsWith('/') ? node.target : `${path.slice(0, path.lastIndexOf('/'))}/${node.target}`;
    if (!this.fs.has(target)) return target;
    return this.realPath(target, depth + 1);
  }
}

/** The libxl view of a domain, built from its xl.cfg values. */
function libxlConfigFor(saved: SavedDomain): Record<string, unknown> {
  const values = saved.config;
  if (values.c_info) return structuredClone(values);
  const disks = (Array.isArray(values.disk) ? values.disk : []).map(String).map(parseDiskSpec);
  const nics = (Array.isArray(values.vif) ? values.vif : []).map(String).map((spec) => {
    const fields = Object.fromEntries(
      spec.split(',').map((kv) => kv.trim().split('=').map((s) => s.trim()) as [string, string]),
    );
    return { bridge: fields.bridge ?? 'xenbr0', mac: fields.mac ?? '00:16:3e:00:00:00', model: fields.model };
  });
  const text = (key: string) => (typeof values[key] === 'string' ? (values[key] as string) : undefined);
  const list = (key: string) => (Array.isArray(values[key]) ? (values[key] as unknown[]).map(String) : []);
  const cmdline = text('cmdline') ?? ([text('root') ? `root=${text('root')}` : undefined, text('extra')].filter(Boolean).join(' ') || undefined);
  return libxlConfig({
    name: saved.name,
    type: saved.type,
    uuid: saved.uuid,
    memMiB: saved.memMiB,
    maxMemMiB: saved.maxMemMiB,
    vcpus: saved.vcpus,
    disks,
    nics,
    kernel: text('kernel'),
    ramdisk: text('ramdisk'),
    cmdline,
    bootloader: text('bootloader'),
    boot: text('boot'),
    stdvga: text('vga') === 'stdvga',
    usbTablet: list('usbdevice').includes('tablet'),
    serial: text('serial'),
    vnc: saved.type === 'hvm' && values.vnc !== undefined && values.vnc !== 0 && values.vnc !== '0' ? { listen: text('vnclisten') ?? '127.0.0.1' } : undefined,
  });
}

function parseDiskSpec(spec: string): { target: string; vdev: string; format: string; cdrom: boolean; readwrite: boolean } {
  if (spec.includes('=')) {
    const fields = Object.fromEntries(spec.split(',').map((kv) => kv.trim().split('=').map((s) => s.trim()) as [string, string]));
    return {
      target: fields.target ?? '',
      vdev: fields.vdev ?? 'xvda',
      format: fields.format ?? 'raw',
      cdrom: fields.devtype === 'cdrom',
      readwrite: (fields.access ?? 'rw') === 'rw',
    };
  }
  const [target, format, vdev, kind] = spec.split(',').map((s) => s.trim());
  const cdrom = kind === 'cdrom';
  return { target: target ?? '', vdev: vdev ?? 'xvda', format: format ?? 'raw', cdrom, readwrite: !cdrom && kind !== 'r' };
}

function toNumber(value: unknown, fallback: number): number {
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
  return Number.isFinite(n) && n > 0 ? n : fallback;
}

function stdinText(stdin: string | Uint8Array | undefined): string {
  if (stdin === undefined) return '';
  return typeof stdin === 'string' ? stdin : Buffer.from(stdin).toString('utf8');
}

function timestamp(date: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}${two(date.getMonth() + 1)}${two(date.getDate())}-${two(date.getHours())}${two(date.getMinutes())}${two(date.getSeconds())}`;
}
