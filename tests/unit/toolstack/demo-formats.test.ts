// The demo host must print exactly what a real Xen 4.17 host prints, so that the same parsers
// read it. Each check holds the simulation's output to the output captured from the real lab
// host in tests/fixtures/xen-4.17/ (headers byte for byte, column positions, key order, the
// JSON layout of xl list -l, error messages). Values differ: the demo is another machine.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { DemoHost } from '../../../main/demo/index';
import { REPO_DIR } from '../../lab/harness';

const FIXTURES = path.join(REPO_DIR, 'tests', 'fixtures', 'xen-4.17');
const fixture = (name: string) => readFileSync(path.join(FIXTURES, name), 'utf8');
const lines = (text: string) => text.split('\n').filter((l) => l.length > 0);

function demo() {
  let t = Date.UTC(2026, 10, 22, 9, 0, 0);
  return new DemoHost({ now: () => t, sleep: async (ms) => void (t += ms) });
}

async function xl(host: DemoHost, ...args: string[]) {
  const r = await host.exec(['/usr/sbin/xl', ...args]);
  return r;
}

/** Where each whitespace-separated field ends ("no limit" is one field). */
function fieldEnds(line: string): number[] {
  const ends: number[] = [];
  const re = /no limit|\S+/g;
  for (let m = re.exec(line); m; m = re.exec(line)) ends.push(m.index + m[0].length);
  return ends;
}

describe('demo host output has the real host\'s formats', () => {
  test('xl list: the same header, and rows in the same columns', async () => {
    const real = lines(fixture('guests-running/xl-list.txt'));
    const mine = lines((await xl(demo(), 'list')).stdout);
    assert.equal(mine[0], real[0]);
    const row = /^.{40} [ \d]{5} [ \d]{5} [ \d]{5} {5}[r-][b-][p-][s-][-rscwS?][d-] {2}[ \d]{5}\d\.\d$/;
    for (const line of real.slice(1)) assert.match(line, row, 'the pattern fits the real rows');
    for (const line of mine.slice(1)) assert.match(line, row);
  });

  test('xl uptime: the same header and columns', async () => {
    const real = lines(fixture('guests-running/xl-uptime.txt'));
    const mine = lines((await xl(demo(), 'uptime')).stdout);
    assert.equal(mine[0], real[0]);
    const row = /^.{33} [ \d]{4} (\d+ days?, )?[ \d]\d:\d\d:\d\d$/;
    for (const line of [...real.slice(1), ...mine.slice(1)]) assert.match(line, row);
  });

  test('xl info: the same keys in the same order, values from column 25', async () => {
    const real = lines(fixture('guests-running/xl-info.txt'));
    const mine = lines((await xl(demo(), 'info')).stdout);
    const keys = (ls: string[]) => ls.map((l) => l.slice(0, 23).trim());
    assert.deepEqual(keys(mine), keys(real));
    for (const line of [...real, ...mine]) assert.equal(line.slice(23, 24), ':', line);
  });

  test('xl list -l: the yajl layout, Domain-0 entry, and the fields of PV and HVM guests', async () => {
    const host = demo();
    await xl(host, 'create', '/etc/xen/winxp.cfg');
    const text = (await xl(host, 'list', '-l')).stdout;
    const realText = fixture('guests-running/xl-list-l.txt');
    assert.equal(text.slice(-3), realText.slice(-3), 'ends like the real output: "]", then two new lines');

    // Domain-0's block is byte for byte the real one once the memory numbers are set aside.
    const dom0Block = (t: string) => t.slice(0, t.indexOf('\n    },\n')).replace(/"(max|target)_memkb": \d+/g, '"$1_memkb": N');
    assert.equal(dom0Block(text), dom0Block(realText));

    type Entry = { domid: number; config: Record<string, Record<string, unknown> | unknown[]> };
    const real = JSON.parse(realText) as Entry[];
    const mine = JSON.parse(text) as Entry[];
    const byName = (entries: Entry[], name: string) => entries.find((e) => (e.config.c_info as { name: string }).name === name)!;
    const keys = (o: unknown) => Object.keys(o as object);

    const realPv = byName(real, 'pvtest').config;
    const myPv = byName(mine, 'firewall').config; // a PV guest with kernel/ramdisk/cmdline, like pvtest
    assert.deepEqual(keys(myPv.c_info), keys(realPv.c_info));
    assert.deepEqual(keys(myPv.b_info), keys(realPv.b_info));
    assert.deepEqual(keys((myPv.nics as unknown[])[0]), keys((realPv.nics as unknown[])[0]));
    assert.deepEqual(keys(myPv).filter((k) => k !== 'disks'), keys(realPv), 'pvtest has no disk; firewall has one');

    const realHvm = byName(real, 'hvmtest').config;
    const myHvm = byName(mine, 'winxp').config;
    assert.deepEqual(keys(myHvm.c_info), keys(realHvm.c_info));
    assert.deepEqual(keys(myHvm.b_info), keys(realHvm.b_info));
    assert.deepEqual(keys(myHvm), keys(realHvm));
    const cdrom = (myHvm.disks as Record<string, unknown>[]).find((d) => d.is_cdrom);
    assert.deepEqual(keys(cdrom), keys((realHvm.disks as unknown[])[0]));
    assert.deepEqual(keys((myHvm.nics as unknown[])[0]), keys((realHvm.nics as unknown[])[0]));
    const realTypeHvm = keys((realHvm.b_info as Record<string, unknown>)['type.hvm']);
    const myTypeHvm = keys((myHvm.b_info as Record<string, unknown>)['type.hvm']);
    assert.deepEqual(
      myTypeHvm.filter((k) => realTypeHvm.includes(k)),
      realTypeHvm,
      'the real keys, in the real order (XP adds usb and a tablet)',
    );
  });

  test('xentop -b: the same header, every field right-aligned under its heading', async () => {
    const real = lines(fixture('guests-running/xentop-b-i3-d1.txt'));
    const mine = lines((await demo().exec(['xentop', '-b', '-i', '2', '-d', '1'])).stdout);
    assert.equal(mine[0], real[0]);
    const headerEnds = fieldEnds(real[0]);
    for (const line of real.filter((l) => !l.includes('NAME'))) assert.deepEqual(fieldEnds(line), headerEnds, line);
    for (const line of mine.filter((l) => !l.includes('NAME'))) assert.deepEqual(fieldEnds(line), headerEnds, line);
  });

  test('messages: unknown domain, create, shutdown -w, as xl prints them', async () => {
    const host = demo();
    const unknown = await xl(host, 'list', 'nosuchdomain');
    assert.equal(unknown.code, 1);
    assert.equal(unknown.stderr, fixture('host/xl-list-unknown-domain.stderr.txt'));

    const created = await xl(host, 'create', '/etc/xen/winxp.cfg');
    assert.equal(created.stderr, fixture('guests-running/xl-create-pvtest.stderr.txt').replace('/etc/xen/pvtest.cfg', '/etc/xen/winxp.cfg'));

    const id = /^firewall\s+(\d+)/m.exec((await xl(host, 'list')).stdout)![1];
    const shut = await xl(host, 'shutdown', '-w', 'firewall');
    assert.equal(shut.stderr, fixture('guests-running/xl-shutdown-w-pvtest.stderr.txt').replaceAll('domain 1', `domain ${id}`).replace('Domain 1 ', `Domain ${id} `));
  });
});
