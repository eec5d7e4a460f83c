/**
 * npm run docs [-- -h|--help]: regenerates the generated sections (program/docs.ts): README.md's
 * configuration table, and docs/design.md's dev stack resource graph, from a run of index.ts under the
 * plan's mocks; and Pulumi.yaml's config declarations.
 * `main` is exported for the tests; the command runs only when this file is the process's entry.
 */
import * as fs from "fs";
import * as path from "path";
import { parseArgs } from "util";
import { GENERATED_FILES, renderDesign, renderProjectFile, renderReadme } from "../program/docs";
import { loadStackConfig } from "../tools/plan/config";
import { mermaidGraph } from "../tools/plan/graph";
import { planResources } from "../tools/plan/model";
import { runProgram } from "../tools/plan/run";
import { CliStreams, processStreams, runCommand } from "../tools/text";

export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

export const USAGE = `usage: npm run docs [-- options]

Rewrites the generated sections, the text between <!-- NAME:start --> and <!-- NAME:end -->: README.md's
configuration table (from program/settings.ts) and docs/design.md's dev stack resource graph (from a run of
index.ts under the plan's mocks); and the config declarations of Pulumi.yaml (from program/settings.ts).
Needs neither AWS nor the Pulumi CLI; a test fails when a committed file differs from what this writes.

options:
  -h, --help  print this help and exit

exit codes:
  0  README.md, docs/design.md and Pulumi.yaml updated or already up to date, or --help
  1  the program failed, or README.md or docs/design.md lacks a section's markers
  2  the command line is wrong`;

/** Runs `npm run docs` with the arguments after `--`; resolves to the exit code. */
export async function main(argv: string[], io: CliStreams = processStreams): Promise<number> {
    let help: boolean | undefined;
    try {
        help = parseArgs({ args: argv, options: { help: { type: "boolean", short: "h", default: false } } }).values.help;
    } catch (e) {
        io.stderr(`error: ${(e as Error).message}\nrun 'npm run docs -- --help' for the options\n`);
        return EXIT.usage;
    }
    if (help) {
        io.stdout(`${USAGE}\n`);
        return EXIT.ok;
    }
    try {
        const root = path.join(__dirname, "..");
        const program = path.join(root, "index.ts");
        const config = loadStackConfig(program, "dev");
        const graph = mermaidGraph(planResources(await runProgram(program, config), config.defaultRegion));
        const rewrites: [string, (text: string) => string][] = [
            [GENERATED_FILES.readme, (text) => renderReadme(text, config.project)],
            [GENERATED_FILES.design, (text) => renderDesign(text, graph)],
        ];
        for (const [name, render] of rewrites) {
            const file = path.join(root, name);
            const before = fs.readFileSync(file, "utf8");
            const after = render(before);
            if (after !== before) {
                fs.writeFileSync(file, after);
            }
            io.stdout(`${name}: generated sections ${after === before ? "already up to date" : "updated"}\n`);
        }
        const projectFile = path.join(root, "Pulumi.yaml");
        const projectBefore = fs.readFileSync(projectFile, "utf8");
        const projectAfter = renderProjectFile(projectBefore);
        if (projectAfter !== projectBefore) {
            fs.writeFileSync(projectFile, projectAfter);
        }
        io.stdout(`Pulumi.yaml: config declarations ${projectAfter === projectBefore ? "already up to date" : "updated"}\n`);
        return EXIT.ok;
    } catch (e) {
        io.stderr(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
        return EXIT.failed;
    }
}

if (require.main === module) {
    runCommand(main, EXIT.failed);
}
