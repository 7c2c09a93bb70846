/**
 * Prints one plain closing line, `tests: N passed, N failed, N skipped`, after every run, so CI
 * logs end with a count any tool can read.
 */
import type { Reporter, TestModule } from 'vitest/node';

export default class SummaryReporter implements Reporter {
  private line = '';

  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const module of testModules) {
      if (module.state() === 'failed' && [...module.children.allTests()].length === 0) failed++; // a file that failed to load
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') passed++;
        else if (state === 'failed') failed++;
        else skipped++;
      }
    }
    this.line = `tests: ${passed} passed, ${failed} failed, ${skipped} skipped`;
  }

  /** Runs after the default reporter's summary, so the count is the last line. */
  onFinished(): void {
    if (this.line) process.stdout.write(`${this.line}\n`);
  }
}
