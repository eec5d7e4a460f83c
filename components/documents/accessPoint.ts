import type { AccessPointRouting } from "../model/values";

/** One route of the access point: a bucket, its region, and its traffic dial (0 passive, 100 active). */
export interface AccessPointRoute {
    readonly bucket: string;
    readonly region: string;
    readonly trafficDialPercentage: number;
}

/**
 * The initial routes (pure, for testing): active/passive sends everything to the first side (a pair's
 * primary), active/active dials every side to 100 (requests go to the nearest).
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_control_SubmitMultiRegionAccessPointRoutes.html
 */
export function initialRoutes(routing: AccessPointRouting, sides: readonly { bucket: string; region: string }[]): AccessPointRoute[] {
    return sides.map((s, i) => ({ bucket: s.bucket, region: s.region, trafficDialPercentage: routing === "activeActive" || i === 0 ? 100 : 0 }));
}

/** The object actions the access point's policy allows the owning account's principals (through IAM). */
export const ACCESS_POINT_OBJECT_ACTIONS = ["s3:GetObject", "s3:PutObject"];

/**
 * The access point's policy: the owning account's principals may read and write objects through it, as
 * far as their IAM policies allow (the account root as principal delegates to IAM). The buckets keep their
 * own policies; same-account callers need nothing more there.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/MultiRegionAccessPointPermissions.html
 */
export function accessPointPolicy(partition: string, accountId: string, accessPointArn: string) {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "OwningAccountThroughIam",
                Effect: "Allow",
                Principal: { AWS: `arn:${partition}:iam::${accountId}:root` },
                Action: ACCESS_POINT_OBJECT_ACTIONS,
                Resource: `${accessPointArn}/object/*`,
            },
        ],
    };
}
