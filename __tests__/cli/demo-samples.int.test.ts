import { cpSync, existsSync, lstatSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { DEMO_CAPTURES, DEMO_CAPTURES_DIR, DEMO_D1_DAY } from '../../cli/commands/demo';
import { CAPTURE_FACTS } from './capture-facts';
import { ROOT, runProcess } from './cli-process';

/** Top-level entries a copy of the project leaves out: the test tree, and what is built or installed. */
const LEFT_OUT = new Set(['__tests__', 'node_modules', '.git', '.venv', 'lake', 'cdktf.out', 'coverage']);

describe('the demo data is product data', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'demo-samples-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('lives in samples/b3 as real files, each documented in samples/README.md', () => {
    expect(DEMO_CAPTURES_DIR).toBe(path.join(ROOT, 'samples', 'b3'));
    const readme = readFileSync(path.join(ROOT, 'samples', 'README.md'), 'utf8');
    for (const file of [...DEMO_CAPTURES, DEMO_D1_DAY.portfolio, DEMO_D1_DAY.quotes]) {
      expect(lstatSync(path.join(DEMO_CAPTURES_DIR, file)).isFile()).toBe(true);
      expect(readme).toContain(`\`${path.relative(path.dirname(DEMO_CAPTURES_DIR), path.join(DEMO_CAPTURES_DIR, file))}\``);
    }
  });

  it('npm run demo works in a copy of the project with __tests__/ deleted', async () => {
    // Copied, not linked: a linked folder would resolve __dirname back into this tree.
    const project = path.join(dir, 'project');
    cpSync(ROOT, project, { recursive: true, filter: (src) => !LEFT_OUT.has(path.relative(ROOT, src).split(path.sep)[0]) });
    symlinkSync(path.join(ROOT, 'node_modules'), path.join(project, 'node_modules'));
    expect(existsSync(path.join(project, '__tests__'))).toBe(false);

    const lake = path.join(dir, 'lake');
    const run = await runProcess('npm', ['run', '--silent', 'demo', '--', '--lake', lake], project);
    expect([run.code, run.stderr]).toEqual([0, '']);
    expect(run.stdout.split('\n').slice(0, 4).map((l) => l.split(':')[0])).toEqual(
      CAPTURE_FACTS.map((c) => `IBOV ${c.portfolioDate} (D-1 ${c.sessionDate}, ${c.source})`),
    );
    expect(readdirSync(path.join(lake, 'reports'))).toEqual(['ibov-report.html']);
  }, 120_000);
});
