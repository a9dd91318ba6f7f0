import { PipelineError } from '../errors';
import { JOB_ARGS, type JobRunner } from '../ports/job-runner';
import type { IsoDate } from '../calendar/iso-date';
import { routeOfKey, type RefinedDataset, type RefinementRoute } from './refinement-routes';

/** The part of an S3 event notification record the trigger reads (structural, no aws-lambda import). */
export interface S3ObjectRecord {
  readonly s3: { readonly bucket: { readonly name: string }; readonly object: { readonly key: string } };
}

export interface StartedRun {
  readonly rawObjectKey: string;
  readonly dataset: RefinedDataset;
  readonly jobName: string;
  /** The object's day: a portfolio date, or a quotes session. */
  readonly day: IsoDate;
  readonly runId: string;
}

export interface RefinementOutcome {
  readonly started: readonly StartedRun[];
  /** Decoded keys that are no raw object of a routed dataset (or not decodable), left alone. */
  readonly ignored: readonly string[];
}

export interface StartRefinementDeps {
  readonly jobRunner: JobRunner;
  /** The job of each dataset (REFINEMENT_ROUTES). */
  readonly jobNames: Readonly<Record<RefinedDataset, string>>;
}

/**
 * S3 URL-encodes object keys in event notifications, with `+` for a space
 * (`raw/portfolio/dt%3D2025-07-14/ibov.parquet`): undo that before reading the key.
 * Returns undefined for a malformed escape, which cannot name one of our objects.
 */
export function decodeS3EventKey(encoded: string): string | undefined {
  try {
    return decodeURIComponent(encoded.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}

/**
 * Starts one run per raw object in the event, of the job of the dataset whose prefix the key has
 * (REFINEMENT_ROUTES), with the day and the key as run arguments. Other keys are ignored. A key
 * repeated in one event starts one run (S3 delivers at least once). Every matching key is tried;
 * if any start fails, one error names the failed keys so the asynchronous invocation fails and
 * reaches the on-failure destination.
 */
export async function startRefinement(records: readonly S3ObjectRecord[], deps: StartRefinementDeps): Promise<RefinementOutcome> {
  const ignored: string[] = [];
  const wanted = new Map<string, { route: RefinementRoute; day: IsoDate }>();
  for (const record of records) {
    const encoded = record.s3.object.key;
    const key = decodeS3EventKey(encoded);
    const route = key === undefined ? null : routeOfKey(key);
    const day = key === undefined || route === null ? null : route.dayOf(key);
    if (key === undefined || route === null || day === null) {
      ignored.push(key ?? encoded);
      continue;
    }
    wanted.set(key, { route, day });
  }

  const attempts = await Promise.allSettled(
    [...wanted].map(async ([rawObjectKey, { route, day }]): Promise<StartedRun> => {
      const jobName = deps.jobNames[route.dataset];
      const runId = await deps.jobRunner.startRun(jobName, { [route.dayArgument]: day, [JOB_ARGS.rawObjectKey]: rawObjectKey });
      return { rawObjectKey, dataset: route.dataset, jobName, day, runId };
    }),
  );
  const started: StartedRun[] = [];
  const failures: string[] = [];
  const failedJobs = new Set<string>();
  const keys = [...wanted.keys()];
  attempts.forEach((attempt, i) => {
    if (attempt.status === 'fulfilled') started.push(attempt.value);
    else {
      failedJobs.add(deps.jobNames[wanted.get(keys[i])!.route.dataset]);
      failures.push(`${keys[i]} (${oneLine((attempt.reason as Error)?.message ?? String(attempt.reason))})`);
    }
  });
  if (failures.length > 0) {
    throw new PipelineError(
      `trigger: could not start job ${[...failedJobs].join(', ')} for ${failures.length} object(s), got ${failures.join('; ')}` +
        (started.length > 0 ? `; started ${started.map((s) => s.runId).join(', ')}` : ''),
    );
  }
  return { started, ignored };
}

/** The error becomes the invocation's error message and the on-failure record: keep it one line. */
function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
