import type { CodeGenConfigurationNode } from '@aws-sdk/client-glue';
import { b3PortfolioRefinedNodes, NODE_IDS } from '../../../glue-jobs/b3-portfolio-refined';
import { translateNode, type TranslateEnv } from '../../../lib/glue-dag/to-sql';

const COLUMNS: Record<string, string[]> = {
  [NODE_IDS.rawSource]: ['index_code', 'portfolio_date', 'session_date', 'ticker', 'asset', 'share_type', 'sector', 'theoretical_qty', 'weight_pct', 'sector_weight_pct', 'total_theoretical_qty', 'reductor', 'source', 'ingested_at'],
  [NODE_IDS.selectWholeDays]: ['index_code', 'portfolio_date', 'session_date', 'ticker', 'asset', 'share_type', 'sector', 'theoretical_qty', 'weight_pct', 'sector_weight_pct', 'total_theoretical_qty', 'reductor', 'source', 'ingested_at'],
  [NODE_IDS.mapping]: ['dt', 'ticker', 'index_code', 'company_name', 'share_class', 'sector', 'theoretical_qty', 'weight_pct', 'session_date'],
  left: ['a', 'k'],
  right: ['b', 'k2'],
};
const env: TranslateEnv = {
  sourceFiles: (_id, paths) => paths.map((p) => `${p.replace('s3://lake/', '/lake/')}dt=2025-04-07/*.parquet`),
  columnsOf: (id) => COLUMNS[id] ?? [],
};
const nodes = (): Record<string, CodeGenConfigurationNode> => structuredClone(b3PortfolioRefinedNodes('lake'));

describe('translateNode', () => {
  it('reads the source without hive columns, like Glue', () => {
    expect(translateNode(NODE_IDS.rawSource, nodes(), env)).toEqual({
      kind: 'view', nodeId: NODE_IDS.rawSource,
      sql: "SELECT * FROM read_parquet(['/lake/raw/portfolio/dt=2025-04-07/*.parquet'], hive_partitioning = false, union_by_name = true)",
    });
  });

  it('ApplyMapping casts, renames and drops', () => {
    const step = translateNode(NODE_IDS.mapping, nodes(), env);
    expect(step.kind === 'view' && step.sql).toBe(
      'SELECT CAST("portfolio_date" AS DATE) AS "dt", CAST("ticker" AS VARCHAR) AS "ticker", CAST("index_code" AS VARCHAR) AS "index_code", ' +
        'CAST("asset" AS VARCHAR) AS "company_name", CAST("share_type" AS VARCHAR) AS "share_class", CAST("sector" AS VARCHAR) AS "sector", ' +
        'CAST("theoretical_qty" AS BIGINT) AS "theoretical_qty", CAST("weight_pct" AS DOUBLE) AS "weight_pct", CAST("session_date" AS DATE) AS "session_date", ' +
        'CAST("total_theoretical_qty" AS BIGINT) AS "total_theoretical_qty", CAST("reductor" AS DOUBLE) AS "reductor" ' +
        'FROM "node-select-whole-days"',
    );
  });

  it("Aggregate names its outputs as Spark does: sum(weight_pct), count(ticker); sum keeps Spark's type", () => {
    const step = translateNode(NODE_IDS.sectorAggregate, nodes(), env);
    expect(step.kind === 'view' && step.sql).toBe(
      'SELECT "dt", "index_code", "sector", spark_sum_result("weight_pct", sum("weight_pct")) AS "sum(weight_pct)", count("ticker") AS "count(ticker)" ' +
        'FROM "node-apply-mapping" GROUP BY "dt", "index_code", "sector"',
    );
  });

  it('ApplyMapping reads Spark type names as CAST does: decimal(p,s), long, timestamp', () => {
    const n: Record<string, CodeGenConfigurationNode> = {
      m: { ApplyMapping: { Name: 'm', Inputs: ['left'], Mapping: [
        { FromPath: ['a'], ToKey: 'a', ToType: 'decimal(10,2)' },
        { FromPath: ['k'], ToKey: 'k', ToType: 'long' },
      ] } },
      bad: { ApplyMapping: { Name: 'bad', Inputs: ['left'], Mapping: [{ FromPath: ['a'], ToKey: 'a', ToType: 'array<int>' }] } },
      bare: { ApplyMapping: { Name: 'bare', Inputs: ['left'], Mapping: [{ FromPath: ['a'], ToKey: 'a', ToType: 'decimal' }] } },
    };
    const step = translateNode('m', n, env);
    expect(step.kind === 'view' && step.sql).toBe('SELECT CAST("a" AS DECIMAL(10, 2)) AS "a", CAST("k" AS BIGINT) AS "k" FROM "left"');
    expect(() => translateNode('bad', n, env)).toThrow('glue-dag: unsupported ApplyMapping type in node bad, got array<int>');
    expect(() => translateNode('bare', n, env)).toThrow('glue-dag: unsupported ApplyMapping type in node bare, got decimal');
  });

  it('the purge CustomCode becomes a purge step of both refined tables by dt', () => {
    expect(translateNode(NODE_IDS.purgeDays, nodes(), env)).toEqual({
      kind: 'purge', nodeId: NODE_IDS.purgeDays, input: NODE_IDS.rebalanceDays,
      purges: [
        { s3Prefix: 's3://lake/refined/b3_portfolio_refined/', partitionColumn: 'dt' },
        { s3Prefix: 's3://lake/refined/b3_portfolio_daily/', partitionColumn: 'dt' },
      ],
    });
  });

  it('the whole-days CustomCode becomes a whole-days step over raw/portfolio/ by dt, keyed by portfolio_date', () => {
    const step = translateNode(NODE_IDS.wholeDays, nodes(), env);
    expect(step).toMatchObject({ kind: 'whole-days', nodeId: NODE_IDS.wholeDays, input: NODE_IDS.rawSource, wholeDays: { s3Prefix: 's3://lake/raw/portfolio/', partitionColumn: 'dt', dayColumn: 'portfolio_date' } });
  });

  it('Join, Filter, RenameField, DropFields and SelectFields translate', () => {
    const extra: Record<string, CodeGenConfigurationNode> = {
      j: { Join: { Name: 'j', Inputs: ['left', 'right'], JoinType: 'left', Columns: [{ From: 'left', Keys: [['k']] }, { From: 'right', Keys: [['k2']] }] } },
      f: { Filter: { Name: 'f', Inputs: ['left'], LogicalOperator: 'OR', Filters: [
        { Operation: 'GT', Values: [{ Type: 'COLUMNEXTRACTED', Value: ['a'] }, { Type: 'CONSTANT', Value: ['5'] }] },
        { Operation: 'ISNULL', Negated: true, Values: [{ Type: 'COLUMNEXTRACTED', Value: ['k'] }] },
      ] } },
      r: { RenameField: { Name: 'r', Inputs: ['left'], SourcePath: ['a'], TargetPath: ['z'] } },
      d: { DropFields: { Name: 'd', Inputs: ['left'], Paths: [['a']] } },
      s: { SelectFields: { Name: 's', Inputs: ['left'], Paths: [['k'], ['a']] } },
    };
    const sql = (id: string) => { const s = translateNode(id, extra, env); return s.kind === 'view' ? s.sql : ''; };
    expect(sql('j')).toBe('SELECT l.*, r.* FROM "left" AS l LEFT JOIN "right" AS r ON l."k" = r."k2"');
    expect(sql('f')).toBe(`SELECT * FROM "left" WHERE ("a" > '5') OR NOT ("k" IS NULL)`);
    expect(sql('r')).toBe('SELECT "a" AS "z", "k" FROM "left"');
    expect(sql('d')).toBe('SELECT "k" FROM "left"');
    expect(sql('s')).toBe('SELECT "k", "a" FROM "left"');
  });

  it('refuses an unsupported node type, naming it', () => {
    const n = { x: { Spigot: { Name: 's', Inputs: ['left'], Path: 's3://lake/x/' } } } as Record<string, CodeGenConfigurationNode>;
    expect(() => translateNode('x', n, env)).toThrow('glue-dag: unsupported node type in node x, got Spigot');
  });

  it('refuses an unknown CustomCode class and a column the input lacks', () => {
    const n: Record<string, CodeGenConfigurationNode> = {
      c: { CustomCode: { Name: 'c', Inputs: ['left'], ClassName: 'MyTransform', Code: 'return DynamicFrameCollection({"x": dfc.select("y")}, glueContext)' } },
      d: { DropFields: { Name: 'd', Inputs: ['left'], Paths: [['nope']] } },
    };
    expect(() => translateNode('c', n, env)).toThrow('glue-dag: unsupported CustomCode class in node c, got MyTransform');
    expect(() => translateNode('d', n, env)).toThrow('glue-dag: node d names a column its input lacks, got nope (has a, k)');
  });
});
