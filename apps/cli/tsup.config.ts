import { hwTsupConfig } from "../../tsup.shared";

// The CLI is one executable bundle: no declarations, a shebang.
export default hwTsupConfig(import.meta.url, { entry: ["src/cli.ts"], dts: false, banner: { js: "#!/usr/bin/env node" } });
