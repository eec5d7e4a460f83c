/**
 * What `npm run restore` and `npm run drill` read from a stack's outputs (`pulumi stack output --json`): each
 * side's bucket, region and backup role, the access point, and the recovery objectives.
 */
import { Run } from "../verify/targets";
import { RestoreError } from "./backup";

export interface StackSide {
    readonly region: string;
    readonly bucket: string;
    /** The role AWS Backup uses for the side's bucket (option `backup`): restore jobs run as it. */
    readonly backupRoleArn?: string;
    readonly backupVaultArn?: string;
}

export interface StackInfo {
    readonly sides: readonly StackSide[];
    readonly accessPointArn?: string;
    /** The stack's `objectives` output (absent in stacks deployed before it existed). */
    readonly objectives?: { readonly rpoSeconds?: number; readonly rtoSeconds?: number };
}

type SideOutput = { bucketName?: string; region?: string; backupRoleArn?: string; backupVaultArn?: string };

/** Reads `stack`'s outputs with the Pulumi CLI. */
export function readStack(stack: string, exec: Run): StackInfo {
    const r = exec("pulumi", ["stack", "output", "--json", "--stack", stack]);
    if (r.error && (r.error as NodeJS.ErrnoException).code === "ENOENT") {
        throw new RestoreError("the Pulumi CLI is not on PATH, so the stack's outputs cannot be read: pass --bucket and --region");
    }
    if (r.status !== 0) {
        throw new RestoreError(`pulumi stack output --stack ${stack} failed: ${r.stderr.trim() || `exit ${r.status}`}`);
    }
    const outputs = JSON.parse(r.stdout) as {
        primary?: SideOutput;
        secondary?: SideOutput;
        sides?: Record<string, SideOutput>;
        accessPoint?: { arn?: string };
        objectives?: { rpoSeconds?: number; rtoSeconds?: number };
    };
    const raw = outputs.sides ? Object.values(outputs.sides) : [outputs.primary, outputs.secondary].filter((s): s is SideOutput => s !== undefined);
    const sides = raw.map((o) => {
        if (!o.bucketName || !o.region) {
            throw new RestoreError(`stack '${stack}' has a side without bucketName and region: is it this project's stack?`);
        }
        return { region: o.region, bucket: o.bucketName, ...(o.backupRoleArn ? { backupRoleArn: o.backupRoleArn } : {}), ...(o.backupVaultArn ? { backupVaultArn: o.backupVaultArn } : {}) };
    });
    if (sides.length === 0) {
        throw new RestoreError(`stack '${stack}' has no primary, secondary or sides output: is it this project's stack?`);
    }
    return {
        sides,
        ...(outputs.accessPoint?.arn ? { accessPointArn: outputs.accessPoint.arn } : {}),
        ...(outputs.objectives ? { objectives: outputs.objectives } : {}),
    };
}
