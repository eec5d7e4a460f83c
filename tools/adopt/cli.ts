/**
 * npm run adopt -- --bucket NAME [--region R] [--account ID] [--json FILE|-] [-h|--help]
 * Reads an existing bucket's configuration and prints the stack configuration that keeps it and adds
 * replication, or refuses with a named reason. Read-only. `main` is exported for the tests (injectable
 * clients); the command runs only when this file is the process's entry.
 */
import * as yaml from "js-yaml";
import { S3Client } from "@aws-sdk/client-s3";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { bucketNameProblems } from "../../components/model/naming";
import { regionProblem } from "../../components/model/regions";
import { CliStreams, readFlags, processStreams, runCommand, STDOUT, writeOutput } from "../text";
import { assess, Assessment } from "./assess";
import { readBucket } from "./read";

export const EXIT = { adoptable: 0, refused: 1, couldNotRun: 2 } as const;

export const USAGE = `usage: npm run adopt -- --bucket NAME [options]

Reads an existing bucket's configuration (versioning, encryption and its key, Object Lock, ownership and ACL,
public access block, policy, lifecycle, notifications, replication, logging, tags, CORS, website, inventory,
analytics) and prints the stack configuration that adopts it: s3-crr:existingBuckets keyed by the bucket's
region, carrying its own policy statements, lifecycle rules and notification targets (the stack merges them
into the configurations it writes, which replace the bucket's whole configuration of each kind). Only Get and
List calls: nothing is changed. Statements, rules and notifications the stack writes itself (a bucket
adopted before) are left out. Warnings name what the stack will change; refusals name what it cannot keep.

options:
  --bucket NAME   the bucket to adopt (required)
  --region R      its region; without it, GetBucketLocation answers (no constraint is us-east-1, "EU" eu-west-1)
  --account ID    the account the stack deploys that side into (default: the caller's, from STS GetCallerIdentity)
  --json FILE     write the configuration and every finding as JSON to FILE; "-" writes it to standard output
  -h, --help      print this help and exit

refusals (exit 1), each named:
  replication-to-other-destinations  the bucket replicates elsewhere; the stack's configuration would replace it
  acls-in-use                        the bucket ACL grants others; BucketOwnerEnforced cannot be set
  object-lock                        Object Lock on; the stack gives neither locked destinations nor the role's rights
  unversioned-object-lock            Object Lock on while versioning is not Enabled
  kms-key-other-account              the default KMS key is in another account
  public-policy                      a policy statement allows everyone; BlockPublicPolicy would reject the policy
  policy-sid-collision               a statement's Sid is one the stack writes, with other content
  lifecycle-id-collision             a lifecycle rule's id is the stack's own rule's, with other content
  notification-id-collision          a notification's id is the stack's own, with other events

exit codes:
  0  adoptable: the configuration is printed (warnings, if any, on standard error), or --help
  1  refused: a named reason above (each is printed)
  2  the command could not run: a wrong command line, no such bucket, access denied, no credentials`;

/** What the command talks to; the tests replace it. */
export interface AdoptDeps {
    readonly s3: (region: string) => S3Client;
    /** The caller's account (STS GetCallerIdentity). */
    readonly account: () => Promise<string | undefined>;
}

const awsDeps: AdoptDeps = {
    s3: (region) => new S3Client({ region }),
    account: async () => (await new STSClient({ region: "us-east-1" }).send(new GetCallerIdentityCommand({}))).Account,
};

/** The YAML block to paste under `config:` of a stack file. */
export function renderConfig(a: Assessment): string {
    const body = yaml.dump({ config: a.config }, { lineWidth: 120, noRefs: true, quotingType: '"' });
    return `# Adopts ${a.bucket} (${a.region}): merge into Pulumi.<stack>.yaml (under config:), then plan and deploy.\n# ${a.region} must be one of the stack's regions (primaryRegion/secondaryRegion, or regions).\n${body}`;
}

function renderFindings(a: Assessment): string {
    const lines: string[] = [];
    for (const r of a.refusals) {
        lines.push(`refused (${r.reason}): ${r.message}`);
    }
    for (const w of a.warnings) {
        lines.push(`warning (${w.reason}): ${w.message}`);
    }
    for (const u of a.untouched) {
        lines.push(`kept as is (${u.reason}): ${u.message}`);
    }
    for (const m of a.alreadyManaged) {
        lines.push(`already written by this stack, left out: ${m}`);
    }
    return lines.length ? `${lines.join("\n")}\n` : "";
}

/** Runs `npm run adopt` with the arguments after `--`; resolves to the exit code. */
export async function main(argv: string[], io: CliStreams = processStreams, deps: AdoptDeps = awsDeps): Promise<number> {
    const read = readFlags(
        "adopt",
        USAGE,
        argv,
        {
            bucket: { type: "string" },
            region: { type: "string" },
            account: { type: "string" },
        },
        io,
        { help: EXIT.adoptable, wrong: EXIT.couldNotRun },
    );
    if ("exit" in read) {
        return read.exit;
    }
    const v = read.flags;
    // Every flag is checked before any call.
    const problems: string[] = [];
    if (v.bucket === undefined) {
        problems.push("--bucket is required: the name of the bucket to adopt");
    } else {
        const p = bucketNameProblems(v.bucket);
        if (p.length) {
            problems.push(`--bucket '${v.bucket}' ${p.join("; ")}`);
        }
    }
    const rp = v.region === undefined ? undefined : regionProblem(v.region);
    if (rp !== undefined) {
        problems.push(`--region ${rp}`);
    }
    if (v.account !== undefined && !/^\d{12}$/.test(v.account)) {
        problems.push(`--account '${v.account}' is not an AWS account id (12 digits)`);
    }
    if (problems.length) {
        io.stderr(problems.map((p) => `error: ${p}\n`).join(""));
        return EXIT.couldNotRun;
    }
    try {
        const [state, account] = await Promise.all([readBucket(deps.s3, v.bucket!, v.region), v.account !== undefined ? Promise.resolve(v.account) : deps.account()]);
        const a = assess(state, account);
        const findings = renderFindings(a);
        const adoptable = a.refusals.length === 0;
        if (v.json === STDOUT) {
            io.stderr(findings);
        } else {
            if (adoptable) {
                io.stdout(renderConfig(a));
            }
            io.stderr(findings);
            if (!adoptable) {
                io.stderr(`${v.bucket} cannot be adopted as it is: ${a.refusals.map((r) => r.reason).join(", ")}\n`);
            }
        }
        if (v.json !== undefined) {
            writeOutput(
                v.json,
                JSON.stringify({ bucket: a.bucket, region: a.region, adoptable, config: a.config, refusals: a.refusals, warnings: a.warnings, untouched: a.untouched, alreadyManaged: a.alreadyManaged }, null, 2) + "\n",
                io.stdout,
            );
        }
        return adoptable ? EXIT.adoptable : EXIT.refused;
    } catch (e) {
        // An AWS error (no such bucket, access denied) is named, not dumped with a stack trace.
        const aws = e instanceof Error && "$metadata" in e;
        io.stderr(aws ? `error: ${(e as Error).name}: ${(e as Error).message}\n` : `${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
        return EXIT.couldNotRun;
    }
}

if (require.main === module) {
    runCommand(main, EXIT.couldNotRun);
}
