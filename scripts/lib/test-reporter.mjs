// node:test reporter for `npm test`: the spec reporter's lines, and nothing else on the terminal.
// What the code under test prints (JSON logs of the in-process API and worker) goes to one file per
// test file under .cache/test-logs/; when a test fails, the tail of its file's log follows the
// failure summary, so the logs are there exactly when they are needed.
import { appendFileSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Readable } from 'node:stream';
import { spec } from 'node:test/reporters';

const root = new URL('../..', import.meta.url).pathname;
export const logDir = join(root, '.cache', 'test-logs');
const TAIL_LINES = 60;

const logFile = (file) =>
  join(logDir, `${relative(root, file ?? 'runner').replaceAll('/', '__')}.log`);

export default async function* quietSpec(source) {
  rmSync(logDir, { recursive: true, force: true });
  mkdirSync(logDir, { recursive: true });
  const failed = new Set();
  async function* tests() {
    for await (const event of source) {
      if (event.type === 'test:stdout' || event.type === 'test:stderr') {
        appendFileSync(logFile(event.data.file), event.data.message);
        continue;
      }
      if (event.type === 'test:fail' && event.data.file) failed.add(event.data.file);
      yield event;
    }
  }
  yield* Readable.from(tests()).pipe(spec());
  for (const file of failed) {
    let lines;
    try {
      lines = readFileSync(logFile(file), 'utf8').trimEnd().split('\n');
    } catch {
      continue; // the file printed nothing
    }
    yield `\n\x1b[33mLast ${Math.min(TAIL_LINES, lines.length)} log lines of ${relative(root, file)} (all in ${relative(root, logFile(file))}):\x1b[0m\n`;
    yield `${lines.slice(-TAIL_LINES).join('\n')}\n`;
  }
}
