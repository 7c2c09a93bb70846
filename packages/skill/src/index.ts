/** @capstan/skill: serves a capability's skill adapters as a read-only catalog on fastify. */
export { registerSkillAdapter, type SkillAdapterOptions } from './adapter.js';
export { buildCatalog, SkillAdapterError, type CatalogSkill, type DerivedTool, type InstructionTool, type SkillDetail, type SkillTool } from './catalog.js';
export { contentType, isSafeSegment, listFiles, mediaType, resolveFileLocation as resolveLocation, type FolderFile as SkillFile } from '@capstan/core';
