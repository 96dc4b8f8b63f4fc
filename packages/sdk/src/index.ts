/**
 * @module @agentgate/sdk — TypeScript client of the Agentgate REST API (no runtime dependencies).
 *
 * @example
 * ```ts
 * import { AccountNotActiveError, AgentgateClient, ToolUnauthorizedError, isToolError } from '@agentgate/sdk'
 *
 * const client = new AgentgateClient({ envUrl, clientId, clientSecret })
 * try {
 *   const { data, executionId } = await client.actions.executeTool({ toolName: 'gmail_get_profile', connectionName: 'gmail', identifier: 'user_42' })
 * } catch (err) {
 *   if (err instanceof AccountNotActiveError || err instanceof ToolUnauthorizedError) {
 *     const { link } = await client.actions.getAuthorizationLink({ connectionName: 'gmail', identifier: 'user_42' })
 *   } else if (isToolError(err)) console.error(err.toolErrorKind, err.upstreamStatus, err.toolErrorMessage, err.fix)
 *   else throw err
 * }
 * ```
 */

export { AgentgateClient, type AgentgateClientOptions } from './client.js'
export { ActionsClient } from './actions.js'
export {
  ConnectedAccountsClient,
  type CreateConnectedAccountParams,
  type GetOrCreateConnectedAccountParams,
  type ListConnectedAccountsParams,
  type MagicLinkParams,
  type SearchConnectedAccountsParams,
  type UpdateConnectedAccountParams,
} from './connected-accounts.js'
export { ConnectionsClient, type ListConnectionsParams } from './connections.js'
export type { ConnectedAccountDiagnosis, DiagnoseOptions, DiagnosisCheck, DiagnosisFinding, DiagnosisResult } from './diagnose.js'
export { ProvidersClient, type ListProvidersParams } from './providers.js'
export { EventsClient, type EventFilter } from './events.js'
export { SettingsClient } from './settings.js'
export {
  McpClient,
  type CreateMcpTokenParams,
  type ListMcpConfigsParams,
  type McpAccountState,
  type McpConfig,
  type McpConfigInput,
  type McpConfigPage,
  type McpConfigUpdate,
  type McpConnectedAccountsParams,
  type McpSessionToken,
  type McpToolMapping,
} from './mcp.js'
export {
  WebhooksClient,
  type WebhookDelivery,
  type WebhookDeliveryPage,
  type WebhookEndpoint,
  type WebhookEndpointInput,
  type WebhookEndpointPage,
  type WebhookEndpointWithSecret,
  type WebhookEventType,
  type WebhookPageParams,
} from './webhooks.js'
export {
  WebhookVerificationError,
  verifyWebhookPayload,
  type VerifyWebhookOptions,
  type WebhookHeaders,
  type WebhookPayload,
  type WebhookVerificationReason,
} from './webhook-verify.js'
export {
  ToolsClient,
  type ExecuteToolParams,
  type GetToolOptions,
  type ListScopedToolsParams,
  type ListToolsParams,
  type ToolCallLogFilter,
} from './tools.js'
export {
  llmToolName,
  type AnthropicTool,
  type JsonObjectSchema,
  type LlmCatalogPage,
  type LlmToolFormat,
  type LlmToolOf,
  type LlmToolPage,
  type LlmToolSet,
  type McpTool,
  type OpenAiTool,
  type ToolBinding,
  type ToolBindings,
} from './llm-tools.js'
export type { ProxyRequestParams, ProxyResponse } from './proxy.js'
export type { QueryParams, QueryValue } from './query.js'
export {
  AgentgateConnectionError,
  AgentgateError,
  AgentgateTimeoutError,
  BadRequestError,
  ConflictError,
  ForbiddenError,
  NotFoundError,
  PayloadTooLargeError,
  RateLimitedError,
  ServerError,
  ServiceUnavailableError,
  UnauthorizedError,
  isAgentgateError,
  isNotFoundError,
  type AgentgateErrorInit,
  type RetryAfterErrorInit,
} from './errors.js'
export {
  AccountNotActiveError,
  ToolError,
  ToolForbiddenError,
  ToolRateLimitError,
  ToolUnauthorizedError,
  isToolError,
  toolErrorKindOf,
  type AuthorizationLinkHint,
  type ToolErrorDetails,
  type ToolErrorFields,
  type ToolErrorKind,
  type ToolErrorTier,
  type ToolErrorWire,
} from './tool-errors.js'
export * from './types.js'
export { SDK_VERSION } from './version.js'
