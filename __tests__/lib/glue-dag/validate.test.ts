import type { CodeGenConfigurationNode } from '@aws-sdk/client-glue';
import { b3PortfolioRefinedNodes, NODE_IDS } from '../../../glue-jobs/b3-portfolio-refined';
import { assertValidGlueDag, glueDagProblems } from '../../../lib/glue-dag/validate';
import { topologicalOrder } from '../../../lib/glue-dag/nodes';

const base = (): Record<string, CodeGenConfigurationNode> => structuredClone(b3PortfolioRefinedNodes('lake'));

describe('glueDagProblems', () => {
  it('accepts the job DAG and orders it sources first', () => {
    expect(glueDagProblems(base())).toEqual([]);
    const order = topologicalOrder(base());
    expect(order[0]).toBe(NODE_IDS.rawSource);
    expect(order[order.length - 1]).toBe(NODE_IDS.refinedTarget);
    expect(order.indexOf(NODE_IDS.sectorAggregate)).toBeLessThan(order.indexOf(NODE_IDS.joinSectors));
  });

  it('reports an input that does not exist', () => {
    const nodes = base();
    nodes[NODE_IDS.selectPurged].SelectFromCollection!.Inputs = ['node-gone'];
    expect(glueDagProblems(nodes)).toContain(`node ${NODE_IDS.selectPurged} reads input node-gone, which does not exist`);
  });

  it('reports a cycle', () => {
    const nodes = base();
    nodes[NODE_IDS.mapping].ApplyMapping!.Inputs = [NODE_IDS.rebalanceDays];
    expect(glueDagProblems(nodes).join('\n')).toMatch(/^the DAG has a cycle, got /m);
  });

  it('reports each missing mandatory transform', () => {
    const nodes = base();
    nodes[NODE_IDS.sectorAggregate].Aggregate!.Aggs = [{ Column: ['weight_pct'], AggFunc: 'max' }];
    for (const m of nodes[NODE_IDS.mapping].ApplyMapping!.Mapping!) if (m.FromPath?.[0] === 'asset') m.ToKey = 'asset';
    nodes[NODE_IDS.rebalanceDays].SparkSQL!.SqlQuery = 'SELECT * FROM joined';
    expect(glueDagProblems(nodes)).toEqual([
      'mandatory transform missing: an Aggregate with sum or count',
      'mandatory transform missing: two renames besides the grouping columns, got share_type -> share_class',
      'mandatory transform missing: a SparkSQL date calculation (datediff, date_add, make_date, ...)',
    ]);
  });

  it('does not count the rename of a grouping column (portfolio_date -> dt) as one of the two', () => {
    const nodes = base();
    for (const m of nodes[NODE_IDS.mapping].ApplyMapping!.Mapping!) if (m.FromPath?.[0] === 'share_type') m.ToKey = 'share_type';
    expect(glueDagProblems(nodes)).toEqual(['mandatory transform missing: two renames besides the grouping columns, got asset -> company_name']);
  });

  it('reports a node with no type or two, a bad id, and a collection not selected', () => {
    const nodes = base();
    nodes['two types'] = { DropFields: { Name: 'd', Inputs: [NODE_IDS.mapping], Paths: [] }, SelectFields: { Name: 's', Inputs: [NODE_IDS.mapping], Paths: [] } };
    nodes[NODE_IDS.refinedTarget].S3GlueParquetTarget!.Inputs = [NODE_IDS.purgeDays];
    expect(glueDagProblems(nodes)).toEqual([
      'node id must match [A-Za-z0-9_-]+, got "two types"',
      'node two types must set exactly one node type, got DropFields, SelectFields',
      `CustomCode ${NODE_IDS.purgeDays} must be followed by SelectFromCollection, got SelectFromCollection, S3GlueParquetTarget`,
    ]);
  });

  it('assertValidGlueDag throws one error listing the problems', () => {
    const nodes = base();
    delete nodes[NODE_IDS.refinedTarget];
    delete nodes[NODE_IDS.dailyTarget];
    expect(() => assertValidGlueDag(nodes)).toThrow('glue-dag: invalid DAG, got 1 problem(s): the DAG has no target node');
  });
});
