// A host known by one key type that offers another first: OpenSSH asks for the recorded type,
// so the user is not shown an "unknown key" prompt for a host they already trust. Real sshd.
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { InMemorySecretStore, KnownHosts, SshConnection, type HostKeyQuestion } from '../../main/ssh';
import { startSshd } from '../harness/sshd';

const work = mkdtempSync(join(tmpdir(), 'hearth-hostkey-types-'));
const home = join(work, 'home');
mkdirSync(home);
const sshd = await startSshd({ rsaHostKey: true });
after(async () => {
  await sshd.dispose();
  rmSync(work, { recursive: true, force: true });
});

function connect(knownHostsText: string, asked: HostKeyQuestion[]) {
  const file = join(work, `known_hosts_${asked.length}_${Math.random().toString(36).slice(2)}`);
  writeFileSync(file, knownHostsText);
  return new SshConnection({
    target: { host: '127.0.0.1', port: sshd.port, user: sshd.user, identityFiles: [sshd.userKeyPath], proxyJump: [], alias: '127.0.0.1' },
    prompter: {
      askHostKey: async (q) => (asked.push(q), 'reject'),
      askSecret: async () => ({ secret: null, remember: false }),
    },
    secrets: new InMemorySecretStore(),
    knownHosts: new KnownHosts({ readOnlyFiles: [file], storeFile: join(work, 'store') }),
    homeDir: home,
    agentSocket: null,
  });
}

test('a host known only by its RSA key is verified with that key, no prompt', async () => {
  const asked: HostKeyQuestion[] = [];
  const connection = connect(`${sshd.rsaKnownHostsLine}\n`, asked);
  try {
    await connection.connect();
    const result = await connection.exec(['echo', 'known']);
    assert.equal(result.stdout.trim(), 'known');
    assert.deepEqual(asked, []);
  } finally {
    connection.close();
  }
});

test('with nothing recorded the preferred (ed25519) key is the one the user is asked about', async () => {
  const asked: HostKeyQuestion[] = [];
  const connection = connect('', asked);
  await assert.rejects(connection.connect());
  connection.close();
  assert.equal(asked.length, 1);
  assert.equal(asked[0].keyType, 'ssh-ed25519');
});
