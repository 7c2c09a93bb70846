/**
 * `@capstan/spec/internals`: building blocks that tests exercise on their own. Not part of the
 * main API of `@capstan/spec`.
 */
export { beta5Schema } from './generations/beta5/validate.js';
export { precompiledCheck } from './precompiled.js';
