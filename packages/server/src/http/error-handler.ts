/** @module The one place errors become HTTP answers: stable codes, one shape, no internals on 5xx. */
import type { FastifyError, FastifyInstance } from 'fastify';
import { errorBody, GatewayError } from '../errors.ts';

/** Fastify's own failures (body parsing, limits) mapped onto our registry. */
function fromFastify(error: FastifyError): GatewayError | undefined {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new GatewayError('payload_too_large', 'The request body is larger than the gateway accepts.');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new GatewayError('unsupported_media_type', 'Send JSON (content-type: application/json), or a form body to /oauth/token.');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new GatewayError('malformed_json', 'The content-type is application/json but the body is empty.');
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new GatewayError('malformed_json', 'The request body is not valid JSON.');
    default:
      break;
  }
  if (error instanceof SyntaxError || (error.statusCode === 400 && /JSON/i.test(error.message))) {
    return new GatewayError('malformed_json', 'The request body is not valid JSON.');
  }
  if (error.statusCode === 413) return new GatewayError('payload_too_large');
  if (error.statusCode === 415) return new GatewayError('unsupported_media_type');
  return undefined;
}

/** `docsUrl`: the docs folder's base URL (AGENTGATE_DOCS_URL); every error answer links its code's section there. */
export function installErrorHandling(app: FastifyInstance, { docsUrl }: { docsUrl: string }): void {
  app.setErrorHandler((raw: FastifyError | GatewayError | Error, request, reply) => {
    const known = raw instanceof GatewayError ? raw : fromFastify(raw as FastifyError);
    if (known !== undefined && known.expose) {
      request.log.info({ code: known.code, status: known.status }, 'request failed');
      if (typeof known.details?.['retry_after'] === 'number') {
        void reply.header('retry-after', String(known.details['retry_after']));
      }
      return reply.code(known.status).send(errorBody(known, docsUrl));
    }
    // Unexpected: log everything (the logger redacts secrets), answer nothing specific.
    request.log.error({ err: raw }, 'unhandled error');
    const generic = known ?? new GatewayError('server_error');
    const body = errorBody(new GatewayError(generic.code, generic.status >= 500 ? `An internal error occurred (request ${request.id}).` : generic.message), docsUrl);
    return reply.code(generic.status).send(body);
  });

  app.setNotFoundHandler((request, reply) => {
    const error = new GatewayError('route_not_found', `No route ${request.method} ${request.url.split('?')[0]}.`);
    return reply.code(404).send(errorBody(error, docsUrl));
  });
}
