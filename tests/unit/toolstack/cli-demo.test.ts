// The `hearth` CLI in-process against the built-in demo host (a simulation, labelled so), with a
// scripted terminal: listing, starting from the inventory, and the typed-name confirmation
// that guards destroy.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { main } from '../../../main/cli/index';
import type { Terminal } from '../../../main/cli/terminal';
import { HostStore } from '../../../main/services/host-store';

function scriptedTerminal(interactive: boolean, answers: string[] = []) {
  const out: string[] = [];
  const err: string[] = [];
  const questions: string[] = [];
  const terminal: Terminal = {
    interactive,
    out: (t) => void out.push(t),
    err: (t) => void err.push(t),
    ask: async (q) => {
      questions.push(q);
      return answers.shift() ?? '';
    },
    askSecret: async (q) => {
      questions.push(q);
      return answers.shift() ?? '';
    },
  };
  return { terminal, out: () => out.join(''), err: () => err.join(''), questions };
}

describe('hearth CLI on the demo host', () => {
  let dir: string;
  let store: HostStore;

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'hearth-cli-demo-'));
    store = new HostStore(path.join(dir, 'hosts.json'));
    await store.add({ name: 'demo', address: 'demo.invalid' }, { demo: true });
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('list says it is a simulation and shows running and stopped domains', async () => {
    const t = scriptedTerminal(false);
    assert.equal(await main(['list', '--host', 'demo'], { terminal: t.terminal, store }), 0, t.err());
    assert.match(t.out(), /^Demo host: a simulation, not a real machine\./);
    assert.match(t.out(), /^winxp\s+-\s+stopped\s.*\/etc\/xen\/winxp\.cfg$/m);
    assert.match(t.out(), /^firewall\s+\d+\s+(running|blocked)\s.*yes\s+\/etc\/xen\/firewall\.cfg$/m);

    const json = scriptedTerminal(false);
    assert.equal(await main(['list', '--host', 'demo', '--json'], { terminal: json.terminal, store }), 0);
    const names = JSON.parse(json.out()).map((d: { name: string }) => d.name);
    assert.deepEqual(names, ['Domain-0', 'firewall', 'www', 'files', 'winxp']);
  });

  test('info --json reports the simulated host as a demo', async () => {
    const t = scriptedTerminal(false);
    assert.equal(await main(['info', '--host', 'demo', '--json'], { terminal: t.terminal, store }), 0);
    const info = JSON.parse(t.out());
    assert.equal(info.hostname, 'demo-simulation');
    assert.equal(info.demo, true);
  });

  test('start finds the config in the inventory; a domain without one is refused clearly', async () => {
    const t = scriptedTerminal(false);
    assert.equal(await main(['start', '--host', 'demo', 'winxp'], { terminal: t.terminal, store }), 0, t.err());
    assert.match(t.out(), /Started winxp from \/etc\/xen\/winxp\.cfg \(on the demo host, a simulation\)/);

    const missing = scriptedTerminal(false);
    assert.equal(await main(['start', '--host', 'demo', 'nosuch'], { terminal: missing.terminal, store }), 1);
    assert.match(missing.err(), /No config file for "nosuch" in \/etc\/xen/);
  });

  test('destroy asks for the name in a terminal and does nothing when it does not match', async () => {
    const wrong = scriptedTerminal(true, ['www2']);
    assert.equal(await main(['destroy', '--host', 'demo', 'www'], { terminal: wrong.terminal, store }), 1);
    assert.match(wrong.questions[0], /Type its name/);
    assert.match(wrong.err(), /did not match; nothing was done/);

    const right = scriptedTerminal(true, ['www']);
    assert.equal(await main(['destroy', '--host', 'demo', 'www'], { terminal: right.terminal, store }), 0, right.err());
    assert.match(right.out(), /Destroyed www/);

    const script = scriptedTerminal(false);
    assert.equal(await main(['destroy', '--host', 'demo', 'www'], { terminal: script.terminal, store }), 1);
    assert.match(script.err(), /Add --yes/);
  });

  test('usage errors exit 2 and show the usage; an unknown host names the known ones', async () => {
    const t = scriptedTerminal(false);
    assert.equal(await main(['pause', '--host', 'demo'], { terminal: t.terminal, store }), 2);
    assert.match(t.err(), /a required argument is missing[\s\S]*Usage:/);

    const u = scriptedTerminal(false);
    assert.equal(await main(['list', '--host', 'nowhere'], { terminal: u.terminal, store }), 1);
    assert.match(u.err(), /no host named "nowhere".*Known hosts: demo/);
  });
});
