import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseXlInfo, summarizeXlInfo, parseXlList } from '../../../common/xen/index';
import { lab } from './fixtures';

test('xl info: key : value lines, values with colons and empty values', () => {
  const info = parseXlInfo(lab('guests-running/xl-info.txt'));
  assert.equal(info.host, 'capture');
  assert.equal(info.nr_cpus, '2');
  assert.equal(info.xen_major, '4');
  assert.equal(info.xen_minor, '17');
  assert.equal(info.xen_extra, '.7');
  assert.equal(info.xen_commandline, 'console=com1 com1=115200,8n1 dom0_mem=768M,max:768M dom0_max_vcpus=2 noreboot bootscrub=false');
  assert.equal(info.hw_caps, '1fcbf3fd:f6d8320b:ec500800:00000077:00000005:01884329:0000020c:00000000');
  assert.equal(info.xen_changeset, '');
  assert.equal(info.xen_caps, 'xen-3.0-x86_64 hvm-3.0-x86_32 hvm-3.0-x86_32p hvm-3.0-x86_64');
  assert.equal(info.cc_compile_date, 'Wed Nov  4 16:52:28 UTC 2026');
  assert.equal(info.xend_config_format, '4');
  // one key per line: nothing merged, nothing lost
  assert.equal(Object.keys(info).length, lab('guests-running/xl-info.txt').trim().split('\n').length);
});

test('xl info summary: version, CPUs, memory, HVM, scheduler', () => {
  const s = summarizeXlInfo(parseXlInfo(lab('guests-running/xl-info.txt')), 'xl', 152);
  assert.deepEqual(s, {
    xenVersion: '4.17.7',
    toolstack: 'xl',
    hostname: 'capture',
    nrCpus: 2,
    totalMemoryMiB: 2047,
    freeMemoryMiB: 1030,
    hvmCapable: true,
    scheduler: 'credit2',
    dom0UptimeSeconds: 152,
  });
  // the version agrees with the installed package (host/dpkg-xen.txt: 4.17.7+13-...)
  assert.match(lab('host/dpkg-xen.txt'), new RegExp(`xen-hypervisor-4\\.17-amd64\\s+${s.xenVersion.replace(/\./g, '\\.')}\\+`));
});

test('xl info: free memory grows back after the guests stop; Domain-0 holds dom0_mem', () => {
  const dom0Only = summarizeXlInfo(parseXlInfo(lab('dom0-only/xl-info.txt')), 'xl', null);
  const running = summarizeXlInfo(parseXlInfo(lab('guests-running/xl-info.txt')), 'xl', null);
  const stopped = summarizeXlInfo(parseXlInfo(lab('guests-running/xl-info-after-stop.txt')), 'xl', null);
  assert.equal(dom0Only.freeMemoryMiB, 1256);
  assert.ok(running.freeMemoryMiB < dom0Only.freeMemoryMiB);
  // pvtest (96 MiB) and hvmtest (128 MiB + video and overhead) account for the difference
  assert.ok(dom0Only.freeMemoryMiB - running.freeMemoryMiB >= 96 + 128);
  assert.equal(stopped.freeMemoryMiB, dom0Only.freeMemoryMiB); // all of it back after shutdown and destroy
  const [dom0] = parseXlList(lab('dom0-only/xl-list.txt'));
  const dom0Mem = /dom0_mem=(\d+)M/.exec(parseXlInfo(lab('dom0-only/xl-info.txt')).xen_commandline);
  assert.equal(dom0.memMiB, Number(dom0Mem?.[1]));
});

test('xl info: a key asked for but missing is said plainly', () => {
  const info = parseXlInfo(lab('host/xen-version.txt')); // `xl info | grep` of a few keys only
  assert.equal(info.xen_version, '4.17.7');
  assert.throws(() => summarizeXlInfo(info, 'xl', null), /has no "host" line/);
});
