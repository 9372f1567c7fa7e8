// xl.cfg / xl.conf parsing and editing on the real files of the lab host.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig, printConfig, setValue, removeKey, printValue, ConfigValueError } from '../../../common/xen/index';
import { unifiedDiff } from '../../../common/text/diff';
import { lab } from './fixtures';

const files = {
  pvtest: lab('config/pvtest.cfg'),
  hvmtest: lab('config/hvmtest.cfg'),
  xlConf: lab('host/xl-conf.txt'), // cat /etc/xen/xl.conf
};

/** The changed lines of a diff, without headers and context. */
const changed = (a: string, b: string) =>
  unifiedDiff(a, b).split('\n').filter((l) => /^[-+](?![-+]{2} )/.test(l));

for (const [name, text] of Object.entries(files)) {
  test(`${name}: parses without problems and prints back byte for byte`, () => {
    const doc = parseConfig(text);
    assert.deepEqual(doc.problems, []);
    assert.equal(doc.editable, true);
    assert.equal(printConfig(doc), text);
    assert.equal(doc.entries.map((e) => e.raw).join(''), text);
    // entries tile the file line by line
    assert.equal(doc.entries[0].line, 1);
    assert.equal(doc.entries[doc.entries.length - 1].endLine, text.split('\n').length - 1);
  });
}

test('pvtest.cfg values', () => {
  assert.deepEqual(parseConfig(files.pvtest).values(), {
    name: 'pvtest',
    type: 'pv',
    kernel: '/var/lib/xen/images/pvtest-vmlinuz',
    ramdisk: '/var/lib/xen/images/pvtest-initrd.gz',
    extra: 'console=hvc0 quiet',
    memory: 96,
    vcpus: 1,
    vif: ['bridge=xenbr0, mac=00:16:3e:48:45:01'],
    on_poweroff: 'destroy',
    on_reboot: 'restart',
    on_crash: 'destroy',
  });
  const comments = parseConfig(files.pvtest).entries.filter((e) => e.kind === 'comment');
  assert.deepEqual(comments.map((e) => e.line), [1, 2]);
});

test('hvmtest.cfg values', () => {
  const v = parseConfig(files.hvmtest).values();
  assert.equal(v.type, 'hvm');
  assert.deepEqual(v.disk, ['/var/lib/xen/images/hvmtest.iso,raw,hdc,cdrom']);
  assert.equal(v.boot, 'd');
  assert.equal(v.vnc, 1);
  assert.equal(v.vnclisten, '127.0.0.1');
  assert.deepEqual(v.vif, ['bridge=xenbr1, model=e1000, mac=00:16:3e:48:45:02']);
});

test('xl.conf: only the one uncommented (dotted) setting is a value', () => {
  const doc = parseConfig(files.xlConf);
  assert.deepEqual(doc.values(), { 'vif.default.bridge': 'xenbr0' });
  assert.ok(doc.entries.filter((e) => e.kind === 'comment').length > 20);
});

test('setValue changes only its own line and keeps the file\'s quoting', () => {
  const doc = parseConfig(files.hvmtest);
  const boot = setValue(doc, 'boot', 'c'); // the XP wizard's switch from CD to disk
  assert.deepEqual(changed(files.hvmtest, boot), ['-boot = "d"', '+boot = "c"']);
  assert.equal(parseConfig(boot).values().boot, 'c');

  const vif = setValue(doc, 'vif', ['bridge=xenbr1, model=rtl8139, mac=00:16:3e:48:45:02']);
  assert.deepEqual(changed(files.hvmtest, vif), [
    "-vif = [ 'bridge=xenbr1, model=e1000, mac=00:16:3e:48:45:02' ]",
    "+vif = [ 'bridge=xenbr1, model=rtl8139, mac=00:16:3e:48:45:02' ]",
  ]);

  const mem = setValue(doc, 'memory', 512);
  assert.deepEqual(changed(files.hvmtest, mem), ['-memory = 128', '+memory = 512']);
});

test('setValue appends a new key at the end; removeKey drops only its line', () => {
  const doc = parseConfig(files.hvmtest);
  const added = setValue(parseConfig(setValue(doc, 'usb', true)), 'usbdevice', ['tablet']);
  assert.equal(added, `${files.hvmtest}usb = 1\nusbdevice = ["tablet"]\n`);
  const v = parseConfig(added).values();
  assert.equal(v.usb, 1);
  assert.deepEqual(v.usbdevice, ['tablet']);

  const removed = removeKey(doc, 'vnclisten');
  assert.deepEqual(changed(files.hvmtest, removed), ['-vnclisten = "127.0.0.1"']);
  assert.equal(removeKey(doc, 'nosuchkey'), files.hvmtest);

  const conf = setValue(parseConfig(files.xlConf), 'vif.default.bridge', 'xenbr1');
  assert.deepEqual(changed(files.xlConf, conf), ['-vif.default.bridge="xenbr0"', '+vif.default.bridge="xenbr1"']);
});

test('edits of real files round-trip: re-parsed, every other value is unchanged', () => {
  for (const text of [files.pvtest, files.hvmtest]) {
    const before = parseConfig(text).values();
    const edited = parseConfig(setValue(parseConfig(text), 'vcpus', 2));
    assert.deepEqual(edited.problems, []);
    assert.deepEqual(edited.values(), { ...before, vcpus: 2 });
    assert.equal(printConfig(edited), edited.text);
  }
});

test('printValue: xl.cfg has no negative or fractional numbers, no nested lists, no control characters', () => {
  assert.equal(printValue('say "hi"'), `'say "hi"'`);
  assert.equal(printValue(["it's", 'b'], { quote: "'" }), `["it's", 'b']`);
  assert.equal(printValue('a\\b'), '"a\\\\b"');
  assert.throws(() => printValue(-1), ConfigValueError);
  assert.throws(() => printValue(1.5), ConfigValueError);
  assert.throws(() => printValue([['x']]), ConfigValueError);
  assert.throws(() => printValue('a\u0001b'), ConfigValueError);
  // what printValue writes, parseConfig reads back
  for (const v of ['plain', 'say "hi"', "it's", 'tab\there', 'a\\b', 0, 4096, ['x', 'y']]) {
    assert.deepEqual(parseConfig(`k = ${printValue(v)}\n`).values().k, v);
  }
  assert.throws(() => setValue(parseConfig(files.pvtest), 'Memory', 1), /not a valid setting name/);
});
