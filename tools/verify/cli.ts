/**
 * npm run verify -- [--stack dev] [--samples N] [--timeout 15m] [--rpo 15m] [--interval 2s] [--cloudtrail]
 *   [--cloudtrail-timeout 15m] [--keep] [--json FILE]
 *   [--primary-bucket B --primary-region R --secondary-bucket B --secondary-region R]
 * Exit 0 only when every check passed; 1 when a check failed; 2 when the run could not be made (credentials,
 * buckets, arguments).
 */
import * as fs from "fs";
import { parseArgs } from "util";
import { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { S3Client } from "@aws-sdk/client-s3";
import { checkCloudTrail, CloudTrailFinding } from "./cloudtrail";
import { renderReport } from "./report";
import { parseDuration } from "./stats";
import { resolveTargets } from "./targets";
import { realClock, verifyReplication, VerifyError } from "./verifier";

async function main(argv: string[]): Promise<number> {
    const { values: v } = parseArgs({
        args: argv,
        options: {
            stack: { type: "string", default: "dev" },
            samples: { type: "string", default: "1" },
            timeout: { type: "string", default: "15m" },
            rpo: { type: "string", default: "15m" },
            interval: { type: "string", default: "2s" },
            cloudtrail: { type: "boolean", default: false },
            "cloudtrail-timeout": { type: "string", default: "15m" },
            keep: { type: "boolean", default: false },
            json: { type: "string" },
            "primary-bucket": { type: "string" },
            "primary-region": { type: "string" },
            "secondary-bucket": { type: "string" },
            "secondary-region": { type: "string" },
        },
    });
    const samples = Number(v.samples);
    if (!Number.isInteger(samples) || samples < 1 || samples > 100) {
        throw new VerifyError(`--samples must be a whole number from 1 to 100, got '${v.samples}'`);
    }
    const timeoutMs = parseDuration(v.timeout!, "--timeout");
    const rpoMs = parseDuration(v.rpo!, "--rpo");
    const pollIntervalMs = parseDuration(v.interval!, "--interval");
    const cloudtrailTimeoutMs = parseDuration(v["cloudtrail-timeout"]!, "--cloudtrail-timeout");
    const targets = resolveTargets({
        stack: v.stack!,
        primaryBucket: v["primary-bucket"],
        primaryRegion: v["primary-region"],
        secondaryBucket: v["secondary-bucket"],
        secondaryRegion: v["secondary-region"],
    });
    const progress = (line: string) => console.error(line);
    const startedAt = realClock.now();
    const report = await verifyReplication({
        primary: { label: "primary", ...targets.primary, s3: new S3Client({ region: targets.primary.region }) },
        secondary: { label: "secondary", ...targets.secondary, s3: new S3Client({ region: targets.secondary.region }) },
        samples,
        timeoutMs,
        rpoMs,
        pollIntervalMs,
        keep: v.keep!,
        progress,
    });
    let cloudtrail: CloudTrailFinding[] | undefined;
    if (v.cloudtrail) {
        const sides = [targets.primary, targets.secondary];
        const missing = sides.filter((s) => !s.logGroupName);
        if (missing.length > 0) {
            throw new VerifyError(`--cloudtrail needs the log group of ${missing.map((s) => s.bucket).join(", ")}: use the stack's outputs`);
        }
        cloudtrail = await checkCloudTrail(
            sides.map((s) => ({ region: s.region, bucket: s.bucket, logGroupName: s.logGroupName!, logs: new CloudWatchLogsClient({ region: s.region }) })),
            report.directions.flatMap((d) => d.objects),
            `crr-verify/${report.runId}/`,
            startedAt,
            cloudtrailTimeoutMs,
            realClock,
            progress,
        );
        report.ok = report.ok && cloudtrail.every((f) => f.upload && f.replicationWrite);
    }
    renderReport(report, cloudtrail).forEach((line) => console.log(line));
    if (v.json) {
        fs.writeFileSync(v.json, JSON.stringify({ ...report, cloudtrail }, null, 2) + "\n");
    }
    return report.ok ? 0 : 1;
}

main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e) => {
        if (e instanceof VerifyError) {
            console.error(`error: ${e.message}`);
            if (e.cleanup && !e.cleanup.kept) {
                console.error(`cleanup: removed ${e.cleanup.deleted.length} object versions${e.cleanup.errors.length ? `; FAILED: ${e.cleanup.errors.join("; ")}` : ""}`);
            }
        } else if (e instanceof TypeError && (e as NodeJS.ErrnoException).code?.startsWith("ERR_PARSE_ARGS")) {
            console.error(`error: ${e.message}`);
        } else {
            console.error(e instanceof Error ? (e.stack ?? e.message) : e);
        }
        process.exit(2);
    },
);
