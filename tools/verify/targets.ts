/** Which buckets to test: the stack's outputs (`pulumi stack output --json`) or explicit flags. */
import { VerifyError } from "./verifier";
import { Run, runProcess } from "../text";

export interface SideTarget {
    readonly bucket: string;
    readonly region: string;
    /** The CloudTrail log group of that region, for `--cloudtrail`. */
    readonly logGroupName?: string;
}

export interface Targets {
    readonly primary: SideTarget;
    readonly secondary: SideTarget;
}

export interface TargetFlags {
    readonly stack: string;
    readonly primaryBucket?: string;
    readonly primaryRegion?: string;
    readonly secondaryBucket?: string;
    readonly secondaryRegion?: string;
}

/** The lab's log group name from a `<prefix>-crrlab-<region>` bucket name. */
export function logGroupFromBucket(bucket: string, region: string): string | undefined {
    const suffix = `-crrlab-${region}`;
    return bucket.endsWith(suffix) ? `CloudTrail/logs/${bucket.slice(0, -suffix.length)}` : undefined;
}

export type { Run } from "../text";
const run: Run = runProcess;

type SideOutput = { bucketName?: string; region?: string; logGroupName?: string };

/** The outputs of `stack`, read with the Pulumi CLI. */
function stackOutputs(stack: string, exec: Run): Record<string, unknown> {
    const r = exec("pulumi", ["stack", "output", "--json", "--stack", stack]);
    if (r.error && (r.error as NodeJS.ErrnoException).code === "ENOENT") {
        throw new VerifyError(
            "the Pulumi CLI is not on PATH, so the stack's outputs cannot be read: pass --primary-bucket, --primary-region, " +
                "--secondary-bucket and --secondary-region",
        );
    }
    if (r.status !== 0) {
        throw new VerifyError(`pulumi stack output --stack ${stack} failed: ${r.stderr.trim() || `exit ${r.status}`}`);
    }
    return JSON.parse(r.stdout) as Record<string, unknown>;
}

/** Reads the primary and secondary outputs of `stack` with the Pulumi CLI. */
export function stackTargets(stack: string, exec: Run = run): Targets {
    const outputs = stackOutputs(stack, exec) as Record<string, SideOutput | undefined>;
    const side = (name: "primary" | "secondary"): SideTarget => {
        const o = outputs[name];
        if (!o?.bucketName || !o.region) {
            throw new VerifyError(`stack '${stack}' has no '${name}' output with bucketName and region: is it this project's stack?`);
        }
        return { bucket: o.bucketName, region: o.region, logGroupName: o.logGroupName };
    };
    return { primary: side("primary"), secondary: side("secondary") };
}

/**
 * Every side of `stack`: a mesh's `sides` output (by region), else the pair's primary and secondary. For
 * commands that look at every direction (`npm run status`).
 */
export function stackSides(stack: string, exec: Run = run): SideTarget[] {
    const outputs = stackOutputs(stack, exec);
    const sides = outputs.sides as Record<string, SideOutput> | undefined;
    if (sides && typeof sides === "object") {
        return Object.entries(sides).map(([key, o]) => {
            if (!o?.bucketName || !o.region) {
                throw new VerifyError(`stack '${stack}' has a side '${key}' without bucketName and region: is it this project's stack?`);
            }
            return { bucket: o.bucketName, region: o.region, logGroupName: o.logGroupName };
        });
    }
    const pair = stackTargets(stack, exec);
    return [pair.primary, pair.secondary];
}

/** The command-line options that choose the buckets (`npm run verify` and `npm run status` share them). */
export const TARGET_OPTIONS = {
    stack: { type: "string", default: "dev" },
    "primary-bucket": { type: "string" },
    "primary-region": { type: "string" },
    "secondary-bucket": { type: "string" },
    "secondary-region": { type: "string" },
} as const;

/** Those options' parsed values, as {@link resolveTargets} takes them. */
export function targetFlags(v: {
    stack?: string;
    "primary-bucket"?: string;
    "primary-region"?: string;
    "secondary-bucket"?: string;
    "secondary-region"?: string;
}): TargetFlags {
    return {
        stack: v.stack ?? "dev",
        primaryBucket: v["primary-bucket"],
        primaryRegion: v["primary-region"],
        secondaryBucket: v["secondary-bucket"],
        secondaryRegion: v["secondary-region"],
    };
}

/** Explicit flags when all four are given, else the stack's outputs (flags still override them). */
export function resolveTargets(flags: TargetFlags, exec: Run = run): Targets {
    const given = [flags.primaryBucket, flags.primaryRegion, flags.secondaryBucket, flags.secondaryRegion];
    let base: Targets | undefined;
    if (given.some((g) => g === undefined)) {
        base = stackTargets(flags.stack, exec);
    }
    const side = (bucket: string | undefined, region: string | undefined, from: SideTarget | undefined): SideTarget => {
        const b = bucket ?? from!.bucket;
        const r = region ?? from!.region;
        return { bucket: b, region: r, logGroupName: from?.logGroupName ?? logGroupFromBucket(b, r) };
    };
    const targets = {
        primary: side(flags.primaryBucket, flags.primaryRegion, base?.primary),
        secondary: side(flags.secondaryBucket, flags.secondaryRegion, base?.secondary),
    };
    if (targets.primary.region === targets.secondary.region) {
        throw new VerifyError(`both buckets are in ${targets.primary.region}: cross-region replication needs two regions`);
    }
    return targets;
}
