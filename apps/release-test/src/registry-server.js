/* global process, setTimeout */
// A throwaway Verdaccio registry for the release test, run as a child process:
//   node registry-server.js <folder>
// Storage, htpasswd and config live in <folder>. It has no uplink: it serves only what the test
// publishes to it (the `@hw/*` packages, and their third-party dependencies packed from the
// workspace's install — src/mirror.ts), so the release test needs no network. Anyone may read and
// publish. It listens on 127.0.0.1 on a free port chosen by the OS and prints
// `READY http://127.0.0.1:<port>/` once it accepts connections. It stops on SIGTERM/SIGINT.
import { join } from "node:path";
import { runServer } from "verdaccio";

const folder = process.argv[2];
if (!folder) throw new Error("registry-server: pass the storage folder");

const config = {
  self_path: join(folder, "config.yaml"),
  storage: join(folder, "storage"),
  auth: { htpasswd: { file: join(folder, "htpasswd"), max_users: 100 } },
  uplinks: {},
  packages: {
    "**": { access: "$all", publish: "$all", unpublish: "$all" },
  },
  web: { enable: false },
  publish: { allow_offline: true },
  max_body_size: "100mb",
  log: { type: "stdout", format: "pretty", level: "warn" },
};

const server = await runServer(config);
server.listen(0, "127.0.0.1", () => {
  const { port } = server.address();
  process.stdout.write(`READY http://127.0.0.1:${port}/\n`);
});
const stop = () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
  setTimeout(() => process.exit(0), 2000).unref();
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
