/**
 * npm run bench: the project's performance targets, measured on this machine, each beside its ratio to
 * the "SDK floor" (the wall time of a bare `node -e 'require("@pulumi/pulumi")'` in the same run), which
 * holds from machine to machine where seconds do not. See USAGE for options and exit codes.
 */
import { runCommand } from "../tools/text";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parseArgs } from "util";

const ROOT = path.join(__dirname, "..");
/** How `npm run plan` runs Node (package.json); the pairs and policy scripts run the same way. */
const NODE_FLAGS = ["--max-semi-space-size=64", "-r", "sucrase/register/ts"];

export const EXIT = { met: 0, missed: 1, failed: 2 } as const;

export const USAGE = `usage: npm run bench -- [--runs N] [--only NAME,...] [--json FILE|-] [--help]

Measures the project's performance targets on this machine. Each time is the median of N runs and is
shown with its ratio to the SDK floor: the wall time of a bare node -e 'require("@pulumi/pulumi")',
measured in the same run (a sample before each measurement; the median of all samples).

measurements (--only takes a comma-separated subset; the SDK floor is always measured):
  test        npm test (the type-check and the unit suite, side by side)    target <= 10 s
  suites      the type-check, the unit suite, the end-to-end suite and the lint, each alone
              (no target: the last two run in CI after npm test)
  plan        npm run plan -- --stack dev                                   target <= 3x the SDK floor
  pairs       50 CrrPairs under the test mocks (scripts/pairs-under-mocks.ts, whole processes)
              against as many registrations of one small resource and no component
              (scripts/registrations-under-mocks.ts): the component's work beside the Pulumi
              runtime's own                                                 target <= 1.5x
              and, beside them, the pairs' own registrations replayed with no component code
  plan-pairs  npm run plan of 1 and of 50 CrrPairs (tests/fixtures/many-pairs.ts)   (no target)
  plan-mesh   npm run plan of a 10-region CrrMesh (--config regions=...) and of the dev stack's
              pair                                                          (no target)
  policy      the policy pack over 1, 10 and 100 CrrPairs through the Analyzer protocol, streamed as
              npm run plan does (scripts/policy-bench.ts): the time from the program's last
              registration to the pack's last answer                        (no target)
  memory      the peak resident memory of a plan of 50 CrrPairs, the plan's process and the policy
              pack's (scripts/plan-memory.ts)                               (no target)
  pack-start  the policy pack's start-up under its own .ts loader, sucrase/register and
              run-policy-pack's type-checking ts-node (scripts/pack-startup.ts)  (no target)

options:
  --runs N        runs per measurement (default 3; the median is reported)
  --only NAMES    run only these measurements, e.g. --only plan,policy
  --json FILE     also write the result as JSON to FILE; '-' writes it to stdout (the table then goes
                  to stderr)
  -h, --help      print this help and exit

Progress goes to stderr, a line as each measurement starts. When a command fails, its output is printed.

exit codes:
  0  every measured target met
  1  a target missed
  2  a command failed, or bad usage`;

/** What the policy pack's time is made of, named beside its figures (docs/performance.md has the profile). */
const POLICY_COST = "most of it @pulumi/policy rebuilding the stack (properties deserialized, proxied) once per stack policy, grpc-js decoding the request into google-protobuf objects, and the garbage of both";

/** Each loader of the pack-start figure, as scripts/pack-startup.ts defines them. */
const PACK_LOADERS: Record<string, string> = {
    "typescript.js": "the pack's entry: Sucrase, no source maps, in place of ts-node",
    "sucrase/register": "inline source maps, which ts-node's source-map-support parses for every stack the SDK captures",
    "ts-node": "run-policy-pack's own loader: type-checks the pack at every start",
};

export const MEASUREMENTS = ["test", "suites", "plan", "pairs", "plan-pairs", "plan-mesh", "policy", "memory", "pack-start"] as const;

/** The ten regions of the mesh benchmark: 10 replication configurations of 9 rules each. */
export const MESH_REGIONS = [
    "us-east-1",
    "us-east-2",
    "us-west-1",
    "us-west-2",
    "ca-central-1",
    "eu-west-1",
    "eu-west-2",
    "eu-central-1",
    "ap-northeast-1",
    "ap-southeast-2",
];
type MeasurementName = (typeof MEASUREMENTS)[number];

export interface BenchOptions {
    readonly runs: number;
    readonly only: readonly MeasurementName[];
    readonly json?: string;
    readonly help: boolean;
}

/** Parses the command line; throws an Error with the reason on bad usage. */
export function parseBenchArgs(argv: readonly string[]): BenchOptions {
    const { values } = parseArgs({
        args: [...argv],
        options: {
            runs: { type: "string", default: "3" },
            only: { type: "string" },
            json: { type: "string" },
            help: { type: "boolean", short: "h", default: false },
        },
        allowPositionals: false,
    });
    const runs = Number(values.runs);
    if (!Number.isInteger(runs) || runs < 1) {
        throw new Error(`--runs takes a whole number of at least 1, got '${values.runs}'`);
    }
    const only = values.only === undefined ? [...MEASUREMENTS] : values.only.split(",").map((s) => s.trim()).filter(Boolean);
    const unknown = only.filter((name) => !(MEASUREMENTS as readonly string[]).includes(name));
    if (unknown.length > 0 || only.length === 0) {
        throw new Error(`--only: unknown measurement(s) '${unknown.join(",")}'; known: ${MEASUREMENTS.join(", ")}`);
    }
    return { runs, only: only as MeasurementName[], json: values.json, help: values.help ?? false };
}

export interface Figure {
    readonly name: string;
    readonly what: string;
    /** Median seconds (for ratios, the ratio itself; for memory, MiB); undefined when the step failed. */
    readonly value?: number;
    readonly unit: "s" | "x" | "MiB";
    readonly samples: readonly number[];
    /** value / SDK floor, for times. */
    readonly ratioToFloor?: number;
    readonly target?: string;
    readonly met?: boolean;
    readonly note?: string;
}

export interface BenchResult {
    readonly machine: { cpus: number; cpuModel: string; node: string; platform: string; memoryGiB: number; loadAverage: number[] };
    readonly runs: number;
    readonly sdkFloorSeconds: number;
    readonly sdkFloorSamples: readonly number[];
    readonly figures: readonly Figure[];
    readonly failures: readonly string[];
    readonly allTargetsMet: boolean;
}

interface Io {
    out: (text: string) => void;
    err: (text: string) => void;
}

const median = (xs: readonly number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

class StepFailed extends Error {}

/** Runs one command to completion; its wall time and output, or StepFailed with the output printed. */
function run(io: Io, command: string, args: readonly string[]): { seconds: number; stdout: string } {
    const start = process.hrtime.bigint();
    const result = spawnSync(command, args, { cwd: ROOT, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    if (result.status !== 0) {
        const shown = [command, ...args].map((a) => (/\s/.test(a) ? `'${a}'` : a)).join(" ");
        io.err(`bench: '${shown}' failed (${result.error?.message ?? `exit ${result.status ?? result.signal}`}); its output:`);
        io.err(`${result.stdout ?? ""}${result.stderr ?? ""}`.trimEnd());
        throw new StepFailed(`${shown} failed`);
    }
    return { seconds, stdout: result.stdout };
}

/** The benchmark; resolves to the exit code. */
export async function main(argv: readonly string[], io: Io = { out: (t) => console.log(t), err: (t) => console.error(t) }): Promise<number> {
    let options: BenchOptions;
    try {
        options = parseBenchArgs(argv);
    } catch (e) {
        io.err(`error: ${(e as Error).message}\n\n${USAGE}`);
        return EXIT.failed;
    }
    if (options.help) {
        io.out(USAGE);
        return EXIT.met;
    }
    const report = options.json === "-" ? io.err : io.out;
    const machine = {
        cpus: os.cpus().length,
        cpuModel: os.cpus()[0]?.model.trim() ?? "unknown",
        node: process.version,
        platform: `${os.platform()} ${os.arch()}`,
        memoryGiB: Math.round(os.totalmem() / 2 ** 30),
        loadAverage: os.loadavg().map((l) => Math.round(l * 100) / 100),
    };
    io.err(`bench: ${machine.cpus} x ${machine.cpuModel}, Node ${machine.node}, load average ${machine.loadAverage.join(" ")}; ${options.runs} run(s) each`);

    const floorSamples: number[] = [];
    const sampleFloor = () => {
        run(io, process.execPath, ["-e", 'require("@pulumi/pulumi")']); // the first of a pair warms the file cache
        floorSamples.push(run(io, process.execPath, ["-e", 'require("@pulumi/pulumi")']).seconds);
    };
    const times = (what: string, command: string, args: readonly string[], warm = false) => {
        io.err(`bench: measuring ${what} (${options.runs} run${options.runs > 1 ? "s" : ""}${warm ? " after a warm-up" : ""})`);
        if (warm) {
            run(io, command, args);
        }
        return Array.from({ length: options.runs }, () => run(io, command, args));
    };
    const npm = process.platform === "win32" ? "npm.cmd" : "npm";
    const nodeScript = (script: string, ...args: string[]) => [...NODE_FLAGS, script, ...args];

    // Each measurement adds figures; times get their ratio to the floor once every sample is in.
    const pending: (Omit<Figure, "ratioToFloor" | "met"> & { limit?: number; limitToFloor?: number })[] = [];
    const failures: string[] = [];
    const time = (name: string, what: string, samples: number[], extra: { target?: string; limit?: number; limitToFloor?: number; note?: string } = {}) =>
        pending.push({ name, what, value: median(samples), unit: "s", samples, ...extra });
    const ratio = (name: string, what: string, many: number[], one: number[], note: string, limit = 3) => {
        const value = median(many) / median(one);
        pending.push({ name, what, value, unit: "x", samples: [], target: `<= ${limit}x`, limit, note });
    };

    const steps: Record<MeasurementName, () => void> = {
        test: () => {
            const samples = times("npm test", npm, ["test"]).map((r) => r.seconds);
            time("test", "npm test", samples, { target: "<= 10 s", limit: 10 });
        },
        suites: () => {
            const typecheck = ["node_modules/typescript-native/bin/tsc", "-p", "tsconfig.check.json"];
            time("typecheck", "type-check (TypeScript 7)", times("the type-check alone", process.execPath, typecheck).map((r) => r.seconds));
            time("unit", "mocha unit suite", times("the unit suite alone", process.execPath, ["--max-semi-space-size=64", "node_modules/.bin/mocha"]).map((r) => r.seconds));
            time(
                "e2e",
                "mocha end-to-end suite",
                times("the end-to-end suite alone", process.execPath, ["node_modules/.bin/mocha", "--config", ".mocharc.e2e.json"]).map((r) => r.seconds),
            );
            time("lint", "npm run lint (ESLint, typed rules)", times("the lint alone", process.execPath, ["scripts/lint.mjs"]).map((r) => r.seconds));
        },
        plan: () => {
            const samples = times("npm run plan -- --stack dev", npm, ["run", "--silent", "plan", "--", "--stack", "dev"], true).map((r) => r.seconds);
            time("plan", "npm run plan -- --stack dev", samples, { target: "<= 3x SDK floor", limitToFloor: 3 });
        },
        pairs: () => {
            const recording = path.join(os.tmpdir(), `bench-pairs-${process.pid}.json`);
            try {
                // The warm-up run records the pairs' registrations, for the replay below.
                run(io, process.execPath, nodeScript("scripts/pairs-under-mocks.ts", "50", "--record", recording));
                const fifty = times("50 CrrPairs under mocks", process.execPath, nodeScript("scripts/pairs-under-mocks.ts", "50"));
                // As many registrations of one small resource, no component code at all: the runtime's own share.
                const registrations = /(\d+) registrations/.exec(fifty[0].stdout)?.[1] ?? "3200";
                const bare = times(`${registrations} registrations of one small resource under mocks`, process.execPath, nodeScript("scripts/registrations-under-mocks.ts", registrations));
                // The same registrations the pairs made, inputs and all, with no component code between them.
                const replayed = times("the 50 pairs' registrations replayed under mocks", process.execPath, nodeScript("scripts/registrations-under-mocks.ts", "--replay", recording));
                const [pairs, runtime, replay] = [fifty, bare, replayed].map((rs) => rs.map((r) => r.seconds));
                time("pairs-50", "50 CrrPairs under mocks (whole process)", pairs, { note: fifty[0].stdout.trim() });
                time("pairs-runtime", `${registrations} BucketVersioning registrations under mocks, no component (whole process)`, runtime, { note: bare[0].stdout.trim() });
                time("pairs-replay", "the 50 pairs' registrations replayed, no component (whole process)", replay, { note: replayed[0].stdout.trim() });
                ratio("pairs-ratio", "50 CrrPairs against the runtime's own cost of as many registrations", pairs, runtime, "medians' ratio", 1.5);
                pending.push({ name: "pairs-replay-ratio", what: "50 CrrPairs against their own registrations replayed", value: median(pairs) / median(replay), unit: "x", samples: [], note: "no target: the component's Outputs and code beside the runtime's cost of the same resources" });
            } finally {
                fs.rmSync(recording, { force: true });
            }
        },
        "plan-pairs": () => {
            const plan = (pairs: number) =>
                times(`npm run plan of ${pairs} CrrPair(s)`, npm, ["run", "--silent", "plan", "--", "--program", "tests/fixtures/many-pairs.ts", "--config", `pairs=${pairs}`], pairs === 1).map(
                    (r) => r.seconds,
                );
            time("plan-pairs-1", "npm run plan, 1 CrrPair", plan(1));
            time("plan-pairs-50", "npm run plan, 50 CrrPairs", plan(50));
        },
        "plan-mesh": () => {
            const plan = (what: string, ...config: string[]) =>
                times(what, npm, ["run", "--silent", "plan", "--", "--stack", "dev", ...config.flatMap((c) => ["--config", c])], true).map((r) => r.seconds);
            time("plan-mesh-2", "npm run plan, the dev stack's pair", plan("npm run plan of the dev stack's pair"));
            time("plan-mesh-10", "npm run plan, a 10-region CrrMesh (90 rules)", plan("npm run plan of a 10-region CrrMesh", `regions=${MESH_REGIONS.join(",")}`));
        },
        policy: () => {
            const rows = times("the policy pack over 1, 10 and 100 CrrPairs (Analyzer protocol)", process.execPath, nodeScript("scripts/policy-bench.ts", "1", "10", "100")).map(
                (r) => r.stdout.trim().split("\n").map((line) => line.split("\t")),
            );
            rows[0].forEach((_, i) => {
                const [pairs, resources] = rows[0][i];
                const policy = rows.map((r) => Number(r[i][3]) / 1000);
                const program = median(rows.map((r) => Number(r[i][2]) / 1000));
                const startup = median(rows.map((r) => Number(r[i][5]) / 1000));
                time(`policy-${pairs}`, `policy pack after the program, ${pairs} CrrPair(s) (${resources} resources)`, policy, {
                    note: `program ${program.toFixed(2)} s with Analyze streaming; pack start-up ${startup.toFixed(2)} s; ${rows[0][i][4]} diagnostics; ${POLICY_COST}`,
                });
            });
        },
        memory: () => {
            const rows = times("the peak memory of a plan of 50 CrrPairs", process.execPath, nodeScript("scripts/plan-memory.ts", "50")).map((r) => r.stdout.trim().split("\t"));
            const [, resources] = rows[0];
            const mib = (column: number) => rows.map((r) => Number(r[column])).filter((n) => Number.isFinite(n));
            const plan = mib(2);
            const pack = mib(3);
            pending.push({ name: "memory-plan", what: `peak memory, plan of 50 CrrPairs (${resources} resources): the plan's process`, value: median(plan), unit: "MiB", samples: plan });
            if (pack.length > 0) {
                pending.push({ name: "memory-pack", what: "peak memory, plan of 50 CrrPairs: the policy pack's process", value: median(pack), unit: "MiB", samples: pack });
            }
        },
        "pack-start": () => {
            const rows = times("the policy pack's start-up under three .ts loaders", process.execPath, nodeScript("scripts/pack-startup.ts"), true).map((r) =>
                r.stdout.trim().split("\n").map((line) => line.split("\t")),
            );
            rows[0].forEach(([loader], i) => {
                time(`pack-start-${loader}`, `policy pack start-up, ${loader}`, rows.map((r) => Number(r[i][1]) / 1000), { note: PACK_LOADERS[loader] });
            });
        },
    };

    for (const name of options.only) {
        try {
            sampleFloor();
            steps[name]();
        } catch (e) {
            if (!(e instanceof StepFailed)) {
                throw e;
            }
            failures.push(`${name}: ${e.message}`);
        }
    }
    try {
        sampleFloor();
    } catch (e) {
        failures.push(`SDK floor: ${(e as Error).message}`);
    }
    const floor = median(floorSamples);
    const figures: Figure[] = pending.map(({ limit, limitToFloor, ...f }) => {
        const ratioToFloor = f.unit === "s" && f.value !== undefined ? f.value / floor : undefined;
        const met =
            limit !== undefined ? f.value! <= limit : limitToFloor !== undefined && ratioToFloor !== undefined ? ratioToFloor <= limitToFloor : undefined;
        return { ...f, ratioToFloor, met };
    });
    const result: BenchResult = {
        machine,
        runs: options.runs,
        sdkFloorSeconds: floor,
        sdkFloorSamples: floorSamples,
        figures,
        failures,
        allTargetsMet: failures.length === 0 && figures.every((f) => f.met !== false),
    };

    report(renderTable(result));
    if (options.json) {
        const text = JSON.stringify(result, null, 2);
        if (options.json === "-") {
            io.out(text);
        } else {
            fs.writeFileSync(options.json, text + "\n");
        }
    }
    return failures.length > 0 ? EXIT.failed : result.allTargetsMet ? EXIT.met : EXIT.missed;
}

export function renderTable(result: BenchResult): string {
    const m = result.machine;
    const rows: string[][] = [
        ["SDK floor: node -e 'require(\"@pulumi/pulumi\")'", `${result.sdkFloorSeconds.toFixed(2)} s`, "1.0x", "", ""],
        ...result.figures.map((f) => [
            f.what,
            f.value === undefined ? "failed" : f.unit === "s" ? `${f.value.toFixed(2)} s` : f.unit === "MiB" ? `${f.value.toFixed(0)} MiB` : `${f.value.toFixed(2)}x`,
            f.ratioToFloor === undefined ? "" : `${f.ratioToFloor.toFixed(1)}x`,
            f.target ? `${f.target}: ${f.met ? "met" : "MISSED"}` : "",
            f.note ?? "",
        ]),
    ];
    const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((r) => r[i].length), ["measure", "median", "/floor", "target"][i].length));
    const line = (r: string[]) => `${r[0].padEnd(widths[0])}  ${r[1].padStart(widths[1])}  ${r[2].padStart(widths[2])}  ${r[3].padEnd(widths[3])}  ${r[4]}`.trimEnd();
    return [
        `${m.cpus} x ${m.cpuModel}, ${m.platform}, ${m.memoryGiB} GiB, Node ${m.node}; load average at start ${m.loadAverage.join(" ")}; median of ${result.runs} run(s)`,
        line(["measure", "median", "/floor", "target", "note"]),
        ...rows.map(line),
        ...result.failures.map((f) => `FAILED: ${f}`),
        result.allTargetsMet ? "all targets met" : "targets missed or steps failed (see above)",
    ].join("\n");
}

if (require.main === module) {
    runCommand(main, EXIT.failed);
}
