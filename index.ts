import * as pulumi from "@pulumi/pulumi";
import * as aws from "./components/model/aws";
import { CrrMesh, CrrPair, CrrSideOutputs } from "./components";
import { pairOptions, readSettings, unknownConfigKeys } from "./program/settings";

// Configuration first: a bad key stops the program before anything is registered.
const config = new pulumi.Config();
const settings = readSettings((key) => config.get(key), pulumi.getProject());
for (const warning of unknownConfigKeys(pulumi.runtime.allConfig(), pulumi.getProject())) {
    void pulumi.log.warn(warning);
}

const defaultTags = {
    Project: pulumi.getProject(),
    Stack: pulumi.getStack(),
    ManagedBy: "pulumi",
    Purpose: "s3-bidirectional-crr",
};
/** A region's provider; with a `roleArns` entry it assumes that role, so the side lives in the role's account. */
const provider = (name: string, region: string) => {
    const roleArn = settings.roleArns[region];
    return new aws.Provider(name, {
        region,
        defaultTags: { tags: defaultTags },
        ...(roleArn ? { assumeRoles: [{ roleArn, sessionName: `pulumi-${pulumi.getStack()}` }] } : {}),
    });
};

/** A side's stack outputs: every field of its CrrSideOutputs that it has (an optional one only when its option is on). */
const sideOutputs = (side: CrrSideOutputs) => Object.fromEntries(Object.entries(side).filter(([, value]) => value !== undefined));

function pair() {
    const crr = new CrrPair("crr", {
        ...pairOptions(settings),
        namingPrefix: settings.namingPrefix,
        primary: { provider: provider("primary", settings.primaryRegion), region: settings.primaryRegion },
        secondary: { provider: provider("secondary", settings.secondaryRegion), region: settings.secondaryRegion },
    });
    return {
        primary: sideOutputs(crr.primary),
        secondary: sideOutputs(crr.secondary),
        dashboardName: crr.dashboardName,
        ...(crr.accessPoint ? { accessPoint: crr.accessPoint } : {}),
    };
}

function mesh(regions: readonly string[]) {
    const crr = new CrrMesh("crr", {
        ...pairOptions(settings),
        namingPrefix: settings.namingPrefix,
        sides: regions.map((region) => ({ provider: provider(region, region), region })),
    });
    return {
        sides: Object.fromEntries(Object.entries(crr.sides).map(([key, side]) => [key, sideOutputs(side)])),
        dashboardName: crr.dashboardName,
        ...(crr.accessPoint ? { accessPoint: crr.accessPoint } : {}),
    };
}

const built: Record<string, unknown> = settings.regions ? mesh(settings.regions) : pair();

/** The primary side (two-region stacks): `pulumi stack output primary --json`. */
export const primary = built.primary;
/** The secondary side (two-region stacks): `pulumi stack output secondary --json`. */
export const secondary = built.secondary;
/** Every side by region (stacks with `regions` set): `pulumi stack output sides --json`. */
export const sides = built.sides;
/** The CloudWatch dashboard of every direction (with alarms on). */
export const dashboardName = built.dashboardName;
/** The Multi-Region Access Point (option accessPoint): name, alias, ARN and endpoint; `npm run failover` reads it. */
export const accessPoint = built.accessPoint;
