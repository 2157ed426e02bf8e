#!/usr/bin/env node
// The `hw` executable. It exists before the first build (so that pnpm links it at install time)
// and loads the built bundle.
import "../dist/cli.js";
