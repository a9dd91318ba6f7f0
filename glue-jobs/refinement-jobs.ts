import type { CreateJobRequest } from '@aws-sdk/client-glue';
import type { RefinedDataset } from '../lib/pipeline/refinement-routes';
import { b3PortfolioRefinedJob } from './b3-portfolio-refined';
import { b3QuotesRefinedJob } from './b3-quotes-refined';
import type { VisualJobOptions } from './visual-job-request';

/** The visual job refining each raw dataset (the trigger starts it for its prefix, lib/pipeline/refinement-routes.ts). */
export const REFINEMENT_JOBS: Readonly<Record<RefinedDataset, (opts: VisualJobOptions) => CreateJobRequest>> = {
  portfolio: b3PortfolioRefinedJob,
  quotes: b3QuotesRefinedJob,
};
