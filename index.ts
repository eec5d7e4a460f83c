import * as pulumi from "@pulumi/pulumi";
import * as aws from "./components/model/aws";
import { CrrMesh, CrrPair, CrrSideOutputs } from "./components";
import { adoptedSide, pairOptions, readProviderSettings, readSettings, strictConfig, unknownConfigKeys } from "./program/settings";

// Configuration first: a bad key stops the program before anything is registered. Keys the program does not
// read come first: in CI a misspelt key fails the run (a safety setting spelt wrong would protect nothing).
const unknown = unknownConfigKeys(pulumi.runtime.allConfig(), pulumi.getProject());
if (unknown.length > 0 && strictConfig()) {
    throw new pulumi.RunError(`Unknown configuration keys (an error where CI is set):\n${unknown.map((u) => `  - ${u}`).join("\n")}`);
}
for (const warning of unknown) {
    void pulumi.log.warn(warning);
}
const config = new pulumi.Config();
// A secret is named when a run did not get its value (an offline plan): the runtime knows which keys are.
const runtime = pulumi.runtime as unknown as { isConfigSecret?: (key: string) => boolean };
const settings = readSettings((key) => config.get(key), pulumi.getProject(), (key) => runtime.isConfigSecret?.(key) ?? false);
// The AWS provider's safety settings of the stack file (aws:allowedAccountIds), passed to every provider below:
// Pulumi gives aws: configuration to default providers only, and the stack files disable those.
const providerSettings = readProviderSettings((key) => new pulumi.Config("aws").get(key));

const defaultTags = {
    Project: pulumi.getProject(),
    Stack: pulumi.getStack(),
    ManagedBy: "pulumi",
    Purpose: "s3-bidirectional-crr",
};
/**
 * A region's provider; with a `roleArns` entry it assumes that role, so the side lives in the role's account.
 * `formerName`: the name it had in the pair (a mesh grown from it takes the provider over, not a new one).
 */
const provider = (name: string, region: string, formerName?: string) => {
    const roleArn = settings.roleArns[region];
    return new aws.Provider(
        name,
        {
            region,
            ...providerSettings,
            defaultTags: { tags: defaultTags },
            ...(roleArn ? { assumeRoles: [{ roleArn, sessionName: `pulumi-${pulumi.getStack()}` }] } : {}),
        },
        formerName && formerName !== name ? { aliases: [{ name: formerName }] } : {},
    );
};

/** A side's stack outputs: every field of its CrrSideOutputs that it has (an optional one only when its option is on). */
const sideOutputs = (side: CrrSideOutputs) => Object.fromEntries(Object.entries(side).filter(([, value]) => value !== undefined));

function pair() {
    const crr = new CrrPair("crr", {
        ...pairOptions(settings),
        namingPrefix: settings.namingPrefix,
        primary: { provider: provider("primary", settings.primaryRegion), region: settings.primaryRegion, ...adoptedSide(settings, settings.primaryRegion) },
        secondary: { provider: provider("secondary", settings.secondaryRegion), region: settings.secondaryRegion, ...adoptedSide(settings, settings.secondaryRegion) },
    });
    return {
        primary: sideOutputs(crr.primary),
        secondary: sideOutputs(crr.secondary),
        dashboardName: crr.dashboardName,
        ...(crr.accessPoint ? { accessPoint: crr.accessPoint } : {}),
    };
}

/**
 * The mesh over `regions`. A stack that was the pair grows into it in place: the sides in `primaryRegion` and
 * `secondaryRegion` take over the pair's sides and providers (aliases; a stack that never was a pair has
 * nothing under those names, and the aliases are ignored).
 */
function mesh(regions: readonly string[]) {
    const former = (region: string) => (region === settings.primaryRegion ? "primary" : region === settings.secondaryRegion ? "secondary" : undefined);
    const crr = new CrrMesh("crr", {
        ...pairOptions(settings),
        namingPrefix: settings.namingPrefix,
        sides: regions.map((region) => {
            const onRemoval = settings.leaving?.[region];
            return { provider: provider(region, region, former(region)), region, ...adoptedSide(settings, region), ...(onRemoval ? { onRemoval } : {}) };
        }),
        grownFromPair: {
            ...(regions.includes(settings.primaryRegion) ? { primary: settings.primaryRegion } : {}),
            ...(regions.includes(settings.secondaryRegion) ? { secondary: settings.secondaryRegion } : {}),
        },
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
/**
 * The recovery objectives the stack is held to (options rpoSeconds and rtoSeconds): `npm run drill` reads
 * them and reports each measured value against them.
 */
export const objectives = { rpoSeconds: settings.rpoSeconds, rtoSeconds: settings.rtoSeconds };
