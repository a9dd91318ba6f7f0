import { ConfigError } from '../../lib/errors';
import { assertValidConfig, environments, weekdayCron } from '../../stacks/config';
import { physicalName } from '../../stacks/naming';
import { testConfig } from './support';

describe('physicalName', () => {
  it('joins prefix, environment and role', () => {
    expect(physicalName('b3pipe', 'dev', 'glue-trigger')).toBe('b3pipe-dev-glue-trigger');
  });
  it('refuses upper case, empty parts and names over 63 characters', () => {
    expect(() => physicalName('B3', 'dev', 'lake')).toThrow('naming: prefix must be lower-case letters, digits and -, got "B3"');
    expect(() => physicalName('b3', '', 'lake')).toThrow('naming: environment must be lower-case letters, digits and -, got ""');
    expect(() => physicalName('b3', 'dev', 'x'.repeat(60))).toThrow(`naming: name longer than 63 characters, got b3-dev-${'x'.repeat(60)}`);
  });
});

describe('weekdayCron', () => {
  it('turns HH:MM into a Monday-to-Friday Scheduler cron', () => {
    expect(weekdayCron('07:00')).toBe('cron(0 7 ? * MON-FRI *)');
    expect(weekdayCron('18:45')).toBe('cron(45 18 ? * MON-FRI *)');
  });
  it('refuses anything else', () => {
    expect(() => weekdayCron('7:00')).toThrow(new ConfigError('stack config: schedule time must be HH:MM, got "7:00"'));
    expect(() => weekdayCron('24:00')).toThrow(ConfigError);
  });
});

describe('assertValidConfig', () => {
  it('accepts the shipped environments', () => {
    for (const config of environments({})) expect(() => assertValidConfig(config)).not.toThrow();
  });
  it('lists every problem in one ConfigError', () => {
    const bad = testConfig({
      indexCodes: [],
      athenaBytesScannedCutoff: 1000,
      schedule: { time: '25:00', maxRetryAttempts: 200, maxEventAgeSeconds: 10 },
    });
    expect(() => assertValidConfig(bad)).toThrow(
      new ConfigError(
        'stack config (test): schedule.time must be HH:MM, got "25:00"; indexCodes must not be empty, got []; ' +
          'athenaBytesScannedCutoff must be at least 10 MiB (Athena\'s minimum), got 1000; ' +
          'schedule.maxRetryAttempts must be 0..185, got 200; schedule.maxEventAgeSeconds must be 60..86400, got 10',
      ),
    );
  });
});

describe('environments', () => {
  it('keeps state locally, relative to the stack folder, unless a state bucket is given', () => {
    expect(environments({}).map((c) => [c.environment, c.production, c.backend])).toEqual([
      ['dev', false, { kind: 'local', path: '../../../terraform.dev.tfstate' }],
      ['prod', true, { kind: 'local', path: '../../../terraform.prod.tfstate' }],
    ]);
    expect(environments({ B3_STATE_BUCKET: 'tf-state' })[1].backend).toEqual({
      kind: 's3',
      bucket: 'tf-state',
      key: 'b3pipe/prod.tfstate',
      region: 'us-east-1',
    });
  });
  it('takes the alert address from B3_ALERT_EMAIL', () => {
    expect(environments({ B3_ALERT_EMAIL: ' ops@example.com ' }).map((c) => c.alertEmail)).toEqual(['ops@example.com', 'ops@example.com']);
    expect(environments({}).map((c) => c.alertEmail)).toEqual([undefined, undefined]);
  });
});
