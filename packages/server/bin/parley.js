#!/usr/bin/env node
// The `parley` command. Runs the compiled CLI: build first with `npm run build -w @parley/server`.
import '../dist/cli/cli.js';
