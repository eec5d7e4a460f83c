/**
 * The one mocks module of the test suite (loaded by .mocharc before any spec): installs the shared
 * realistic mocks and recorder of tools/mocking.ts for the project `s3-crr`, stack `dev`, and gives the
 * specs helpers to find registrations by type and name and to read their dependencies.
 */
import * as pulumi from "@pulumi/pulumi";
import { installMocks, MOCK_ACCOUNT_ID, Registration, withoutStackCapture } from "../../tools/mocking";
import { skipPulumiStackCaptures } from "./stackCaptures";

export type { Registration };
export { withoutStackCapture };

export const PROJECT = "s3-crr";
export const STACK = "dev";
export const ACCOUNT_ID = MOCK_ACCOUNT_ID;

// Test support only: the SDK's per-resource and per-promise stacks are not captured (fails open).
skipPulumiStackCaptures();
let session = installMocks({ project: PROJECT, stack: STACK });

/**
 * Runs `fn`, which may install mocks of its own (a plan of another stack, tools/plan/run.ts), then installs
 * the suite's shared mocks again, empty: the specs after it find the suite's project and stack.
 */
export async function withOwnMocks<T>(fn: () => Promise<T>): Promise<T> {
    try {
        return await fn();
    } finally {
        session = installMocks({ project: PROJECT, stack: STACK });
    }
}

// The verifier's tests construct AWS SDK clients; on Node 20 the SDK warns once that it will need Node 22
// from 2027. True, and said in the README; not worth repeating in every test run.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";

/** Forgets what earlier tests registered. */
export function resetRecords(): void {
    session.reset();
}

/** Waits until every registration, invoke and apply the program started has finished. */
export function settle(): Promise<void> {
    return session.settle();
}

/** Every registration so far, in the order the monitor answered them. */
export function registered(): readonly Registration[] {
    return session.registered();
}

export function ofType(type: string): Registration[] {
    return registered().filter((r) => r.type === type);
}

/** The one registration of `type` named `name`; fails naming what was there instead. */
export function find(type: string, name: string): Registration {
    const hits = registered().filter((r) => r.type === type && r.name === name);
    if (hits.length !== 1) {
        const names = ofType(type).map((r) => r.name);
        throw new Error(`expected one ${type} named '${name}', found ${hits.length}; registered: ${names.join(", ") || "none"}`);
    }
    return hits[0];
}

export function byUrn(urn: string): Registration {
    const hit = registered().find((r) => r.urn === urn);
    if (!hit) {
        throw new Error(`no registration with URN ${urn}`);
    }
    return hit;
}

/** The names of what `reg` depends on, as `<type>::<name>`. */
export function dependencyNames(reg: Registration): string[] {
    return reg.dependencies.map((urn) => {
        const r = byUrn(urn);
        return `${r.type}::${r.name}`;
    });
}

/** The provider registration `reg` was created with. */
export function providerOf(reg: Registration): Registration {
    if (!reg.provider) {
        throw new Error(`${reg.type} '${reg.name}' has no explicit provider`);
    }
    return byUrn(reg.provider.split("::").slice(0, -1).join("::"));
}

/** The value of an Output, for assertions. */
export function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
    return new Promise((resolve) => output.apply(resolve));
}
