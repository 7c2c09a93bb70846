/** The seven tools of specs/paragon-proxy.yaml (the published capability) as tools/list must return them, written from the file. */
import { FORWARDED_BODY_DESCRIPTION } from '@capstan/spec';

type Row = [name: string, description: string, params: Array<[name: string, type: string, description: string, required: boolean]>, hints: [boolean, boolean, boolean]];

const PROJECT = ['projectId', 'string', 'Your Paragon Project ID.', true] as const;
const TYPE_LONG = ['integrationType', 'string', 'The type of integration to proxy the request to (e.g., salesforce, hubspot, slack).', true] as const;
const TYPE = ['integrationType', 'string', 'The type of integration to proxy the request to.', true] as const;
const API_PATH = ['apiPath', 'string', 'The API path of the third-party provider to send the request to.', true] as const;
const CUSTOM_ID = ['integrationId', 'string', 'The ID of the custom integration.', true] as const;
const CUSTOM_PATH = ['apiPath', 'string', 'The API path of the custom integration to send the request to.', true] as const;
/** Added by Capstan: the published POST/PUT/PATCH tools declare no body, so the caller's body is forwarded. */
const BODY = ['body', 'object', FORWARDED_BODY_DESCRIPTION, false] as const;

/** The seven tools, in file order. */
const ROWS: Row[] = [
  ['proxygetrequest', 'Paragon Proxy GET request to integration', [[...PROJECT], [...TYPE_LONG], [...API_PATH]], [true, false, true]],
  ['proxypostrequest', 'Paragon Proxy POST request to integration', [[...PROJECT], [...TYPE], [...API_PATH], [...BODY]], [false, false, false]],
  ['proxyputrequest', 'Paragon Proxy PUT request to integration', [[...PROJECT], [...TYPE], [...API_PATH], [...BODY]], [false, false, true]],
  ['proxypatchrequest', 'Paragon Proxy PATCH request to integration', [[...PROJECT], [...TYPE], [...API_PATH], [...BODY]], [false, false, false]],
  ['proxydeleterequest', 'Paragon Proxy DELETE request to integration', [[...PROJECT], [...TYPE], [...API_PATH]], [false, true, true]],
  ['proxycustomgetrequest', 'Paragon Proxy GET request to custom integration', [[...PROJECT], [...CUSTOM_ID], [...CUSTOM_PATH]], [true, false, true]],
  ['proxycustompostrequest', 'Paragon Proxy POST request to custom integration', [[...PROJECT], [...CUSTOM_ID], [...CUSTOM_PATH], [...BODY]], [false, false, false]],
];

/** The tools/list entries the rows describe. */
export const PARAGON_TOOLS = ROWS.map(([name, description, params, [readOnly, destructive, idempotent]]) => ({
  name,
  description,
  inputSchema: {
    type: 'object',
    properties: Object.fromEntries(params.map(([n, type, d]) => [n, { type, description: d }])),
    required: params.filter((p) => p[3]).map((p) => p[0]),
  },
  annotations: { readOnlyHint: readOnly, destructiveHint: destructive, idempotentHint: idempotent },
}));
