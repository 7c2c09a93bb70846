/** RFC 9457 problem details: the body of every REST error answer, built from the runtime's error catalog. */
export { problem, problemForError, PROBLEM_TYPE, type Problem } from '@capstan/core';
