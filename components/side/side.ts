import * as pulumi from "@pulumi/pulumi";
import * as aws from "../model/aws";
import { ResolvedSide } from "../model/validation";
import { createAudit, SideAudit } from "./audit";
import { InboundReplication, SideContext, SideIdentity, SideNameOutputs } from "./context";
import { createSideKey } from "./keys";
import { createStorage, SideStorage } from "./storage";

export type { SideIdentity } from "./context";

/** Everything one region holds, before replication is wired between regions. */
export interface SideResources extends SideStorage, SideAudit {
    readonly side: ResolvedSide;
    readonly names: SideNameOutputs;
    readonly identity: SideIdentity;
    readonly context: SideContext;
    readonly kmsKey?: aws.kms.Key;
    readonly kmsAlias?: aws.kms.Alias;
}

/**
 * Registers one region from its builders by concern (keys, storage, audit), every child with the side's
 * provider and (for regional resources) the side's region set explicitly. Child names start with
 * `<component name>-<side key>-`. `inbound` are the replication roles that write into this side (the
 * other sides' roles): those of other accounts are granted in its bucket and key policies, as is the account
 * of the Multi-Region Access Point over the sides (`accessPointOwner`) when it is another.
 */
export function createSide(ctx: SideContext, inbound: readonly InboundReplication[], accessPointOwner?: pulumi.Output<string>): SideResources {
    const key = createSideKey(ctx, inbound);
    const storage = createStorage(ctx, key, inbound, accessPointOwner);
    const audit = createAudit(ctx, storage, key);
    return {
        side: ctx.side,
        names: ctx.names,
        identity: ctx.identity,
        context: ctx,
        kmsKey: key?.key,
        kmsAlias: key?.alias,
        ...storage,
        ...audit,
    };
}
