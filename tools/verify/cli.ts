/**
 * npm run verify -- [--stack dev] [--direction FROM:TO ...] [--side REGION=BUCKET ...] [--samples N] [--timeout 15m] [--rpo 15m] [--interval 2s] [--cloudtrail]
 *   [--cloudtrail-timeout 15m] [--keep] [--json FILE|-] [-h|--help]
 *   [--primary-bucket B --primary-region R --secondary-bucket B --secondary-region R]
 * Exit 0 only when every check passed; 1 when a check failed; 2 when the run could not be made (credentials,
 * buckets, arguments). `main` is exported for the tests (with injectable AWS clients and clock); the command
 * runs only when this file is the process's entry.
 */
import { parseArgs } from "util";
import { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { S3Client } from "@aws-sdk/client-s3";
import { checkCloudTrail, CloudTrailFinding } from "./cloudtrail";
import { renderReport } from "./report";
import { parseDuration } from "./stats";
import { logGroupFromBucket, resolveTargets, Run, SideTarget, stackSides, TARGET_OPTIONS, targetFlags } from "./targets";
import { Clock, Endpoint, realClock, verifyReplication, VerifyError } from "./verifier";
import { CliStreams, plural, processStreams, runCommand, STDOUT, writeOutput } from "../text";

export const EXIT = { passed: 0, failed: 1, couldNotRun: 2 } as const;

export const USAGE = `usage: npm run verify -- [options]

Checks a deployed pair or mesh of buckets against AWS: puts test objects into each bucket, waits until they
are replicated to the other one, checks each replica (status, size, SHA-256, encryption, nothing replicated
back), measures the lag per direction against the RPO, and removes every object version it created.
Uses the standard AWS credential chain (AWS_PROFILE, environment keys, SSO, instance roles).

A mesh stack (its outputs hold 'sides') is checked in every direction, each side to every other, with the
same report per direction; --direction names the ones to check:
  npm run verify -- --stack prod --direction us-east-2:eu-west-1 --direction eu-west-1:us-east-2

options:
  --stack NAME                   stack whose outputs name the buckets, read with pulumi stack output (default: dev)
  --direction FROM:TO            check only this direction, by the two sides' regions; repeatable (default: every direction)
  --side REGION=BUCKET           a side of a mesh, instead of the stack's outputs; repeatable, two or more
  --primary-bucket BUCKET        the primary bucket, instead of the stack's output
  --primary-region REGION        the primary bucket's region, instead of the stack's output
  --secondary-bucket BUCKET      the secondary bucket, instead of the stack's output
  --secondary-region REGION      the secondary bucket's region, instead of the stack's output
  --samples N                    test objects per direction, 1 to 100 (default: 1)
  --timeout DURATION             longest wait for the replicas, such as 90s, 15m or 1h (default: 15m)
  --rpo DURATION                 recovery point objective: the verdict fails when a lag exceeds it (default: 15m)
  --interval DURATION            time between two polls of the buckets (default: 2s)
  --cloudtrail                   also find each upload and replication write in the CloudTrail logs (lab section 3.3)
  --cloudtrail-timeout DURATION  longest wait for CloudTrail to deliver those events (default: 15m)
  --keep                         leave the test objects in the buckets
  --json FILE                    write the whole result as JSON to FILE; "-" writes it to standard output
  -h, --help                     print this help and exit

With all four --primary-/--secondary- options the Pulumi CLI is not needed; otherwise the stack's outputs
name the buckets and the options given override them. Progress goes to standard error; with --json -, so
does the report, and standard output holds only the JSON (run npm with -s: npm run -s verify -- --json -).

exit codes:
  0  every check passed, or --help
  1  a check failed (the report says which)
  2  the run could not be made (credentials, a missing bucket, access denied, a wrong region) or the command line is wrong`;

/** What the command talks to; the tests replace it with scripted S3 and a virtual clock. */
export interface VerifyDeps {
    readonly s3: (region: string) => S3Client;
    readonly logs: (region: string) => CloudWatchLogsClient;
    readonly clock: Clock;
    /** Runs the Pulumi CLI (for the stack's outputs). */
    readonly exec?: Run;
    readonly runId?: string;
}

const awsDeps: VerifyDeps = {
    s3: (region) => new S3Client({ region }),
    logs: (region) => new CloudWatchLogsClient({ region }),
    clock: realClock,
};

const isParseArgsError = (e: unknown) => e instanceof TypeError && (e as NodeJS.ErrnoException).code?.startsWith("ERR_PARSE_ARGS");

/** Runs `npm run verify` with the arguments after `--`; resolves to the exit code. */
export async function main(argv: string[], io: CliStreams = processStreams, deps: VerifyDeps = awsDeps): Promise<number> {
    const fail = (message: string) => {
        io.stderr(`error: ${message}\nrun 'npm run verify -- --help' for the options\n`);
        return EXIT.couldNotRun;
    };
    let v;
    try {
        v = parseArgs({
            args: argv,
            options: {
                ...TARGET_OPTIONS,
                samples: { type: "string", default: "1" },
                timeout: { type: "string", default: "15m" },
                rpo: { type: "string", default: "15m" },
                interval: { type: "string", default: "2s" },
                cloudtrail: { type: "boolean", default: false },
                "cloudtrail-timeout": { type: "string", default: "15m" },
                keep: { type: "boolean", default: false },
                direction: { type: "string", multiple: true, default: [] },
                side: { type: "string", multiple: true, default: [] },
                json: { type: "string" },
                help: { type: "boolean", short: "h", default: false },
            },
        }).values;
    } catch (e) {
        return fail((e as Error).message);
    }
    if (v.help) {
        io.stdout(`${USAGE}\n`);
        return EXIT.passed;
    }
    let settings;
    try {
        const samples = Number(v.samples);
        if (!Number.isInteger(samples) || samples < 1 || samples > 100) {
            throw new VerifyError(`--samples must be a whole number from 1 to 100, got '${v.samples}'`);
        }
        settings = {
            samples,
            timeoutMs: parseDuration(v.timeout!, "--timeout"),
            rpoMs: parseDuration(v.rpo!, "--rpo"),
            pollIntervalMs: parseDuration(v.interval!, "--interval"),
            cloudtrailTimeoutMs: parseDuration(v["cloudtrail-timeout"]!, "--cloudtrail-timeout"),
        };
    } catch (e) {
        return fail((e as Error).message);
    }
    try {
        return await run(v, settings, io, deps);
    } catch (e) {
        if (e instanceof VerifyError) {
            const lines = [`error: ${e.message}`];
            if (e.cleanup && !e.cleanup.kept) {
                const failed = e.cleanup.errors.length ? `; FAILED: ${e.cleanup.errors.join("; ")}` : "";
                lines.push(`cleanup: removed ${plural(e.cleanup.deleted.length, "object version")}${failed}`);
            }
            io.stderr(lines.map((l) => `${l}\n`).join(""));
        } else if (isParseArgsError(e)) {
            io.stderr(`error: ${(e as Error).message}\n`);
        } else {
            io.stderr(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
        }
        return EXIT.couldNotRun;
    }
}

type Values = {
    stack?: string;
    cloudtrail?: boolean;
    keep?: boolean;
    json?: string;
    "primary-bucket"?: string;
    "primary-region"?: string;
    "secondary-bucket"?: string;
    "secondary-region"?: string;
    direction?: string[];
    side?: string[];
};

/**
 * The sides to check: `--side REGION=BUCKET` entries; else the four pair options (with the stack's outputs
 * for those not given); else every side of the stack's outputs (a mesh's `sides`, or its pair).
 */
export function chooseSides(v: Values, exec?: Run): SideTarget[] {
    const given = v.side ?? [];
    if (given.length > 0) {
        const sides = given.map((entry) => {
            const m = /^([a-z0-9-]+)=([a-z0-9.-]+)$/.exec(entry);
            if (!m) {
                throw new VerifyError(`--side must be REGION=BUCKET (us-east-2=acme-crrlab-us-east-2), got '${entry}'`);
            }
            return { region: m[1], bucket: m[2], logGroupName: logGroupFromBucket(m[2], m[1]) };
        });
        if (sides.length < 2 || new Set(sides.map((s) => s.region)).size !== sides.length) {
            throw new VerifyError(`--side must name two or more sides in distinct regions, got ${given.join(", ")}`);
        }
        return sides;
    }
    const flags = targetFlags(v);
    if ([flags.primaryBucket, flags.primaryRegion, flags.secondaryBucket, flags.secondaryRegion].some((f) => f !== undefined)) {
        const pair = resolveTargets(flags, exec);
        return [pair.primary, pair.secondary];
    }
    return stackSides(flags.stack, exec);
}

/** The directions `--direction FROM:TO` names, as indexes into `sides` (all of them when none is named). */
export function chooseDirections(sides: readonly SideTarget[], named: readonly string[]): [number, number][] {
    const regions = sides.map((s) => s.region);
    if (named.length === 0) {
        return regions.flatMap((_, from) => regions.flatMap((__, to): [number, number][] => (from === to ? [] : [[from, to]])));
    }
    return named.map((entry): [number, number] => {
        const [from, to, ...rest] = entry.split(":");
        const [f, t] = [regions.indexOf(from), regions.indexOf(to)];
        if (rest.length > 0 || f < 0 || t < 0 || f === t) {
            throw new VerifyError(`--direction must be FROM:TO, two different regions of the sides (${regions.join(", ")}), got '${entry}'`);
        }
        return [f, t];
    });
}

interface Settings {
    readonly samples: number;
    readonly timeoutMs: number;
    readonly rpoMs: number;
    readonly pollIntervalMs: number;
    readonly cloudtrailTimeoutMs: number;
}

async function run(v: Values, settings: Settings, io: CliStreams, deps: VerifyDeps): Promise<number> {
    const targets = chooseSides(v, deps.exec);
    const directions = chooseDirections(targets, v.direction ?? []);
    const progress = (line: string) => io.stderr(`${line}\n`);
    const startedAt = deps.clock.now();
    // A pair keeps its labels (its options' names in messages); a mesh's sides are named by region.
    const label = (i: number) => (targets.length === 2 && !(v.side ?? []).length ? ["primary", "secondary"][i] : targets[i].region);
    const endpoints = targets.map((t, i): Endpoint => ({ label: label(i), ...t, s3: deps.s3(t.region) }));
    const report = await verifyReplication({
        sides: endpoints,
        directions: directions.map(([from, to]) => [endpoints[from], endpoints[to]] as const),
        samples: settings.samples,
        timeoutMs: settings.timeoutMs,
        rpoMs: settings.rpoMs,
        pollIntervalMs: settings.pollIntervalMs,
        keep: v.keep!,
        progress,
        clock: deps.clock,
        runId: deps.runId,
    });
    let cloudtrail: CloudTrailFinding[] | undefined;
    if (v.cloudtrail) {
        const sides = targets;
        const missing = sides.filter((s) => !s.logGroupName);
        if (missing.length > 0) {
            throw new VerifyError(`--cloudtrail needs the log group of ${missing.map((s) => s.bucket).join(", ")}: use the stack's outputs`);
        }
        cloudtrail = await checkCloudTrail(
            sides.map((s) => ({ region: s.region, bucket: s.bucket, logGroupName: s.logGroupName!, logs: deps.logs(s.region) })),
            report.directions.flatMap((d) => d.objects),
            `crr-verify/${report.runId}/`,
            startedAt,
            settings.cloudtrailTimeoutMs,
            deps.clock,
            progress,
        );
        report.ok = report.ok && cloudtrail.every((f) => f.upload && f.replicationWrite);
    }
    // Standard output belongs to the JSON when it is written there.
    const reportTo = v.json === STDOUT ? io.stderr : io.stdout;
    reportTo(renderReport(report, cloudtrail).map((line) => `${line}\n`).join(""));
    if (v.json) {
        try {
            writeOutput(v.json, JSON.stringify({ ...report, cloudtrail }, null, 2) + "\n", io.stdout);
        } catch (e) {
            throw new VerifyError(`--json ${v.json}: ${(e as Error).message}`);
        }
    }
    return report.ok ? EXIT.passed : EXIT.failed;
}

if (require.main === module) {
    runCommand(main, EXIT.couldNotRun);
}
