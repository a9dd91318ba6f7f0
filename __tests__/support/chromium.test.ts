import { ensureChromium, findChromium, isDebianLike } from './chromium';

const DEBIAN = 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nID=debian\n';
const UBUNTU = 'PRETTY_NAME="Ubuntu 24.04 LTS"\nID=ubuntu\nID_LIKE=debian\n';
const MINT = 'PRETTY_NAME="Linux Mint 22"\nID=linuxmint\nID_LIKE="ubuntu debian"\n';
const FEDORA = 'PRETTY_NAME="Fedora Linux 41"\nID=fedora\n';

/** A file system of the named executables only. */
const only = (...files: string[]) => (file: string) => files.includes(file);

describe('finding Chromium', () => {
  it('takes CHROMIUM_PATH first, over anything on PATH', () => {
    const env = { CHROMIUM_PATH: '/opt/chrome/chrome', PATH: '/usr/bin' };
    expect(findChromium({ env, isExecutable: only('/opt/chrome/chrome', '/usr/bin/chromium') })).toBe('/opt/chrome/chrome');
  });

  it('refuses a CHROMIUM_PATH that is no executable file, in one line', () => {
    const env = { CHROMIUM_PATH: '/nope/chromium', PATH: '/usr/bin' };
    expect(() => findChromium({ env, isExecutable: only('/usr/bin/chromium') })).toThrow(
      'test setup: CHROMIUM_PATH names no executable file, got /nope/chromium',
    );
  });

  it('tries chromium, chromium-browser, google-chrome on PATH, in that order', () => {
    const env = { PATH: '/a:/b' };
    expect(findChromium({ env, isExecutable: only('/b/chromium', '/a/google-chrome') })).toBe('/b/chromium');
    expect(findChromium({ env, isExecutable: only('/a/google-chrome', '/b/chromium-browser') })).toBe('/b/chromium-browser');
    expect(findChromium({ env, isExecutable: only('/b/google-chrome') })).toBe('/b/google-chrome');
    expect(findChromium({ env, isExecutable: only() })).toBeUndefined();
  });

  it('knows Debian, Ubuntu and their derivatives from /etc/os-release', () => {
    expect([DEBIAN, UBUNTU, MINT, FEDORA, ''].map(isDebianLike)).toEqual([true, true, true, false, false]);
  });
});

describe('installing Chromium', () => {
  const log = () => undefined;

  it('runs apt-get update and apt-get install chromium as root on Debian, then finds it', () => {
    const installed: string[] = [];
    const calls: string[][] = [];
    const isExecutable = (file: string) => installed.includes(file);
    const chromium = ensureChromium({
      env: { PATH: '/usr/bin' },
      isExecutable,
      uid: 0,
      osRelease: DEBIAN,
      log,
      aptGet: (args) => {
        calls.push(args);
        if (args[0] === 'install') installed.push('/usr/bin/chromium');
      },
    });
    expect(chromium).toBe('/usr/bin/chromium');
    expect(calls).toEqual([
      ['update', '-qq'],
      ['install', '-y', '-qq', 'chromium'],
    ]);
  });

  it('installs nothing when Chromium is already there', () => {
    const aptGet = jest.fn();
    expect(ensureChromium({ env: { PATH: '/usr/bin' }, isExecutable: only('/usr/bin/chromium'), uid: 0, osRelease: DEBIAN, log, aptGet })).toBe(
      '/usr/bin/chromium',
    );
    expect(aptGet).not.toHaveBeenCalled();
  });

  it.each([
    [1000, DEBIAN, 'uid 1000 on Debian GNU/Linux 12 (bookworm)'],
    [0, FEDORA, 'uid 0 on Fedora Linux 41'],
  ])('says in one line what to install, without trying, for uid %d on another system', (uid, osRelease, got) => {
    const aptGet = jest.fn();
    expect(() => ensureChromium({ env: { PATH: '/usr/bin' }, isExecutable: only(), uid, osRelease, log, aptGet })).toThrow(
      'test setup: Chromium not found (set CHROMIUM_PATH, put chromium, chromium-browser or google-chrome on PATH, ' +
        `or run as root on Debian or Ubuntu to have apt-get install chromium), got ${got}`,
    );
    expect(aptGet).not.toHaveBeenCalled();
  });

  it("takes the package's binary when its folder is not on PATH", () => {
    const chromium = ensureChromium({
      env: { PATH: '/somewhere/else' },
      isExecutable: only('/usr/bin/chromium'),
      uid: 0,
      osRelease: DEBIAN,
      log,
      aptGet: () => undefined,
      packageFiles: (pkg) => (pkg === 'chromium' ? ['/.', '/usr/bin', '/usr/bin/chromium', '/usr/lib/chromium/chromium'] : []),
    });
    expect(chromium).toBe('/usr/bin/chromium');
  });

  it('fails in one line when apt-get installed nothing that is found', () => {
    expect(() =>
      ensureChromium({ env: { PATH: '/usr/bin' }, isExecutable: only(), uid: 0, osRelease: UBUNTU, log, aptGet: () => undefined, packageFiles: () => [] }),
    ).toThrow(/^test setup: Chromium not found .*, got no chromium binary after apt-get install chromium$/);
  });
});
