import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseXlListLong, parseXlList, parseConfig } from '../../../common/xen/index';
import { lab } from './fixtures';

test('xl list -l, Domain-0 only: PV, memory as xl list shows it', () => {
  const [dom0] = parseXlListLong(lab('dom0-only/xl-list-l.txt'));
  assert.equal(dom0.name, 'Domain-0');
  assert.equal(dom0.id, 0);
  assert.equal(dom0.type, 'pv');
  assert.equal(dom0.memoryMiB, parseXlList(lab('dom0-only/xl-list.txt'))[0].memMiB); // 768
  assert.equal(dom0.maxMemoryMiB, 768);
  assert.equal(dom0.uuid, null); // libxl leaves Domain-0's all-zero UUID out
  assert.deepEqual(dom0.disks, []);
  assert.deepEqual(dom0.nics, []);
  assert.equal(dom0.vnc, null);
});

test('xl list -l with the guests running: PV guest', () => {
  const domains = parseXlListLong(lab('guests-running/xl-list-l.txt'));
  assert.deepEqual(domains.map((d) => [d.name, d.id, d.type]), [
    ['Domain-0', 0, 'pv'],
    ['pvtest', 1, 'pv'],
    ['hvmtest', 2, 'hvm'],
  ]);
  const pv = domains[1];
  const cfg = parseConfig(lab('config/pvtest.cfg')).values();
  // the UUID is the one `xl list -v` printed for pvtest (read here from its raw line); it is
  // random per `xl create`, so it is checked against that capture rather than written down
  const printed = /^pvtest\s.*\s([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\s/m.exec(lab('guests-running/xl-list-v.txt'));
  assert.ok(printed, 'pvtest row with a UUID in guests-running/xl-list-v.txt');
  assert.equal(pv.uuid, printed[1]);
  assert.notEqual(pv.uuid, domains[2].uuid);
  assert.notEqual(pv.uuid, '00000000-0000-0000-0000-000000000000');
  assert.equal(pv.memoryMiB, cfg.memory); // 96
  assert.equal(pv.maxMemoryMiB, 96);
  assert.equal(pv.vcpus, cfg.vcpus); // 1
  assert.deepEqual(pv.disks, []);
  // vif = [ 'bridge=xenbr0, mac=00:16:3e:48:45:01' ]
  assert.deepEqual(pv.nics, [{ bridge: 'xenbr0', mac: '00:16:3e:48:45:01', model: null, script: null }]);
  assert.equal(pv.vnc, null);
  assert.equal(pv.sdl, false);
});

test('xl list -l: HVM guest with VNC on loopback and the CD-ROM', () => {
  const all = parseXlListLong(lab('guests-running/xl-list-l.txt'));
  const [hvm] = parseXlListLong(lab('guests-running/xl-list-l-hvmtest.txt'));
  assert.deepEqual(hvm, all[2]);
  assert.equal(hvm.name, 'hvmtest');
  assert.equal(hvm.type, 'hvm');
  assert.equal(hvm.memoryMiB, 128);
  assert.equal(hvm.vcpus, 1);
  // disk = [ '/var/lib/xen/images/hvmtest.iso,raw,hdc,cdrom' ]
  assert.deepEqual(hvm.disks, [{ target: '/var/lib/xen/images/hvmtest.iso', vdev: 'hdc', format: 'raw', cdrom: true, readonly: true }]);
  assert.deepEqual(hvm.nics, [{ bridge: 'xenbr1', mac: '00:16:3e:48:45:02', model: 'e1000', script: null }]);
  // vnc = 1, vnclisten = "127.0.0.1"; no vncdisplay, so the device model found a free port:
  // the port it wrote to xenstore is 5900 (display 0)
  assert.deepEqual(hvm.vnc, { enabled: true, listen: '127.0.0.1', display: null, findUnused: true, passwordSet: false });
  assert.equal(lab('guests-running/xenstore-read-vnc-listen-hvmtest.txt').trim(), hvm.vnc?.listen);
  assert.equal(lab('guests-running/xenstore-read-vnc-port-hvmtest.txt').trim(), '5900');
  assert.equal(hvm.sdl, false);
});

test('xl list -l: output that is not JSON is explained', () => {
  assert.throws(() => parseXlListLong(lab('dom0-only/xl-list.txt')), /did not print JSON.*output_format/);
  assert.deepEqual(parseXlListLong(''), []);
});
