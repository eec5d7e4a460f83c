/**
 * npm run restore -- [--stack dev] [--region REGION] [--bucket BUCKET] [--from auto|backup|versions] [--at TIME]
 *                    [--key KEY ...] [--prefix PREFIX] [--snapshot] [--to BUCKET | --in-place [--yes]] [--dry-run]
 *                    [--role-arn ARN] [--timeout 6h] [--interval 30s] [--json FILE|-] [-h|--help]
 * Brings a bucket's data back to a point in time, from AWS Backup or from object versions. `main` is exported
 * for the tests (injectable clients, Pulumi CLI, prompt and clock); the command runs only when this file is
 * the process's entry.
 */
import { randomBytes } from "crypto";
import { BackupClient } from "@aws-sdk/client-backup";
import { S3Client } from "@aws-sdk/client-s3";
import { Clock, realClock } from "../verify/verifier";
import { parseDuration } from "../verify/stats";
import { Run } from "../verify/targets";
import { regionProblem } from "../../components/model/regions";
import { askOnTerminal, CliStreams, readFlags, processStreams, runCommand, runProcess, writeOutput } from "../text";
import { describeError, RestoreError } from "./backup";
import { restore, RestoreReport, RestoreSource } from "./restore";
import { readStack } from "./stack";

export const EXIT = { restored: 0, notAll: 1, couldNotRun: 2 } as const;

export const USAGE = `usage: npm run restore -- [options]

Brings a replicated bucket's objects back to a point in time, into a new bucket (the default) or in place.
From AWS Backup where the stack backs up (option backup): the continuous backup at --at (any second of its
retention, read with DescribeRecoveryPoint, 35 days at most; it needs --at), else the latest snapshot at or
before it; a whole bucket, or up to five objects per job (--key); the job is followed to its end, and each
object looked for afterwards. AWS Backup restores the latest version as of that time and never overwrites: in
place it only brings back missing or deleted objects, so an overwritten (corrupted) object comes back with
--from versions. From object versions where the stack does not back up: every object under --prefix is put
back to its latest version at or before --at (that version copied over, in parts above 5 GB, or the delete
markers written after it removed where the bucket does not replicate delete markers; nothing else is
deleted). Uses the standard AWS credential chain.

options:
  --stack NAME      stack whose outputs name the buckets and the backup role (default: dev)
  --region REGION   the side to restore (default: the stack's first side, the primary)
  --bucket BUCKET   the bucket to restore, instead of the stack's output (needs --region)
  --from SOURCE     auto, backup, versions (default: auto: backup where the side has a backup role, else versions)
  --at TIME         the point in time, ISO 8601 such as 2026-12-04T10:30:00Z (default: now for versions, the
                    latest snapshot with --snapshot; a continuous backup needs it)
  --key KEY         an object to restore, repeatable (backup: five per job; versions: only these keys)
  --prefix PREFIX   versions: the objects under PREFIX (default: every object)
  --snapshot        backup: the latest snapshot at or before --at, not the continuous backup
  --to BUCKET       the new bucket restored into (default: <bucket, shortened>-restored-<yyyymmddhhmm>)
  --in-place        restore into the bucket itself (asks for confirmation)
  --yes             restore in place without asking
  --dry-run         print the calls (versions: what each object would become) and make none that write
  --role-arn ARN    backup: the role the restore job runs as (default: the side's backupRoleArn output; with
                    --bucket, --from auto means backup only when --role-arn is given)
  --timeout DUR     longest wait for a restore job, such as 90m or 6h (default: 6h)
  --interval DUR    how often the job is polled (default: 30s)
  --json FILE       write the report as JSON to FILE; "-" writes it to standard output
  -h, --help        print this help and exit

The caller needs: backup:ListRecoveryPointsByResource, backup:DescribeRecoveryPoint, backup:StartRestoreJob,
backup:DescribeRestoreJob and iam:PassRole on the backup role (backup); s3:ListBucketVersions, s3:GetObjectVersion,
s3:GetObjectVersionTagging, s3:PutObject, s3:PutObjectTagging, s3:AbortMultipartUpload (a copy above 5 GB goes
in parts), s3:DeleteObjectVersion (delete markers), s3:GetReplicationConfiguration (in place) and, into a new
bucket, s3:CreateBucket (versions); kms:Decrypt and kms:GenerateDataKey on the buckets' keys with SSE-KMS.

exit codes:
  0  every object asked for was restored (or, with --dry-run, could be)
  1  some could not be restored (each named with why), a restore job failed, or in place was declined
  2  the command could not run: a wrong command line, no such stack or side, no recovery point for --at,
     no credentials, access denied`;

export interface RestoreCliDeps {
    readonly s3: (region: string) => S3Client;
    readonly backup: (region: string) => BackupClient;
    readonly exec: Run;
    readonly ask: (question: string) => Promise<string>;
    readonly clock: Clock;
    readonly runId?: string;
}

const run: Run = runProcess;

const ask = askOnTerminal;

const awsDeps: RestoreCliDeps = {
    s3: (region) => new S3Client({ region }),
    backup: (region) => new BackupClient({ region }),
    exec: run,
    ask,
    clock: realClock,
};

/** Bucket names S3 accepts (3-63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit). */
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** `<bucket, shortened to fit>-restored-<yyyymmddhhmm>`: a new bucket name within S3's 63 characters. */
export function defaultDestination(bucket: string, now: Date): string {
    const stamp = now.toISOString().slice(0, 16).replace(/[-:T]/g, "");
    const suffix = `-restored-${stamp}`;
    return `${bucket.slice(0, 63 - suffix.length).replace(/[-.]+$/, "")}${suffix}`;
}

/** An ISO 8601 time with a zone (Z or ±hh:mm), not in the future. */
export function parseAt(text: string, now: Date): Date {
    if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(text) || Number.isNaN(Date.parse(text))) {
        throw new RestoreError(`--at must be an ISO 8601 time with its zone, such as 2026-12-04T10:30:00Z; got '${text}'`);
    }
    const at = new Date(text);
    if (at.getTime() > now.getTime()) {
        throw new RestoreError(`--at ${text} is in the future (now: ${now.toISOString()})`);
    }
    return at;
}

/** The report as text lines. */
export function renderRestore(r: RestoreReport): string[] {
    const where = r.inPlace ? `in place (s3://${r.bucket})` : `into s3://${r.destination}`;
    return [
        `Restore of s3://${r.bucket} (${r.region}) from ${r.from === "backup" ? "AWS Backup" : "object versions"} ${where}${r.at ? ` as of ${r.at}` : ""}${r.dryRun ? ": dry run, nothing written" : ""}`,
        ...(r.recoveryPoint ? [`  recovery point: ${r.recoveryPoint.why}`] : []),
        ...(r.dryRun ? r.planned.map((p) => `  would ${p}`) : []),
        ...r.jobs.map((j) => `  job ${j.jobId}: ${j.status}${j.statusMessage ? ` (${j.statusMessage})` : ""}`),
        ...r.restored.map((o) => `  restored ${o.key}: ${o.how}`),
        ...r.failed.map((o) => `  NOT restored ${o.key}: ${o.reason}`),
        `  ${r.dryRun ? "planned" : "restored"}: ${r.dryRun ? r.planned.length : r.restored.length}, not restored: ${r.failed.length}`,
    ];
}

/** Runs `npm run restore` with the arguments after `--`; resolves to the exit code. */
export async function main(argv: string[], io: CliStreams = processStreams, deps: RestoreCliDeps = awsDeps): Promise<number> {
    const read = readFlags(
        "restore",
        USAGE,
        argv,
        {
            stack: { type: "string", default: "dev" },
            region: { type: "string" },
            bucket: { type: "string" },
            from: { type: "string", default: "auto" },
            at: { type: "string" },
            key: { type: "string", multiple: true, default: [] },
            prefix: { type: "string", default: "" },
            snapshot: { type: "boolean", default: false },
            to: { type: "string" },
            "in-place": { type: "boolean", default: false },
            yes: { type: "boolean", default: false },
            "dry-run": { type: "boolean", default: false },
            "role-arn": { type: "string" },
            timeout: { type: "string", default: "6h" },
            interval: { type: "string", default: "30s" },
        },
        io,
        { help: EXIT.restored, wrong: EXIT.couldNotRun },
    );
    if ("exit" in read) {
        return read.exit;
    }
    const { flags: v, say } = read;
    const now = new Date(deps.clock.now());
    try {
        // The command line, checked before any call.
        if (!["auto", "backup", "versions"].includes(v.from!)) {
            throw new RestoreError(`--from must be auto, backup or versions; got '${v.from}'`);
        }
        if (v.region !== undefined && regionProblem(v.region) !== undefined) {
            throw new RestoreError(`--region ${regionProblem(v.region)}`);
        }
        if (v.bucket !== undefined && v.region === undefined) {
            throw new RestoreError("--bucket needs --region (the bucket's region)");
        }
        if (v.to !== undefined && v["in-place"]) {
            throw new RestoreError("--to and --in-place exclude each other: restore into a new bucket or into the bucket itself");
        }
        if (v.to !== undefined && !BUCKET_NAME.test(v.to)) {
            throw new RestoreError(`--to must be a bucket name of 3-63 lowercase letters, digits, dots and hyphens; got '${v.to}'`);
        }
        const keys = v.key as string[];
        if (keys.some((k) => k === "")) {
            throw new RestoreError("--key must not be empty");
        }
        const at = v.at === undefined ? undefined : parseAt(v.at, now);
        const timeoutMs = parseDuration(v.timeout!, "--timeout");
        const intervalMs = parseDuration(v.interval!, "--interval");
        if (v.snapshot && v.from === "versions") {
            throw new RestoreError("--snapshot chooses an AWS Backup recovery point: it does not go with --from versions");
        }

        // --bucket names the bucket without the stack (its backup role then comes from --role-arn).
        const stack = v.bucket === undefined ? readStack(v.stack!, deps.exec) : undefined;
        const chosen = stack === undefined ? { region: v.region!, bucket: v.bucket! } : v.region === undefined ? stack.sides[0] : stack.sides.find((s) => s.region === v.region);
        if (!chosen) {
            throw new RestoreError(`stack '${v.stack}' has no side in ${v.region}; its regions: ${stack!.sides.map((s) => s.region).join(", ")}`);
        }
        const roleArn = v["role-arn"] ?? ("backupRoleArn" in chosen ? chosen.backupRoleArn : undefined);
        const from: RestoreSource = v.from === "auto" ? (roleArn ? "backup" : "versions") : (v.from as RestoreSource);
        const destination = v.to ?? defaultDestination(chosen.bucket, now);
        if (v["in-place"] && !v.yes && !v["dry-run"]) {
            const answer = await deps.ask(`Restore s3://${chosen.bucket} in place${at ? ` to ${at.toISOString()}` : ""} from ${from}? [y/N] `);
            if (!/^y(es)?$/i.test(answer.trim())) {
                say("Not restored.\n");
                return EXIT.notAll;
            }
        }
        const report = await restore(
            {
                bucket: chosen.bucket,
                region: chosen.region,
                from,
                ...(at ? { at } : {}),
                keys,
                prefix: v.prefix!,
                inPlace: v["in-place"]!,
                destination,
                snapshot: v.snapshot!,
                dryRun: v["dry-run"]!,
                ...(roleArn ? { roleArn } : {}),
                token: deps.runId ?? `crr-restore-${now.getTime()}-${randomBytes(3).toString("hex")}`,
                timeoutMs,
                intervalMs,
            },
            { s3: deps.s3, backup: deps.backup, clock: deps.clock, progress: (line) => say(`${line}\n`) },
        );
        say(`${renderRestore(report).join("\n")}\n`);
        if (v.json) {
            writeOutput(v.json, JSON.stringify(report, null, 2) + "\n", io.stdout);
        }
        return report.failed.length === 0 ? EXIT.restored : EXIT.notAll;
    } catch (e) {
        io.stderr(`error: ${describeError(e)}\n`);
        return EXIT.couldNotRun;
    }
}

if (require.main === module) {
    runCommand(main, EXIT.couldNotRun);
}
