/** `npm run plan` as a process, as a user runs it: for the end-to-end suites. */
import { spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";

const ROOT = path.join(__dirname, "..", "..");

export interface CliRun {
    readonly code: number | null;
    readonly out: string;
}

/** Runs `npm run plan -- args` as a user would (the same command line as package.json's script). */
export function planCli(args: string[], cwd = ROOT): Promise<CliRun> {
    const script = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")).scripts.plan as string;
    const [, ...nodeArgs] = script.split(" ");
    return new Promise((resolve) => {
        const child = spawn(process.execPath, [...nodeArgs.map((a) => (a.endsWith(".ts") || a.startsWith("./") ? path.join(ROOT, a) : a)), ...args], {
            cwd,
            env: { ...process.env, TS_NODE_PROJECT: path.join(ROOT, "tsconfig.json"), NODE_PATH: path.join(ROOT, "node_modules") },
        });
        let out = "";
        child.stdout.on("data", (d) => (out += d));
        child.stderr.on("data", (d) => (out += d));
        child.on("close", (code) => resolve({ code, out }));
    });
}

