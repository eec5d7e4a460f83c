// Compiles the package (dist/) with TypeScript 5, the `typescript` package, found by module resolution
// rather than as `tsc` on the PATH: the repository also installs TypeScript 7 (the alias
// `typescript-native`, for npm test's type-check), whose own `tsc` may be the one npm links into
// node_modules/.bin, and TypeScript 7 reads this package's build configuration differently.
// It compiles ../../components, so it runs inside a checkout of the repository after `npm ci` at its root
// (`npm pack` runs it as `prepack`). It says what it does as it starts and ends, on standard error:
// `npm pack --json` keeps standard output for its JSON.
const fs = require("fs");
const path = require("path");
const { spawnSync } = require("child_process");

const say = (line) => process.stderr.write(`s3-crr-pair build: ${line}\n`);
let tsc;
try {
    tsc = require.resolve("typescript/bin/tsc");
} catch {
    say("TypeScript 5 (the package `typescript`) is not installed: run `npm ci` at the repository's root first");
    process.exit(1);
}
const version = require("typescript/package.json").version;
const dist = path.join(__dirname, "dist");
const started = Date.now();
say(`compiling components/ into dist/ with TypeScript ${version} (tsconfig.build.json) ...`);
fs.rmSync(dist, { recursive: true, force: true }); // nothing of an earlier build (a removed module) gets packed
const result = spawnSync(process.execPath, [tsc, "-p", "tsconfig.build.json"], { cwd: __dirname, stdio: ["ignore", process.stderr, process.stderr] });
const seconds = ((Date.now() - started) / 1000).toFixed(1);
if (result.status !== 0) {
    say(`failed (${result.error ? result.error.message : `tsc exited with ${result.status ?? result.signal}`}) after ${seconds} s`);
    process.exit(result.status || 1);
}
const count = (dir, suffix) =>
    fs.readdirSync(dir, { withFileTypes: true }).reduce((n, e) => n + (e.isDirectory() ? count(path.join(dir, e.name), suffix) : e.name.endsWith(suffix) ? 1 : 0), 0);
say(`done: ${count(dist, ".js")} modules and ${count(dist, ".d.ts")} declaration files in dist/ (${seconds} s)`);
