import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { b3PortfolioRefinedNodes, NODE_IDS } from '../../glue-jobs/b3-portfolio-refined';
import { b3QuotesRefinedNodes, QUOTES_NODE_IDS } from '../../glue-jobs/b3-quotes-refined';
import { RAW_QUOTE_COLUMNS } from '../../lib/raw/quotes-contract';
import { glueStudioFunction, parsePurgeCode, PURGE_CLASS_NAME, WHOLE_DAYS_CLASS_NAME } from '../../lib/glue-dag/custom-code';
import { RAW_COLUMN_TYPES, RAW_COLUMNS } from '../../lib/raw/raw-contract';

/**
 * Each CustomCode body of the job, wrapped exactly as Glue Studio wraps it (the def, the body
 * indented under it, the call with a one-frame collection of the parent: see
 * ../shared/fixtures/glue/aggregate-customcode.generated.py), parsed and executed by Python 3
 * against stand-ins for glueContext, DynamicFrame(Collection) and pyspark's types.
 */
interface PythonOutcome {
  purged: Array<[string, Record<string, unknown>]>;
  read_paths: string[];
  read_schema: string[] | null;
  created_empty: { rows: number; fields: Array<[string, string, boolean]> } | null;
  returned: string;
  keys?: string[];
  first_is_parent?: boolean;
  first_columns?: string[];
}

const STAND_IN = join(__dirname, 'support', 'glue_studio_standin.py');
const nodes = b3PortfolioRefinedNodes('lake-dev');

function runInGlueWrapper(className: string, code: string, parent: { columns: string[]; rows: Array<Record<string, string>>; dateColumns?: string[] }): PythonOutcome {
  const input = JSON.stringify({ class_name: className, code, parent_key: 'ParentNode_node1', columns: parent.columns, rows: parent.rows, date_columns: parent.dateColumns ?? [] });
  return JSON.parse(execFileSync('python3', [STAND_IN], { input, encoding: 'utf8' })) as PythonOutcome;
}

const refinedBatch = {
  columns: ['dt', 'ticker', 'index_code'],
  rows: [
    { dt: '2021-07-26', ticker: 'PETR4', index_code: 'IBOV' },
    { dt: '2021-07-26', ticker: 'PETR4', index_code: 'IBXX' },
    { dt: '2021-07-27', ticker: 'VALE3', index_code: 'IBOV' },
  ],
  dateColumns: ['dt'],
};

describe("the job's CustomCode bodies in Glue Studio's wrapper (Python 3)", () => {
  it('every CustomCode node holds a body, not its own def', () => {
    const custom = Object.entries(nodes).filter(([, n]) => n.CustomCode).map(([, n]) => n.CustomCode!);
    expect(custom.map((c) => c.ClassName).sort()).toEqual([PURGE_CLASS_NAME, WHOLE_DAYS_CLASS_NAME].sort());
    for (const c of custom) {
      expect(c.Code).not.toMatch(new RegExp(`^def ${c.ClassName}\\b`, 'm'));
      expect(glueStudioFunction(c.ClassName!, c.Code!).split('\n')[0]).toBe(`def ${c.ClassName}(glueContext, dfc) -> DynamicFrameCollection:`);
    }
  });

  it('the purge purges exactly the batch days, with retention 0, and returns its collection with the frame unchanged', () => {
    const purge = nodes[NODE_IDS.purgeDays].CustomCode!;
    const out = runInGlueWrapper(purge.ClassName!, purge.Code!, refinedBatch);
    expect(out.returned).toBe('DynamicFrameCollection');
    expect(out.keys).toEqual([PURGE_CLASS_NAME]);
    expect(out.first_is_parent).toBe(true);
    expect(out.purged.sort()).toEqual([
      ['s3://lake-dev/refined/b3_portfolio_daily/dt=2021-07-26/', { retentionPeriod: 0 }],
      ['s3://lake-dev/refined/b3_portfolio_daily/dt=2021-07-27/', { retentionPeriod: 0 }],
      ['s3://lake-dev/refined/b3_portfolio_refined/dt=2021-07-26/', { retentionPeriod: 0 }],
      ['s3://lake-dev/refined/b3_portfolio_refined/dt=2021-07-27/', { retentionPeriod: 0 }],
    ]);
    expect(out.read_paths).toEqual([]);
  });

  it('the purge of an empty batch purges nothing and still returns its collection', () => {
    const purge = nodes[NODE_IDS.purgeDays].CustomCode!;
    const out = runInGlueWrapper(purge.ClassName!, purge.Code!, { ...refinedBatch, rows: [] });
    expect(out).toMatchObject({ returned: 'DynamicFrameCollection', purged: [], keys: [PURGE_CLASS_NAME] });
  });

  it('WholeRawDays reads every object of exactly the days the batch touches, with the raw contract schema', () => {
    const whole = nodes[NODE_IDS.wholeDays].CustomCode!;
    const out = runInGlueWrapper(whole.ClassName!, whole.Code!, {
      columns: [...RAW_COLUMNS],
      rows: [
        { portfolio_date: '2021-07-26', ticker: 'PETR4' },
        { portfolio_date: '2021-07-26', ticker: 'VALE3' },
      ],
      dateColumns: ['portfolio_date'],
    });
    expect(out.returned).toBe('DynamicFrameCollection');
    expect(out.keys).toEqual([WHOLE_DAYS_CLASS_NAME]);
    expect(out.read_paths).toEqual(['s3://lake-dev/raw/portfolio/dt=2021-07-26/']);
    expect(out.read_schema).toEqual([...RAW_COLUMNS]);
    expect(out.first_columns).toEqual([...RAW_COLUMNS]);
    expect(out.created_empty).toBeNull();
  });

  it('WholeRawDays turns an empty bookmark batch (a frame with no columns) into an empty frame of the raw schema', () => {
    const whole = nodes[NODE_IDS.wholeDays].CustomCode!;
    const out = runInGlueWrapper(whole.ClassName!, whole.Code!, { columns: [], rows: [] });
    const spark = { string: 'StringType', date: 'DateType', bigint: 'LongType', double: 'DoubleType', timestamp: 'TimestampType' } as const;
    expect(out).toMatchObject({ returned: 'DynamicFrameCollection', read_paths: [], keys: [WHOLE_DAYS_CLASS_NAME], first_columns: [...RAW_COLUMNS] });
    expect(out.created_empty).toEqual({ rows: 0, fields: RAW_COLUMNS.map((c) => [c, spark[RAW_COLUMN_TYPES[c].type], RAW_COLUMN_TYPES[c].nullable]) });
  });

  it('a Code that defines its own function (the old form) returns None in the wrapper, and the local executor refuses it', () => {
    const purge = nodes[NODE_IDS.purgeDays].CustomCode!;
    const oldForm = glueStudioFunction(PURGE_CLASS_NAME, purge.Code!);
    const out = runInGlueWrapper(PURGE_CLASS_NAME, oldForm, refinedBatch);
    expect(out).toMatchObject({ returned: 'NoneType', purged: [] });
    expect(() => parsePurgeCode('p', { ...purge, Code: oldForm })).toThrow(
      `glue-dag: CustomCode p: Code is the body of ${PURGE_CLASS_NAME} (Glue Studio writes the def itself, so this one would define an inner function and return None), got def ${PURGE_CLASS_NAME}(glueContext, dfc) -> DynamicFrameCollection:`,
    );
  });
});

describe("the quotes job's CustomCode bodies in Glue Studio's wrapper (Python 3)", () => {
  const quotes = b3QuotesRefinedNodes('lake-dev');

  it('WholeRawDays reads exactly the sessions of the batch from raw/quotes/, with the raw quotes schema (DecimalType prices)', () => {
    const whole = quotes[QUOTES_NODE_IDS.wholeDays].CustomCode!;
    const out = runInGlueWrapper(whole.ClassName!, whole.Code!, {
      columns: RAW_QUOTE_COLUMNS.map((c) => c.name),
      rows: [{ session_date: '2024-11-08', ticker: 'PETR4' }, { session_date: '2024-11-08', ticker: 'VALE3' }],
      dateColumns: ['session_date'],
    });
    expect(out).toMatchObject({ returned: 'DynamicFrameCollection', keys: [WHOLE_DAYS_CLASS_NAME], read_paths: ['s3://lake-dev/raw/quotes/dt=2024-11-08/'], created_empty: null });
    expect(out.read_schema).toEqual(RAW_QUOTE_COLUMNS.map((c) => c.name));
  });

  it('WholeRawDays types an empty bookmark batch with the raw quotes schema', () => {
    const whole = quotes[QUOTES_NODE_IDS.wholeDays].CustomCode!;
    const out = runInGlueWrapper(whole.ClassName!, whole.Code!, { columns: [], rows: [] });
    expect(out.read_paths).toEqual([]);
    expect(out.created_empty?.fields.find(([name]) => name === 'close_price')).toEqual(['close_price', 'DecimalType', false]);
    expect(out.created_empty?.fields.map(([name]) => name)).toEqual(RAW_QUOTE_COLUMNS.map((c) => c.name));
  });

  it('the purge purges only b3_quotes_refined, for each session of the batch', () => {
    const purge = quotes[QUOTES_NODE_IDS.purgeDays].CustomCode!;
    const out = runInGlueWrapper(purge.ClassName!, purge.Code!, { columns: ['dt', 'ticker'], rows: [{ dt: '2024-11-08', ticker: 'PETR4' }], dateColumns: ['dt'] });
    expect(out.purged).toEqual([['s3://lake-dev/refined/b3_quotes_refined/dt=2024-11-08/', { retentionPeriod: 0 }]]);
  });
});
