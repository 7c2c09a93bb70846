/**
 * A small capability that passes every lint rule (recommended or not), and a way to derive
 * variants of it: each rule's test changes one thing to trip the rule.
 */
import { parse, stringify } from 'yaml';

const CLEAN = `naftiko: 1.0.0-alpha2
info:
  label: Weather
  description: Current weather conditions for a city, for people and agents.
  tags: [weather]
binds:
- namespace: env
  keys:
    WEATHER_TOKEN: WEATHER_TOKEN
capability:
  consumes:
  - type: http
    namespace: weather
    baseUri: https://api.weather.test/v1
    description: The weather service's public API.
    authentication:
      type: bearer
      token: '{{WEATHER_TOKEN}}'
    resources:
    - name: current
      path: /current/{{city}}
      operations:
      - name: get-current
        method: GET
        inputParameters:
        - name: city
          in: path
      - name: clear-current
        method: DELETE
        inputParameters:
        - name: city
          in: path
      - name: report-current
        method: POST
        inputParameters:
        - name: city
          in: path
  aggregates:
  - namespace: forecast
    label: Forecast
    functions:
    - name: read-current
      description: Reads the current weather of a city.
      semantics:
        safe: true
        idempotent: true
      call: weather.get-current
      with:
        city: forecast.city
      inputParameters:
      - name: city
        type: string
        description: City name.
      outputParameters:
      - type: number
        mapping: $.temp
  exposes:
  - type: rest
    namespace: weather-rest
    port: 8080
    address: localhost
    resources:
    - path: /current/{city}
      name: current
      description: The current weather of one city.
      operations:
      - method: GET
        name: get-current
        description: Current temperature of the city.
        ref: forecast.read-current
  - type: mcp
    namespace: weather-mcp
    port: 9090
    description: Weather tools for agents.
    tools:
    - name: get-current
      description: Returns the current temperature and conditions for a city.
      hints:
        readOnly: true
        idempotent: true
      call: weather.get-current
      with:
        city: weather-mcp.city
      inputParameters:
      - name: city
        type: string
        description: City name, e.g. Paris.
      outputParameters:
      - type: number
        mapping: $.temp
    - name: forecast-current
      description: Reads the current weather through the forecast function.
      hints:
        readOnly: true
        idempotent: true
      ref: forecast.read-current
    - name: clear-current
      description: Deletes the stored current-weather record of a city.
      hints:
        destructive: true
      call: weather.clear-current
      with: { city: weather-mcp.city }
      inputParameters: [{ name: city, type: string, description: City whose record is deleted. }]
  - type: control
    port: 9091
    address: localhost
`;

type Obj = Record<string, any>;

/** The clean capability as YAML, after `change` (when given) edits its parsed form. */
export function variant(change?: (doc: Obj) => void): string {
  if (!change) return CLEAN;
  const doc = parse(CLEAN) as Obj;
  change(doc);
  return stringify(doc);
}

/** Shortcuts into the parsed fixture. */
export const at = {
  consumed: (d: Obj) => d.capability.consumes[0],
  rest: (d: Obj) => d.capability.exposes[0],
  mcp: (d: Obj) => d.capability.exposes[1],
  control: (d: Obj) => d.capability.exposes[2],
  tool: (d: Obj, i = 0) => d.capability.exposes[1].tools[i],
  fn: (d: Obj) => d.capability.aggregates[0].functions[0],
};
