/**
 * npm run docs: regenerates the generated sections of README.md (program/docs.ts): the configuration
 * table, and the dev stack's resource graph, from a run of index.ts under the plan's mocks.
 */
import * as fs from "fs";
import * as path from "path";
import { renderProjectFile, renderReadme } from "../program/docs";
import { loadStackConfig } from "../tools/plan/config";
import { mermaidGraph } from "../tools/plan/graph";
import { planResources } from "../tools/plan/model";
import { runProgram } from "../tools/plan/run";

async function main(): Promise<void> {
    const root = path.join(__dirname, "..");
    const program = path.join(root, "index.ts");
    const config = loadStackConfig(program, "dev");
    const graph = mermaidGraph(planResources(await runProgram(program, config), config.defaultRegion));
    const file = path.join(root, "README.md");
    const before = fs.readFileSync(file, "utf8");
    const after = renderReadme(before, config.project, graph);
    if (after !== before) {
        fs.writeFileSync(file, after);
    }
    console.log(`README.md: generated sections ${after === before ? "already up to date" : "updated"}`);
    const projectFile = path.join(root, "Pulumi.yaml");
    const projectBefore = fs.readFileSync(projectFile, "utf8");
    const projectAfter = renderProjectFile(projectBefore);
    if (projectAfter !== projectBefore) {
        fs.writeFileSync(projectFile, projectAfter);
    }
    console.log(`Pulumi.yaml: config declarations ${projectAfter === projectBefore ? "already up to date" : "updated"}`);
}

main().catch((e) => {
    console.error(e);
    process.exit(1);
});
