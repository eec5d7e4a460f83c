import { Region } from "@pulumi/aws/types/enums";
import { nearest } from "./suggest";

/**
 * Every region the pinned `@pulumi/aws` knows (its `Region` enum). A well-formed code that is not here
 * (`us-east-9`) is refused: it would otherwise plan cleanly and fail only when AWS is called.
 */
export const AWS_REGIONS: readonly string[] = Object.values(Region);

/** Empty when `region` is known; otherwise why not, with the nearest real regions. */
export function regionProblem(region: unknown): string | undefined {
    if (typeof region === "string" && AWS_REGIONS.includes(region)) {
        return undefined;
    }
    const got = typeof region === "string" ? `'${region}'` : JSON.stringify(region) ?? String(region);
    const hint = typeof region === "string" && region !== "" ? `; nearest: ${nearest(region, AWS_REGIONS).join(", ")}` : "";
    return `must be an AWS region code that @pulumi/aws knows, such as 'us-east-2', got ${got}${hint}`;
}

/** The ARN partition of a region: the China and GovCloud regions have their own. */
export function partitionOf(region: string): string {
    return region.startsWith("cn-") ? "aws-cn" : region.startsWith("us-gov-") ? "aws-us-gov" : "aws";
}
