import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { requiredModules } from './python-tools';

describe('the modules that prove the Python requirements', () => {
  it('are the ones the tests import, from the project requirements file', () => {
    const text = readFileSync(join(__dirname, '..', '..', 'requirements-test.txt'), 'utf8');
    expect(requiredModules(text)).toEqual(['moto.server', 'pyarrow', 'pandas']);
  });

  it('take the name before any extra, version or marker, in import form, unless a comment names the module', () => {
    const text = ['# a comment', '', 'Foo-Bar[extra]>=1 ; python_version>"3"', 'pyyaml==6  # import yaml', 'six'].join('\n');
    expect(requiredModules(text)).toEqual(['foo_bar', 'yaml', 'six']);
  });

  it('refuse a file that requires nothing, in one line', () => {
    expect(() => requiredModules('# only a comment\n')).toThrow('test setup: no requirement in the requirements file, got "# only a comment\\n"');
  });
});
