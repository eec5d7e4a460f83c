// Compiles the package (dist/) with TypeScript 5, the `typescript` package, found by module resolution
// rather than as `tsc` on the PATH: the repository also installs TypeScript 7 (the alias
// `typescript-native`, for npm test's type-check), whose own `tsc` may be the one npm links into
// node_modules/.bin, and TypeScript 7 reads this package's build configuration differently.
const { spawnSync } = require("child_process");
const fs = require("fs");
const path = require("path");

// dist/ from scratch: a file moved or removed in components/ must not leave its old output behind to be packed.
fs.rmSync(path.join(__dirname, "dist"), { recursive: true, force: true });
const result = spawnSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", "tsconfig.build.json"], { cwd: __dirname, stdio: "inherit" });
process.exit(result.status ?? 1);
