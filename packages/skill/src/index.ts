/** @capstan/skill: serves a capability's skill adapters as a read-only catalog on fastify. */
export { registerSkillAdapter, type SkillAdapterOptions } from './adapter.js';
export { buildCatalog, SkillAdapterError, type CatalogSkill, type DerivedTool, type InstructionTool, type SkillDetail, type SkillTool } from './catalog.js';
export { resolveFileLocation as resolveLocation } from '@capstan/spec';
export { contentType, isSafeSegment, listFiles, mediaType, type FolderFile as SkillFile } from '@capstan/runtime';
