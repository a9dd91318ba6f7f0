import { mirrorCliConfig, resolveProviderSource } from './terraform-mirror';

const hasProvider = (dir: string) => dir === '/srv/tf-mirror';
const nothingFound = () => undefined;

describe('where terraform init gets hashicorp/aws', () => {
  it('uses TF_PLUGIN_MIRROR when it holds the provider, without looking elsewhere', () => {
    const discover = jest.fn(() => '/elsewhere');
    expect(resolveProviderSource({ configured: '/srv/tf-mirror', discover, hasProvider })).toEqual({ kind: 'mirror', dir: '/srv/tf-mirror' });
    expect(discover).not.toHaveBeenCalled();
  });

  it('uses the registry when TF_PLUGIN_MIRROR says registry', () => {
    expect(resolveProviderSource({ configured: 'registry', discover: () => '/srv/tf-mirror', hasProvider })).toEqual({ kind: 'registry' });
  });

  it('discovers a mirror on the machine when TF_PLUGIN_MIRROR is unset or blank', () => {
    for (const configured of [undefined, '', '  ']) {
      expect(resolveProviderSource({ configured, discover: () => '/srv/tf-mirror', hasProvider })).toEqual({ kind: 'mirror', dir: '/srv/tf-mirror' });
    }
  });

  it('falls back to the registry when no mirror is set or found', () => {
    expect(resolveProviderSource({ configured: undefined, discover: nothingFound, hasProvider })).toEqual({ kind: 'registry' });
  });

  it('refuses, in one line, a mirror without hashicorp/aws', () => {
    expect(() => resolveProviderSource({ configured: '/tmp/empty', discover: nothingFound, hasProvider })).toThrow(
      'test setup: no Terraform provider mirror with hashicorp/aws (set TF_PLUGIN_MIRROR to the parent of registry.terraform.io), got /tmp/empty',
    );
  });

  it('writes a CLI config that installs every registry provider from the mirror', () => {
    expect(mirrorCliConfig('/srv/tf-mirror')).toBe(
      'provider_installation {\n  filesystem_mirror {\n    path    = "/srv/tf-mirror"\n    include = ["registry.terraform.io/*/*"]\n  }\n}\n',
    );
  });
});
