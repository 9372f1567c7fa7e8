// Print the first TCP port in [FROM, TO] that can be bound on 127.0.0.1 and is
// not listed in EXCLUDE (comma-separated ports claimed by other lab hosts).
//   node freeport.mjs FROM TO [EXCLUDE]
import net from "node:net";

const from = Number(process.argv[2] ?? 10022);
const to = Number(process.argv[3] ?? 10999);
const exclude = new Set((process.argv[4] ?? "").split(",").filter(Boolean).map(Number));

const canBind = (port) =>
  new Promise((resolve) => {
    const s = net.createServer();
    s.once("error", () => resolve(false));
    s.listen({ port, host: "127.0.0.1", exclusive: true }, () => s.close(() => resolve(true)));
  });

for (let p = from; p <= to; p++) {
  if (exclude.has(p)) continue;
  if (await canBind(p)) {
    console.log(p);
    process.exit(0);
  }
}
console.error(`no free port in ${from}-${to}`);
process.exit(1);
