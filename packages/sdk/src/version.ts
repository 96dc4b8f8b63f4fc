/**
 * @module version — the SDK version sent in the `user-agent` header.
 */

/**
 * The version of this package. Kept as a constant rather than read from package.json at runtime
 * because `dist/` must work without the manifest next to it; a test fails if the two drift.
 *
 * @example
 * ```ts
 * import { SDK_VERSION } from '@agentgate/sdk'
 * console.log(`using agentgate-sdk ${SDK_VERSION}`)
 * ```
 */
export const SDK_VERSION = '0.1.0'
