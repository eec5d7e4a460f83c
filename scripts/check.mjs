// Static checks of npm test, in one process: the TypeScript type-check of the whole project (what
// `tsc --noEmit -p .` does), then ESLint over the tree, its typed rules reusing that same program instead
// of building a second one (the program over @pulumi/aws's declarations is most of the cost of both).
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
const diagnostics = ts.getPreEmitDiagnostics(program);
if (diagnostics.length > 0) {
    const format = process.stderr.isTTY ? ts.formatDiagnosticsWithColorAndContext : ts.formatDiagnostics;
    console.error(format(diagnostics, host));
}

const typeChecked = Date.now();
const eslint = new ESLint({ cwd: root, overrideConfigFile: true, overrideConfig: makeConfig({ programs: [program] }) });
const results = await eslint.lintFiles(["."]);
const problems = results.reduce((n, r) => n + r.errorCount + r.warningCount, 0);
if (problems > 0) {
    const formatter = await eslint.loadFormatter("stylish");
    console.error(await formatter.format(results));
}

const seconds = (from, to) => ((to - from) / 1000).toFixed(1);
console.log(
    `check: ${diagnostics.length} type error(s) (${seconds(started, typeChecked)} s), ` +
        `${problems} lint problem(s) in ${results.length} files (${seconds(typeChecked, Date.now())} s)`,
);
process.exit(diagnostics.length > 0 || problems > 0 ? 1 : 0);
