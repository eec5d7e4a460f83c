/**
 * npm run plan -- [--stack dev] [--program index.ts] [--config key=value ...] [--json FILE] [--graph FILE]
 *                 [--policy-pack DIR] [--policy-pack-config FILE] [--no-policies]
 * Exit codes: 0 clean (advisory violations allowed), 1 mandatory violations, 2 the program or its
 * configuration failed.
 */
import * as path from "path";
import { parseArgs } from "util";
// Only what starting the policy pack needs is loaded before the pack starts: its start-up (about 1.3 s)
// then overlaps loading the Pulumi SDK and running the program, instead of following them.
import { PolicyPackProcess } from "./analyzer";

const EXIT = { clean: 0, mandatory: 1, failed: 2 } as const;
const DEFAULT_PACK = path.join(__dirname, "..", "..", "policies");

const USAGE =
    "usage: npm run plan -- [--stack dev] [--program index.ts] [--config key=value ...] [--json FILE] [--graph FILE] " +
    "[--policy-pack DIR] [--policy-pack-config FILE] [--no-policies]";

async function main(argv: string[]): Promise<number> {
    let parsed;
    try {
        parsed = parseArgs({
            args: argv,
            options: {
                stack: { type: "string", default: "dev" },
                program: { type: "string", default: "index.ts" },
                config: { type: "string", multiple: true, default: [] },
                json: { type: "string" },
                graph: { type: "string" },
                "policy-pack": { type: "string" },
                "policy-pack-config": { type: "string" },
                "no-policies": { type: "boolean", default: false },
                help: { type: "boolean", default: false },
            },
            allowPositionals: false,
        });
    } catch (e) {
        console.error(`error: ${(e as Error).message}\n${USAGE}`);
        return EXIT.failed;
    }
    const v = parsed.values;
    if (v.help) {
        console.log(USAGE);
        return EXIT.clean;
    }
    const log = (line: string) => console.log(line);
    const startedPack = v["no-policies"] ? undefined : PolicyPackProcess.start(v["policy-pack"] ? path.resolve(v["policy-pack"]) : DEFAULT_PACK, log);
    // Loading the SDK blocks the event loop for a second: let the pack's process start first.
    await startedPack?.spawned;
    const { plan } = await import("./index");
    return plan({
        stack: v.stack!,
        program: v.program!,
        config: v.config!,
        json: v.json,
        graph: v.graph,
        policyPack: v["policy-pack"],
        policyPackConfig: v["policy-pack-config"],
        policies: !v["no-policies"],
        log,
        startedPack,
    });
}

main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e) => {
        console.error(e instanceof Error ? (e.stack ?? e.message) : e);
        process.exit(EXIT.failed);
    },
);
