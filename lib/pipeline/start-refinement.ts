import { PipelineError } from '../errors';
import { JOB_ARGS, type JobRunner } from '../ports/job-runner';
import { parseRawObjectKey } from '../raw/raw-key';
import type { IsoDate } from '../calendar/iso-date';

/** The part of an S3 event notification record the trigger reads (structural, no aws-lambda import). */
export interface S3ObjectRecord {
  readonly s3: { readonly bucket: { readonly name: string }; readonly object: { readonly key: string } };
}

export interface StartedRun {
  readonly rawObjectKey: string;
  readonly portfolioDate: IsoDate;
  readonly indexCode: string;
  readonly runId: string;
}

export interface RefinementOutcome {
  readonly started: readonly StartedRun[];
  /** Decoded keys that are not raw portfolio objects (or not decodable), left alone. */
  readonly ignored: readonly string[];
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
 * Starts one refinement job run per raw portfolio object in the event, with the day and the key
 * as run arguments. Other keys are ignored. A key repeated in one event starts one run (S3
 * delivers at least once). Every matching key is tried; if any start fails, one error names the
 * failed keys so the asynchronous invocation fails and reaches the on-failure destination.
 */
export async function startRefinement(
  records: readonly S3ObjectRecord[],
  deps: { readonly jobRunner: JobRunner; readonly jobName: string },
): Promise<RefinementOutcome> {
  const ignored: string[] = [];
  const wanted = new Map<string, { portfolioDate: IsoDate; indexCode: string }>();
  for (const record of records) {
    const encoded = record.s3.object.key;
    const key = decodeS3EventKey(encoded);
    const parsed = key === undefined ? null : parseRawObjectKey(key);
    if (key === undefined || parsed === null) {
      ignored.push(key ?? encoded);
      continue;
    }
    wanted.set(key, parsed);
  }

  const attempts = await Promise.allSettled(
    [...wanted].map(async ([rawObjectKey, { portfolioDate, indexCode }]): Promise<StartedRun> => {
      const runId = await deps.jobRunner.startRun(deps.jobName, {
        [JOB_ARGS.portfolioDate]: portfolioDate,
        [JOB_ARGS.rawObjectKey]: rawObjectKey,
      });
      return { rawObjectKey, portfolioDate, indexCode, runId };
    }),
  );
  const started: StartedRun[] = [];
  const failures: string[] = [];
  const keys = [...wanted.keys()];
  attempts.forEach((attempt, i) => {
    if (attempt.status === 'fulfilled') started.push(attempt.value);
    else failures.push(`${keys[i]} (${oneLine((attempt.reason as Error)?.message ?? String(attempt.reason))})`);
  });
  if (failures.length > 0) {
    throw new PipelineError(
      `trigger: could not start job ${deps.jobName} for ${failures.length} object(s), got ${failures.join('; ')}` +
        (started.length > 0 ? `; started ${started.map((s) => s.runId).join(', ')}` : ''),
    );
  }
  return { started, ignored };
}

/** The error becomes the invocation's error message and the on-failure record: keep it one line. */
function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
