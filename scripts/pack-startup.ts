/**
 * The policy pack's start-up under three `.ts` loaders, each from the pack process's start to its answer to
 * GetAnalyzerInfo, started as the Pulumi CLI starts it (run-policy-pack, which registers a type-checking
 * ts-node first):
 *   typescript.js     the pack's own entry (policies/index.js: Sucrase, no source maps, in place of ts-node)
 *   sucrase/register  Sucrase's register hook in its place (inline source maps)
 *   ts-node           run-policy-pack's own type-checking ts-node
 * Prints one tab-separated line per loader: name, ms. scripts/bench.ts runs it (the "pack-start" figure)
 * to show whether policies/typescript.js earns its lines.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { DEFAULT_POLICY_PACK, PolicyPackProcess } from "../tools/plan/analyzer";

const PACK_TS = path.join(DEFAULT_POLICY_PACK, "index.ts");

/** Each loader's entry file, as run-policy-pack would load the pack's `main`. */
const ENTRIES: Record<string, string> = {
    "typescript.js": `require(${JSON.stringify(path.join(DEFAULT_POLICY_PACK, "index.js"))});\n`,
    "sucrase/register": [
        'delete require.extensions[".ts"]; // sucrase/register would otherwise wrap the ts-node loader',
        `require(${JSON.stringify(require.resolve("sucrase/register/ts"))});`,
        `require(${JSON.stringify(PACK_TS)});`,
        "",
    ].join("\n"),
    "ts-node": `require(${JSON.stringify(PACK_TS)});\n`,
};

async function startup(entry: string): Promise<number> {
    const start = process.hrtime.bigint();
    const started = PolicyPackProcess.start(DEFAULT_POLICY_PACK, () => undefined, entry);
    try {
        await (await started.ready).info();
        return Number(process.hrtime.bigint() - start) / 1e6;
    } finally {
        await started.abort();
    }
}

async function main(): Promise<void> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pack-startup-"));
    try {
        for (const [name, code] of Object.entries(ENTRIES)) {
            const entry = path.join(dir, `${name.replace(/[^a-z]/g, "-")}.js`);
            fs.writeFileSync(entry, code);
            console.log(`${name}\t${(await startup(entry)).toFixed(0)}`);
        }
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

main().then(
    () => process.exit(0),
    (e) => {
        console.error(e);
        process.exit(1);
    },
);
