import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { localTarget } from '../../cli/pipeline-targets';
import { rawQuotesKey } from '../../lib/raw/quotes-contract';
import { rawObjectKey } from '../../lib/raw/raw-key';
import { COTAHIST_DIR, ZIP_2024_11_08 } from '../lib/cotahist/cotahist-fixtures';
import { FIXTURES } from './capture-facts';
import { cli } from './cli-process';

/*
 * The acceptance path of issue 10, point 4, by the CLI alone: scrape --replay of a portfolio and of
 * its D-1 COTAHIST, then refine runs both jobs and query reads b3_quotes_refined by name.
 */
describe('npm start -- refine with raw quotes', () => {
  let dir: string;
  let lake: string;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'cli-refine-quotes-'));
    lake = path.join(dir, 'lake');
    for (const file of [path.join(FIXTURES, 'IBOVDia_11-11-24.csv'), path.join(COTAHIST_DIR, ZIP_2024_11_08)]) {
      const scrape = await cli(['scrape', '--replay', file, '--lake', lake], dir);
      expect({ file, code: scrape.code, stderr: scrape.stderr }).toEqual({ file, code: 0, stderr: '' });
    }
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('refines both datasets, each its own day; query reads PETR4 of the 2024-11-08 session from b3_quotes_refined', async () => {
    const refine = await cli(['refine', '--lake', lake], dir);
    expect(refine.code).toBe(0);
    const [portfolio, quotes, ...rest] = refine.stdout.trimEnd().split('\n');
    expect(rest).toEqual([]);
    expect(portfolio).toMatch(/^refined \d+ rows for 1 day\(s\) 2024-11-11 from 1 raw object\(s\) into .*b3_portfolio_refined; table b3_portfolio_refined in /);
    expect(quotes).toBe(
      `refined 1341 rows for 1 day(s) 2024-11-08 from 1 raw object(s) into ${path.join(lake, 'refined/b3_quotes_refined')}; table b3_quotes_refined in ${path.join(lake, 'catalog.duckdb')}`,
    );
    expect(readdirSync(path.join(lake, '.bookmarks')).sort()).toEqual(['b3-portfolio-refined.json', 'b3-quotes-refined.json']);

    const sql = `SELECT ticker, CAST(dt AS VARCHAR) AS dt, open_price, high_price, low_price, close_price, trades, shares_traded, volume_brl FROM b3_quotes_refined WHERE ticker = 'PETR4'`;
    const query = await cli(['query', sql, '--format', 'json', '--lake', lake], dir);
    expect({ code: query.code, stderr: query.stderr }).toEqual({ code: 0, stderr: '' });
    expect(JSON.parse(query.stdout)).toEqual([
      { ticker: 'PETR4', dt: '2024-11-08', open_price: 35.85, high_price: 36.32, low_price: 35.54, close_price: 36.18, trades: 80702, shares_traded: 49792700, volume_brl: 1790870570 },
    ]);
  });

  it('--date of the session reprocesses only the quotes (no portfolio has that date); --date of the portfolio date only the portfolio', async () => {
    const session = await cli(['refine', '--date', '2024-11-08', '--lake', lake], dir);
    expect(session.code).toBe(0);
    expect(session.stdout.split('\n')[0]).toBe(
      `refine: b3-portfolio-refined skipped, no raw partition for 2024-11-08, got no Parquet under ${path.join(lake, 'raw/portfolio/dt=2024-11-08')}; ${path.join(lake, 'refined/b3_portfolio_refined/')} unchanged`,
    );
    expect(session.stdout.split('\n')[1]).toMatch(/^refined 1341 rows for 1 day\(s\) 2024-11-08 from 1 raw object\(s\)/);
    const portfolioDay = await cli(['refine', '--date', '2024-11-11', '--lake', lake], dir);
    expect(portfolioDay.code).toBe(0);
    expect(portfolioDay.stdout.split('\n')[1]).toMatch(/^refine: b3-quotes-refined skipped, no raw partition for 2024-11-11/);
    expect(readdirSync(path.join(lake, 'refined/b3_quotes_refined'))).toEqual(['dt=2024-11-08']);
  });
});

describe('the run\'s trigger path (local target): the S3 event of each raw object starts its dataset\'s job', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'trigger-path-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('a raw quotes object runs b3-quotes-refined, a raw portfolio object b3-portfolio-refined, each with its own bookmark', async () => {
    const lake = path.join(dir, 'lake');
    for (const file of [path.join(FIXTURES, 'IBOVDia_11-11-24.csv'), path.join(COTAHIST_DIR, ZIP_2024_11_08)]) {
      expect((await cli(['scrape', '--replay', file, '--lake', lake], dir)).code).toBe(0);
    }
    const target = localTarget(lake);
    const quotes = await target.notifier.objectsCreated([rawQuotesKey('2024-11-08')]);
    expect(quotes.started.map((s) => [s.dataset, s.jobName, s.day])).toEqual([['quotes', 'b3-quotes-refined', '2024-11-08']]);
    expect(readdirSync(path.join(lake, '.bookmarks'))).toEqual(['b3-quotes-refined.json']);
    expect(readdirSync(path.join(lake, 'refined'))).toEqual(['b3_quotes_refined']);

    const portfolio = await target.notifier.objectsCreated([rawObjectKey('IBOV', '2024-11-11')]);
    expect(portfolio.started.map((s) => [s.dataset, s.jobName, s.day])).toEqual([['portfolio', 'b3-portfolio-refined', '2024-11-11']]);
    expect(readdirSync(path.join(lake, '.bookmarks')).sort()).toEqual(['b3-portfolio-refined.json', 'b3-quotes-refined.json']);
    expect(readdirSync(path.join(lake, 'refined')).sort()).toEqual(['b3_portfolio_daily', 'b3_portfolio_refined', 'b3_quotes_refined']);
  });
});
