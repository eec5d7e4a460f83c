import { VERSION_LIFECYCLE_RULE_ID } from "../model/adoption";
import { VersionLifecycleSettings } from "../model/types";

type Settings = { readonly [F in keyof VersionLifecycleSettings]-?: NonNullable<VersionLifecycleSettings[F]> };

/**
 * The one rule of a replicated bucket's lifecycle configuration (option `versionLifecycle`). Pure, for
 * testing. The empty filter covers every key. `expiredObjectDeleteMarker` removes a delete marker once the
 * noncurrent versions behind it have expired (it may not share a rule with `expiration.days`, which this rule
 * does not set: current versions never expire here).
 *
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/lifecycle-configuration-examples.html
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_LifecycleExpiration.html
 */
export function versionLifecycleRule(settings: Settings) {
    return {
        id: VERSION_LIFECYCLE_RULE_ID,
        status: "Enabled",
        filter: {},
        noncurrentVersionExpiration: { noncurrentDays: settings.noncurrentVersionExpirationDays },
        expiration: { expiredObjectDeleteMarker: true },
        abortIncompleteMultipartUpload: { daysAfterInitiation: settings.abortIncompleteMultipartUploadDays },
    };
}
