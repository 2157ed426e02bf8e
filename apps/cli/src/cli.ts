import { run } from "./program";

// `pnpm hw …` runs the root script from the repository root; resolve the user's relative paths
// against the folder they called it from (pnpm and npm set INIT_CWD to it).
if (process.env.npm_lifecycle_event === "hw" && process.env.INIT_CWD !== undefined) process.chdir(process.env.INIT_CWD);

// A closed standard output (`hw … | head`) is the reader's choice, not an error: exit quietly.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(0);
  throw error;
});

process.exitCode = await run(process.argv.slice(2));
