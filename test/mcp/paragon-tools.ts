/** The seven tools of specs/paragon-proxy.yaml as tools/list must return them, written from the file. */

type Row = [name: string, description: string, params: Array<[name: string, type: string, description: string, required: boolean]>, hints: [boolean, boolean, boolean, boolean]];

const CUSTOM_PROJECT = ['projectId', 'string', 'ID of the Paragon project the custom integration belongs to.', true] as const;
const CUSTOM_ID = ['integrationId', 'string', 'ID of the custom integration, as shown in the Paragon dashboard.', true] as const;
const PROJECT = ['projectId', 'string', 'ID of the Paragon project the integration is enabled in.', true] as const;
const TYPE = ['integrationType', 'string', "Paragon's short name for the integration, such as salesforce, hubspot or slack.", true] as const;
const BODY = ['body', 'object', 'JSON body to send to the provider as is. Leave out to send no body.', false] as const;

/** The seven tools as written in specs/paragon-proxy.yaml. */
const ROWS: Row[] = [
  ['paragon-proxy-get-request-custom', 'Paragon Proxy GET request to custom integration', [[...CUSTOM_PROJECT], [...CUSTOM_ID], ['apiPath', 'string', "Path to read on the custom integration's API, relative to its base URL (for example v1/items).", true]], [true, false, true, true]],
  [
    'paragon-proxy-post-request-custom',
    'Paragon Proxy POST request to custom integration',
    [[...CUSTOM_PROJECT], [...CUSTOM_ID], ['apiPath', 'string', "Path to post to on the custom integration's API, relative to its base URL.", true], ['body', 'object', 'JSON body to send to the custom integration as is. Leave out to send no body.', false]],
    [false, false, false, true],
  ],
  ['paragon-proxy-get-request-integration', 'Paragon Proxy GET request to integration', [[...PROJECT], [...TYPE], ['apiPath', 'string', "Path to read on the provider's API, relative to its base URL (for example crm/v3/objects/contacts).", true]], [true, false, true, true]],
  ['paragon-proxy-post-request-integration', 'Paragon Proxy POST request to integration', [[...PROJECT], [...TYPE], ['apiPath', 'string', "Path to post to on the provider's API, relative to its base URL.", true], [...BODY]], [false, false, false, true]],
  ['paragon-proxy-put-request-integration', 'Paragon Proxy PUT request to integration', [[...PROJECT], [...TYPE], ['apiPath', 'string', "Path of the provider resource to replace, relative to the provider's base URL.", true], [...BODY]], [false, false, true, true]],
  ['paragon-proxy-patch-request-integration', 'Paragon Proxy PATCH request to integration', [[...PROJECT], [...TYPE], ['apiPath', 'string', "Path of the provider resource to update, relative to the provider's base URL.", true], [...BODY]], [false, false, true, true]],
  ['paragon-proxy-delete-request-integration', 'Paragon Proxy DELETE request to integration', [[...PROJECT], [...TYPE], ['apiPath', 'string', "Path of the provider resource to delete, relative to the provider's base URL.", true]], [false, true, true, true]],
];

/** The tools/list entries the rows describe. */
export const PARAGON_TOOLS = ROWS.map(([name, description, params, [readOnly, destructive, idempotent, openWorld]]) => ({
  name,
  description,
  inputSchema: {
    type: 'object',
    properties: Object.fromEntries(params.map(([n, type, d]) => [n, { type, description: d }])),
    required: params.filter((p) => p[3]).map((p) => p[0]),
  },
  annotations: { readOnlyHint: readOnly, destructiveHint: destructive, idempotentHint: idempotent, openWorldHint: openWorld },
}));
