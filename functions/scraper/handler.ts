import { createHandler } from './create-handler';
import { defaultDeps } from './deps';

/** Scheduled entry point: scrape every configured index into the raw zone of the lake. */
export const handler = createHandler(() => defaultDeps());
