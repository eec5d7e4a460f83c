/**
 * npm run docs [-- -h|--help]: regenerates the files of program/docs.ts's generatedFiles: README.md's
 * configuration table and its DR strategies' table (each example planned and estimated), docs/design.md's dev stack resource graph (from a run of index.ts under the plan's
 * mocks), Pulumi.yaml's config declarations, and the package README's options table.
 * `main` is exported for the tests; the command runs only when this file is the process's entry.
 */
import * as fs from "fs";
import * as path from "path";
import { parseArgs } from "util";
import { generatedFiles } from "../program/docs";
import { planStrategy, strategiesTable } from "../program/strategies";
import { DEFAULT_WORKLOAD } from "../tools/plan/workload";
import { loadStackConfig } from "../tools/plan/config";
import { mermaidGraph } from "../tools/plan/graph";
import { planResources } from "../tools/plan/model";
import { runProgram } from "../tools/plan/run";
import { CliStreams, processStreams, runCommand } from "../tools/text";

export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

export const USAGE = `usage: npm run docs [-- options]

Rewrites what is generated, from the option table (components/model/options.ts) and the program:
  README.md                    the configuration table, and the DR strategy examples side by side
                               (RPO, RTO, resources, a monthly estimate for the default --workload of
                               npm run plan), between <!-- NAME:start --> and <!-- NAME:end --> markers
  docs/design.md               the dev stack's resource graph (a run of index.ts under the plan's
                               mocks), between its markers
  Pulumi.yaml                  the config declarations
  packages/crr-pair/README.md  the options table, between its markers
Needs neither AWS nor the Pulumi CLI; a test fails when a committed file differs from what this writes.

options:
  -h, --help  print this help and exit

exit codes:
  0  README.md, docs/design.md, Pulumi.yaml and the package README updated or already up to date, or --help
  1  the program failed, or a file lacks a section's markers
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
        // The DR strategy examples, each planned as `npm run plan -- --stack examples/<name>` plans it.
        const examples = fs.readdirSync(path.join(root, "examples")).filter((f) => /^Pulumi\.[\w-]+\.yaml$/.test(f)).sort();
        const strategies = [];
        for (const f of examples) {
            const file = path.join(root, "examples", f);
            const example = loadStackConfig(program, file);
            const registrations = await runProgram(program, example);
            strategies.push(planStrategy(example.stack, `examples/${f}`, example.values, example.defaultRegion, registrations, DEFAULT_WORKLOAD));
        }
        const table = strategiesTable(strategies, config.project, DEFAULT_WORKLOAD);
        for (const { file, part, render } of generatedFiles(config.project, graph, table)) {
            const full = path.join(root, file);
            const before = fs.readFileSync(full, "utf8");
            let after: string;
            try {
                after = render(before);
            } catch (e) {
                throw new Error(`${file}: ${(e as Error).message}`);
            }
            if (after !== before) {
                fs.writeFileSync(full, after);
            }
            io.stdout(`${file}: ${part} ${after === before ? "already up to date" : "updated"}\n`);
        }
        return EXIT.ok;
    } catch (e) {
        io.stderr(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
        return EXIT.failed;
    }
}

if (require.main === module) {
    runCommand(main, EXIT.failed);
}
