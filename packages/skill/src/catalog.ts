/**
 * The catalog a skill adapter serves, built once at start-up from the adapter's skills in spec
 * shape: each derived tool's invocation reference (its mode is the type of the sibling adapter
 * it names), each instruction tool's file (checked to exist inside the skill's folder), and the
 * folder itself.
 */
import { realpathSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { CapabilityGraph, SkillAdapterNode } from '@capstan/spec';
import { resolveFileLocation as resolveLocation } from '@capstan/spec';
import { isInside, isSafeSegment } from '@capstan/runtime';

/** A tool that points at a sibling REST operation or MCP tool. */
export interface DerivedTool {
  name: string;
  description: string;
  type: 'derived';
  invocationRef: { targetNamespace: string; action: string; mode: 'rest' | 'mcp' };
}

/** A tool described by an instruction file in the skill's folder. */
export interface InstructionTool {
  name: string;
  description: string;
  type: 'instruction';
  instruction: string;
}

export type SkillTool = DerivedTool | InstructionTool;

/** `GET /skills/{name}`: the skill's metadata and tools, keys in the order they are sent. */
export interface SkillDetail {
  name: string;
  description: string;
  license?: string;
  compatibility?: string;
  'argument-hint'?: string;
  'allowed-tools'?: string;
  'user-invocable'?: boolean;
  'disable-model-invocation'?: boolean;
  metadata?: Record<string, string>;
  tools: SkillTool[];
}

/** One skill, resolved. */
export interface CatalogSkill {
  detail: SkillDetail;
  /** Absolute folder of `location`, when the skill has one (it may not exist). */
  folder?: string;
}

/** A skill adapter's configuration is unusable; names the adapter, skill and tool or file. */
export class SkillAdapterError extends Error {
  override name = 'SkillAdapterError';
}

type Obj = Readonly<Record<string, unknown>>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/**
 * Resolves every skill of `node`. `baseDir` is the capability file's folder, against which
 * relative `file:///./…` locations resolve. Throws {@link SkillAdapterError} for a tool with both
 * or neither of `from` and `instruction`, a `from` that names no sibling rest or mcp adapter, an
 * instruction without a `location`, an unsafe instruction path, a missing instruction file, and
 * two skills of one name.
 */
export function buildCatalog(node: SkillAdapterNode, graph: CapabilityGraph, baseDir: string): Map<string, CatalogSkill> {
  const modes = new Map<string, 'rest' | 'mcp'>();
  for (const a of graph.adapters) if (a.type === 'rest' || a.type === 'mcp') modes.set(a.namespace, a.type);
  const catalog = new Map<string, CatalogSkill>();
  for (const raw of node.skills) {
    const name = String(raw.name);
    const where = `skill adapter \`${node.namespace}\`, skill \`${name}\``;
    if (catalog.has(name)) throw new SkillAdapterError(`${where}: two skills have this name`);
    let folder: string | undefined;
    const location = str(raw.location);
    if (location !== undefined) {
      try {
        folder = resolveLocation(location, baseDir);
      } catch (err) {
        throw new SkillAdapterError(`${where}: location ${(err as Error).message}`);
      }
    }
    const tools = (Array.isArray(raw.tools) ? raw.tools : []).map((t: unknown): SkillTool => {
      const tool = isObj(t) ? t : {};
      const toolName = String(tool.name);
      const description = String(tool.description ?? '');
      const at = `${where}, tool \`${toolName}\``;
      const hasFrom = isObj(tool.from);
      const instruction = str(tool.instruction);
      if (hasFrom === (instruction !== undefined)) throw new SkillAdapterError(`${at}: needs exactly one of \`from\` and \`instruction\``);
      if (hasFrom) {
        const from = tool.from as Obj;
        const targetNamespace = String(from.sourceNamespace);
        const mode = modes.get(targetNamespace);
        if (!mode) {
          const known = [...modes.keys()].map((k) => `\`${k}\``).join(', ');
          throw new SkillAdapterError(`${at}: \`from.sourceNamespace: ${targetNamespace}\` names no rest or mcp adapter of this capability${known ? ` (there are ${known})` : ''}`);
        }
        return { name: toolName, description, type: 'derived', invocationRef: { targetNamespace, action: String(from.action), mode } };
      }
      if (!folder) throw new SkillAdapterError(`${at}: \`instruction: ${instruction}\` needs the skill to have a \`location\``);
      checkInstruction(folder, instruction!, at);
      return { name: toolName, description, type: 'instruction', instruction: instruction! };
    });
    const detail: Omit<SkillDetail, 'tools'> = { name, description: String(raw.description ?? '') };
    for (const key of ['license', 'compatibility', 'argument-hint', 'allowed-tools'] as const) {
      const v = str(raw[key]);
      if (v !== undefined) detail[key] = v;
    }
    for (const key of ['user-invocable', 'disable-model-invocation'] as const) {
      if (typeof raw[key] === 'boolean') detail[key] = raw[key];
    }
    if (isObj(raw.metadata) && Object.keys(raw.metadata).length > 0) {
      detail.metadata = Object.fromEntries(Object.entries(raw.metadata).map(([k, v]) => [k, String(v)]));
    }
    catalog.set(name, { detail: { ...detail, tools }, ...(folder ? { folder } : {}) });
  }
  return catalog;
}

/** The instruction must name a regular file inside the skill's folder, by a safe relative path. */
function checkInstruction(folder: string, instruction: string, at: string): void {
  const segments = instruction.split('/').filter((s, i) => !(s === '.' && i === 0));
  if (segments.length === 0 || !segments.every(isSafeSegment)) {
    throw new SkillAdapterError(`${at}: instruction file \`${instruction}\` is not a safe relative path (segments of letters, digits, \`.\`, \`_\` and \`-\`; no \`..\`)`);
  }
  let realFolder: string;
  try {
    realFolder = realpathSync(folder);
  } catch {
    throw new SkillAdapterError(`${at}: instruction file \`${instruction}\` not found: the skill's location folder ${folder} does not exist`);
  }
  let real: string;
  try {
    real = realpathSync(join(realFolder, ...segments));
  } catch {
    throw new SkillAdapterError(`${at}: instruction file \`${instruction}\` not found in ${folder}`);
  }
  if (!isInside(realFolder, real)) throw new SkillAdapterError(`${at}: instruction file \`${instruction}\` leads outside ${folder}`);
  if (!statSync(real).isFile()) throw new SkillAdapterError(`${at}: instruction \`${instruction}\` in ${folder} is not a file`);
}
