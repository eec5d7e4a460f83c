import * as aws from "../../components/model/aws";
import { CrrPair, CrrPairArgs } from "../../components";
import { resetRecords, settle, withoutStackCapture } from "./mocks";

export const PRIMARY_REGION = "us-east-2";
export const SECONDARY_REGION = "us-west-2";
export const PREFIX = "acme-data";

export interface BuiltPair {
    readonly pair: CrrPair;
    /** Names of the two providers the pair was given. */
    readonly providerNames: { readonly primary: string; readonly secondary: string };
}

/**
 * Registers a CrrPair named `name` with two fresh providers (us-east-2 and us-west-2) and waits for every
 * registration to finish. Records of earlier tests are dropped first.
 */
export function buildPair(name: string, overrides: Partial<CrrPairArgs> = {}): Promise<BuiltPair> {
    resetRecords();
    return withoutStackCapture(() => registerPair(name, overrides));
}

async function registerPair(name: string, overrides: Partial<CrrPairArgs>): Promise<BuiltPair> {
    const providerNames = { primary: `${name}-aws-primary`, secondary: `${name}-aws-secondary` };
    const pair = new CrrPair(name, {
        namingPrefix: PREFIX,
        primary: { provider: new aws.Provider(providerNames.primary, { region: PRIMARY_REGION }), region: PRIMARY_REGION },
        secondary: {
            provider: new aws.Provider(providerNames.secondary, { region: SECONDARY_REGION }),
            region: SECONDARY_REGION,
        },
        ...overrides,
    });
    await settle();
    return { pair, providerNames };
}
