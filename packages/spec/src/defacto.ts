/**
 * Finds the de-facto forms real capability files use and the official schema rejects. Capstan
 * runs them, and reports each as a warning naming the official form (`--strict` makes them
 * errors). The schema admits exactly these forms, each marked `x-capstan-defacto: <code>`;
 * a test checks that this detector and the marks agree on the whole corpus.
 */
import { bodyFinding } from './body-forms.js';
import { isOfficialAuth } from './consumed-auth.js';
import type { Diagnostic } from './diagnostics.js';
import type { PathSegment, SourceDocument } from './source.js';

/** The de-facto forms Capstan accepts, by code, with the official form each stands for. */
export const DEFACTO_FORMS = {
  'expose-description': 'a `description` on `rest` or `control` adapters (official: only `mcp` and `skill` adapters have one)',
  'output-mapping-without-shape': '`type: object`/`array` output with a `mapping` and no `properties`/`items`',
  'consumed-input-extras': '`type`, `required` or `description` on a consumed input parameter',
  'info-title': '`info.title` instead of `info.label`',
  'info-missing-description': '`info` without `description`',
  'exposed-input-missing-description': 'an exposed or tool input parameter without `description`',
  'consumed-auth-scheme': 'a consumed `authentication` outside the official five (oauth1, aws-sig-v4, hmac, certificate, API-key spellings, `headers:` maps)',
  'templated-base-uri': 'a `baseUri` with `{…}` placeholders in its path, or without a literal scheme',
  'rest-input-required': '`required` on a REST input parameter (official: only tool inputs have it)',
  'body-type': 'a request body `type` outside the official list (aliases such as `form` or `multipart`, other cases, MIME types, `binary`, unknown types)',
  'body-parts-map': '`multipartForm` data written as a field map instead of a list of `{name, value}` parts',
  'capstan-credentials': 'an `x-capstan-credentials` block on a consumed API\'s `authentication` (a Capstan extension: per-caller credentials)',
} as const;

/** A de-facto form code. */
export type DefactoCode = keyof typeof DEFACTO_FORMS;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/**
 * Warns at the path the walk stands on plus `segments`. The walk keeps one path, extended and cut
 * back as it goes (the thousands of nodes of a large file need no path of their own); a warning
 * copies it.
 */
type Warn = (code: DefactoCode, segments: readonly PathSegment[], part: 'key' | 'value', message: string, fix: string) => void;

/** Warnings for every de-facto form in a parsed document. */
export function detectDefactoForms(doc: SourceDocument): Diagnostic[] {
  const out: Diagnostic[] = [];
  const at: PathSegment[] = [];
  const warn: Warn = (code, segments, part, message, fix) => {
    const path = [...at, ...segments];
    out.push({ file: doc.file, ...doc.locate(path, part), severity: 'warning', code: `defacto-${code}`, message, fix, path });
  };
  /** Runs `fn` with the walk standing `segments` further down. */
  const below = (segments: readonly PathSegment[], fn: () => void): void => {
    const depth = at.length;
    at.push(...segments);
    fn();
    at.length = depth;
  };
  const root = doc.value;
  if (!isObj(root)) return out;

  const info = root.info;
  if (isObj(info)) {
    if ('title' in info && !('label' in info)) {
      warn('info-title', ['info', 'title'], 'key', '`info.title` is a de-facto form; the official key is `info.label`', 'rename `title` to `label`');
    }
    if (!('description' in info)) {
      warn('info-missing-description', ['info'], 'key', '`info` has no `description`, which the official schema requires', 'add `description:` with a sentence on what the capability does');
    }
  }

  const consumedLists: Array<[unknown, PathSegment[]]> = [
    [root.consumes, ['consumes']],
    [isObj(root.capability) ? root.capability.consumes : undefined, ['capability', 'consumes']],
  ];
  for (const [consumes, base] of consumedLists) {
    list(consumes).forEach((api, i) => {
      if (!isObj(api)) return;
      below([...base, i], () => {
        checkConsumedAdapter(api, warn);
        if (isObj(api.authentication) && 'x-capstan-credentials' in api.authentication) {
          warn('capstan-credentials', ['authentication', 'x-capstan-credentials'], 'key', '`x-capstan-credentials` is a Capstan extension (per-caller credentials); other Naftiko runtimes ignore or reject it', 'keep it to choose credentials per caller in Capstan, or move it to a `--credentials` file to keep the capability official');
        }
        checkConsumedInputs(api.inputParameters, warn);
        list(api.resources).forEach((res, r) => {
          if (!isObj(res)) return;
          below(['resources', r], () => {
            checkConsumedInputs(res.inputParameters, warn);
            list(res.operations).forEach((op, o) => {
              if (isObj(op)) below(['operations', o], () => {
                checkConsumedInputs(op.inputParameters, warn);
                checkRequestBody(op.body, warn);
              });
            });
          });
        });
      });
    });
  }

  const capability = isObj(root.capability) ? root.capability : {};
  list(capability.exposes).forEach((adapter, i) => {
    if (!isObj(adapter)) return;
    below(['capability', 'exposes', i], () => {
      if ((adapter.type === 'rest' || adapter.type === 'control') && 'description' in adapter) {
        warn('expose-description', ['description'], 'key', `\`description\` on a \`${adapter.type}\` adapter is a de-facto form; the official schema allows it only on \`mcp\` and \`skill\` adapters`, 'keep it (Capstan shows it in OpenAPI and logs), or remove it for strict official conformance');
      }
      list(adapter.resources).forEach((res, r) => {
        if (!isObj(res)) return;
        below(['resources', r], () => {
          checkRestUnit(res, warn, below);
          list(res.operations).forEach((op, o) => {
            if (isObj(op)) below(['operations', o], () => checkRestUnit(op, warn, below));
          });
        });
      });
      list(adapter.tools).forEach((tool, t) => {
        if (!isObj(tool)) return;
        below(['tools', t], () => {
          checkExposedInputs(tool.inputParameters, warn);
          checkMappedOutputs(tool.outputParameters, warn, below);
        });
      });
    });
  });
  list(capability.aggregates).forEach((agg, a) => {
    if (!isObj(agg)) return;
    list(agg.functions).forEach((fn, f) => {
      if (!isObj(fn)) return;
      below(['capability', 'aggregates', a, 'functions', f], () => {
        checkExposedInputs(fn.inputParameters, warn);
        checkMappedOutputs(fn.outputParameters, warn, below);
      });
    });
  });
  return out;
}

type Below = (segments: readonly PathSegment[], fn: () => void) => void;

/** A REST resource or operation: its inputs and outputs. */
function checkRestUnit(unit: Obj, warn: Warn, below: Below): void {
  checkExposedInputs(unit.inputParameters, warn);
  checkRequiredOnRest(unit.inputParameters, warn);
  checkMappedOutputs(unit.outputParameters, warn, below);
}

function checkConsumedAdapter(api: Obj, warn: Warn): void {
  const auth = api.authentication;
  if (isObj(auth) && typeof auth.type === 'string' && !isOfficialAuth(auth)) {
    warn('consumed-auth-scheme', ['authentication'], 'value', `\`authentication\` of type \`${auth.type}\` (or with these keys) is not in the official schema; Capstan performs it`, 'keep it; for strict official conformance use basic, apikey (key, value, placement), bearer or digest');
  }
  if (typeof api.baseUri === 'string' && api.baseUri.includes('{') && !OFFICIAL_BASE_URI.test(api.baseUri)) {
    warn('templated-base-uri', ['baseUri'], 'value', '`baseUri` with placeholders in its path (or no literal scheme) is not in the official schema; Capstan renders it per request under the origin guard', 'keep it; for strict official conformance write a literal base URI and move placeholders into resource paths');
  }
}

/** The official `baseUri` pattern. */
const OFFICIAL_BASE_URI = /^https?:\/\/[^/]+(\/[^{]*)?$/;

function checkConsumedInputs(params: unknown, warn: Warn): void {
  list(params).forEach((p, i) => {
    if (!isObj(p)) return;
    const extras = ['type', 'required', 'description'].filter((k) => k in p);
    if (extras.length === 0) return;
    warn('consumed-input-extras', ['inputParameters', i, extras[0]!], 'key',
      `consumed input parameter \`${String(p.name)}\` carries ${extras.map((e) => `\`${e}\``).join(', ')}; the official schema allows only \`name\`, \`in\` and \`value\` here`,
      'Capstan reads them as documentation; declare types and descriptions on the exposed inputs for callers to see');
  });
}

/** A body `type` outside the official list, or multipart data written as a map (body-forms.ts). */
function checkRequestBody(body: unknown, warn: Warn): void {
  if (!isObj(body) || typeof body.type !== 'string') return;
  const finding = bodyFinding(body);
  if (finding) warn(finding.at === 'data' ? 'body-parts-map' : 'body-type', ['body', finding.at], finding.at === 'data' ? 'key' : 'value', finding.message, finding.fix);
}

function checkExposedInputs(params: unknown, warn: Warn): void {
  list(params).forEach((p, i) => {
    if (isObj(p) && !('description' in p)) {
      warn('exposed-input-missing-description', ['inputParameters', i], 'value', `input parameter \`${String(p.name)}\` has no \`description\`, which the official schema requires`, 'add `description:`; agents and API users read it to know what to pass');
    }
  });
}

function checkRequiredOnRest(params: unknown, warn: Warn): void {
  list(params).forEach((p, i) => {
    if (isObj(p) && 'required' in p) {
      warn('rest-input-required', ['inputParameters', i, 'required'], 'key', `\`required\` on REST input \`${String(p.name)}\` is a de-facto form; Capstan enforces it (400 when missing)`, 'keep it, or for strict official conformance mark the consumed parameter it feeds `required: true` instead');
    }
  });
}

function checkMappedOutputs(params: unknown, warn: Warn, below: Below): void {
  const visit = (p: unknown): void => {
    if (!isObj(p)) return;
    if (typeof p.mapping === 'string' && ((p.type === 'object' && !('properties' in p)) || (p.type === 'array' && !('items' in p)))) {
      const missing = p.type === 'object' ? 'properties' : 'items';
      warn('output-mapping-without-shape', ['mapping'], 'key', `\`type: ${String(p.type)}\` output with a \`mapping\` and no \`${missing}\` is a de-facto form; Capstan passes the mapped node through whole`, `declare \`${missing}:\` to shape the output, as the official schema requires`);
    }
    if (isObj(p.properties)) for (const [k, v] of Object.entries(p.properties)) below(['properties', k], () => visit(v));
    if (isObj(p.items)) below(['items'], () => visit(p.items));
    else list(p.items).forEach((item, i) => below(['items', i], () => visit(item)));
  };
  list(params).forEach((p, i) => below(['outputParameters', i], () => visit(p)));
}
