// xm (Xen 3.x / xend) inputs: real `xm list --long` output and a real xm Python config, stored in
// tests/fixtures/xm with their public sources (see its README).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseSxp, parseXmListLong, parseXlList, sxpChild, sxpValue, parseConfig, printConfig, setValue, removeKey } from '../../../common/xen/index';

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/xm/${name}`, import.meta.url), 'utf8');

test('SXP reader: three domains from an Oracle VM (xend) host, atoms and quoted strings', () => {
  const nodes = parseSxp(fixture('ovm-xm-list-long.sxp'));
  assert.equal(nodes.length, 3);
  for (const n of nodes) assert.equal(Array.isArray(n) && n[0], 'domain');
  const pv = nodes[0];
  assert.equal(sxpValue(pv, 'bootloader'), '/usr/bin/pygrub');
  assert.equal(sxpValue(pv, 'description'), ''); // written as ''
  assert.equal(sxpValue(pv, 'state'), '-b----');
  const notes = sxpChild(sxpChild(sxpChild(pv, 'image')!, 'linux')!, 'notes')!;
  assert.equal(sxpValue(notes, 'FEATURES'), '!writable_page_tables|pae_pgdir_above_4gb');
  // (cpus ((0 1 2 3 4 5 6 7) (0 1 2 3 4 5 6 7))) on Domain-0: nested lists of atoms
  const cpus = sxpChild(nodes[2], 'cpus')!;
  assert.deepEqual(cpus[1], [['0', '1', '2', '3', '4', '5', '6', '7'], ['0', '1', '2', '3', '4', '5', '6', '7']]);
});

test('xm list --long: PV guest, HVM guest with VNC, Domain-0', () => {
  const [pv, hvm, dom0] = parseXmListLong(fixture('ovm-xm-list-long.sxp'));

  assert.equal(pv.name, '0004fb0000060000236e45007b980aa1');
  assert.equal(pv.id, 1);
  assert.equal(pv.type, 'pv');
  assert.equal(pv.memoryMiB, 2048);
  assert.equal(pv.vcpus, 2);
  assert.deepEqual(pv.disks, [
    {
      target: '/OVS/Repositories/0004fb0000030000a5c9b5cf920f93e3/VirtualDisks/0004fb0000120000e77ab5d916c6c3c2.img',
      vdev: 'xvda',
      format: 'raw',
      cdrom: false,
      readonly: false,
    },
  ]);
  assert.deepEqual(pv.nics, [{ bridge: '10e69b4de3', mac: '00:21:f6:00:08:b8', model: null, script: '/etc/xen/scripts/vif-bridge' }]);
  // its vfb device: (location 127.0.0.1:5900) is display 0
  assert.deepEqual(pv.vnc, { enabled: true, listen: '127.0.0.1', display: 0, findUnused: true, passwordSet: false });

  assert.equal(hvm.type, 'hvm');
  assert.equal(hvm.id, 11);
  assert.equal(hvm.uuid, '0004fb00-0006-0000-7c52-2c7d71072a52');
  assert.equal(hvm.memoryMiB, 1030);
  assert.equal(hvm.maxMemoryMiB, 1032);
  assert.equal(hvm.vnc?.enabled, true);
  assert.equal(hvm.vnc?.display, 1); // 127.0.0.1:5901
  assert.equal(hvm.sdl, false);

  assert.equal(dom0.name, 'Domain-0');
  assert.equal(dom0.id, 0);
  assert.equal(dom0.memoryMiB, 1098);
  assert.equal(dom0.maxMemoryMiB, 1104);
  assert.equal(dom0.disks.length, 0);
  assert.equal(dom0.vnc, null);
});

test('xm list -l on Xen 3.3.1: PV guest on a physical partition', () => {
  const [d] = parseXmListLong(fixture('xen331-xm-list-long-pv.sxp'));
  assert.equal(d.name, 'UbuntuPVS810');
  assert.equal(d.id, 15);
  assert.equal(d.type, 'pv');
  assert.equal(d.memoryMiB, 4096);
  assert.deepEqual(d.disks, [{ target: '/dev/sdb7', vdev: 'xvda', format: 'raw', cdrom: false, readonly: false }]);
  assert.equal(d.nics[0].bridge, 'eth0');
  assert.equal(d.nics[0].mac, '00:16:3e:1b:8b:d2');
  assert.equal(d.vnc, null);
});

test('xm Python config (xmexample.hvm): code reported by line, never evaluated; data read; not editable', () => {
  const text = fixture('xmexample.hvm');
  const doc = parseConfig(text);
  assert.equal(printConfig(doc), text);
  assert.equal(doc.editable, false);
  assert.deepEqual(
    doc.problems.map((p) => p.line),
    [9, 10, 11, 115],
  );
  assert.match(doc.problems[0].message, /^this is Python code \(an import statement\); Hearth does not evaluate it and will not edit this file$/);
  assert.match(doc.problems[1].message, /Python code \(a call of os\.uname\(\)\)/);
  assert.match(doc.problems[2].message, /an "if" block, lines 11-14/);
  assert.match(doc.problems[3].message, /arch_libdir/);
  const v = doc.values();
  assert.equal(v.builder, 'hvm');
  assert.equal(v.memory, 128);
  assert.equal(v.name, 'ExampleHVMDomain');
  assert.deepEqual(v.disk, ['file:/var/images/min-el3-i386.img,hda,w', ',hdc:cdrom,r']);
  assert.deepEqual(v.vif, ['type=ioemu, bridge=xenbr0']);
  assert.equal(v.serial, 'pty');
  // the computed setting and the variables of the Python code are not values
  assert.equal('device_model' in v, false);
  assert.equal('arch' in v, false);
  assert.equal('arch_libdir' in v, false);
  assert.throws(() => setValue(doc, 'memory', 256), /will not edit this file: line 9: this is Python code/);
  assert.throws(() => removeKey(doc, 'memory'), /will not edit/);
});

test('xm list: the table xm printed (Mem(MiB) header), read by the same parser as xl list', () => {
  const rows = parseXlList(fixture('xm-list.txt'));
  assert.deepEqual(rows.map((r) => [r.name, r.id, r.memMiB, r.vcpus, r.state, r.cpuSeconds]), [
    ['Domain-0', 0, 98, 1, 'running', 5068.6],
    ['Fedora3', 164, 128, 1, 'running', 7.6],
    ['Fedora4', 165, 128, 1, 'running', 0.6],
    ['Mandrake2006', 166, 128, 1, 'blocked', 3.6],
    ['Mandrake10.2', 167, 128, 1, 'running', 2.5],
    ['Suse9.2', 168, 100, 1, 'running', 1.8],
  ]);
});
