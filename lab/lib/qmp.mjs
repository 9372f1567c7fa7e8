// Tiny QMP client for the lab scripts.
//   node qmp.mjs SOCKET COMMAND [ARGUMENTS-JSON]   e.g. query-status, quit, stop, cont
//   node qmp.mjs SOCKET --hmp "savevm ready"       a human monitor command
// Prints the command's "return" as JSON; exits 1 on a QMP error or a timeout.
import net from "node:net";

const [sock, cmd, arg] = process.argv.slice(2);
if (!sock || !cmd) {
  console.error("usage: qmp.mjs SOCKET COMMAND [ARGS-JSON] | SOCKET --hmp 'CMD'");
  process.exit(2);
}
const timeoutMs = Number(process.env.QMP_TIMEOUT_MS ?? 600000);
const request =
  cmd === "--hmp"
    ? { execute: "human-monitor-command", arguments: { "command-line": arg } }
    : { execute: cmd, ...(arg ? { arguments: JSON.parse(arg) } : {}) };

const timer = setTimeout(() => {
  console.error(`qmp: timeout after ${timeoutMs} ms`);
  process.exit(1);
}, timeoutMs);

const c = net.createConnection(sock);
let buf = "";
let stage = 0; // 0 greeting, 1 capabilities sent, 2 command sent
c.on("error", (e) => {
  // "quit" closes the socket under us: that is success.
  if (stage === 2 && cmd === "quit") process.exit(0);
  console.error(`qmp: ${e.message}`);
  process.exit(1);
});
c.on("close", () => {
  if (stage === 2 && cmd === "quit") process.exit(0);
});
c.on("data", (d) => {
  buf += d.toString();
  let i;
  while ((i = buf.indexOf("\n")) >= 0) {
    const line = buf.slice(0, i).trim();
    buf = buf.slice(i + 1);
    if (!line) continue;
    const msg = JSON.parse(line);
    if (msg.event) continue;
    if (stage === 0 && msg.QMP) {
      stage = 1;
      c.write(JSON.stringify({ execute: "qmp_capabilities" }) + "\n");
    } else if (stage === 1 && "return" in msg) {
      stage = 2;
      c.write(JSON.stringify(request) + "\n");
    } else if (stage === 2 && ("return" in msg || "error" in msg)) {
      clearTimeout(timer);
      if (msg.error) {
        console.error(`qmp: ${msg.error.class}: ${msg.error.desc}`);
        process.exit(1);
      }
      const out = msg.return;
      if (typeof out === "string") process.stdout.write(out);
      else console.log(JSON.stringify(out));
      // An HMP command reports failures as text.
      c.end();
      process.exit(0);
    } else if (msg.error) {
      console.error(`qmp: ${msg.error.class}: ${msg.error.desc}`);
      process.exit(1);
    }
  }
});
