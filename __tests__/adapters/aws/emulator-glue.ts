import { GetPartitionsCommand, GlueClient, type Partition } from '@aws-sdk/client-glue';
import { emulatorEndpoint } from '../storage/emulator-s3';

/** A Glue client on the emulator the shared jest globalSetup starts; fails loudly when it did not. */
export function emulatorGlue(): GlueClient {
  return new GlueClient({ endpoint: emulatorEndpoint(), region: process.env.AWS_REGION ?? 'us-east-1' });
}

/** The catalog partitions of default.b3_portfolio_refined for one day, every page read. */
export async function refinedPartitionsOf(glue: GlueClient, day: string): Promise<Partition[]> {
  const all: Partition[] = [];
  let token: string | undefined;
  do {
    const page = await glue.send(new GetPartitionsCommand({ DatabaseName: 'default', TableName: 'b3_portfolio_refined', NextToken: token }));
    all.push(...(page.Partitions ?? []));
    token = page.NextToken;
  } while (token);
  return all.filter((p) => p.Values?.[0] === day);
}
