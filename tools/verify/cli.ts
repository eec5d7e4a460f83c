/**
 * npm run verify -- [--stack dev] [--samples N] [--timeout 15m] [--rpo 15m] [--interval 2s] [--cloudtrail]
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
import { resolveTargets, Run, TARGET_OPTIONS, targetFlags } from "./targets";
import { Clock, realClock, verifyReplication, VerifyError } from "./verifier";
import { CliStreams, plural, processStreams, runCommand, STDOUT, writeOutput } from "../text";

export const EXIT = { passed: 0, failed: 1, couldNotRun: 2 } as const;

export const USAGE = `usage: npm run verify -- [options]

Checks a deployed pair of buckets against AWS: puts test objects into each bucket, waits until they are
replicated to the other one, checks each replica (status, size, SHA-256, encryption, nothing replicated
back), measures the lag per direction against the RPO, and removes every object version it created.
Uses the standard AWS credential chain (AWS_PROFILE, environment keys, SSO, instance roles).

options:
  --stack NAME                   stack whose outputs name the buckets, read with pulumi stack output (default: dev)
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
};

interface Settings {
    readonly samples: number;
    readonly timeoutMs: number;
    readonly rpoMs: number;
    readonly pollIntervalMs: number;
    readonly cloudtrailTimeoutMs: number;
}

async function run(v: Values, settings: Settings, io: CliStreams, deps: VerifyDeps): Promise<number> {
    const targets = resolveTargets(targetFlags(v), deps.exec);
    const progress = (line: string) => io.stderr(`${line}\n`);
    const startedAt = deps.clock.now();
    const report = await verifyReplication({
        primary: { label: "primary", ...targets.primary, s3: deps.s3(targets.primary.region) },
        secondary: { label: "secondary", ...targets.secondary, s3: deps.s3(targets.secondary.region) },
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
        const sides = [targets.primary, targets.secondary];
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
