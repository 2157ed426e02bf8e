import { hwTsupConfig } from "../../tsup.shared";

// The CLI is one executable bundle (a shebang, no declarations) plus `reference.js`, the command
// tree as data for the docs' generated CLI reference page.
export default hwTsupConfig(import.meta.url, { entry: ["src/cli.ts", "src/reference.ts"], dts: false, banner: { js: "#!/usr/bin/env node" } });
