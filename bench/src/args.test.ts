import { UsageError, isLoopbackHost, loopbackUrl, parseArgs } from './args';

describe('bench > args', () => {
  it('defaults to every scenario against the embedded shop', () => {
    const options = parseArgs([]);
    expect(options).toMatchObject({
      url: undefined,
      scenario: 'all',
      quick: false,
      durationS: 20,
      concurrency: 64,
      stressSize: 100_000,
      profile: false,
      noBaselines: false,
      soakMinutes: undefined,
      flinkRest: 'http://127.0.0.1:8081',
      prometheus: 'http://127.0.0.1:9090',
      help: false,
    });
    expect(options.outDir).toMatch(/bench[/\\]results$/);
  });

  it('skips the baselines with --no-baselines', () => {
    expect(parseArgs(['--no-baselines'])).toMatchObject({ noBaselines: true });
    expect(() => parseArgs(['--no-baselines=yes'])).toThrow(UsageError);
  });

  it('shortens the phases and the stress data set with --quick, unless told otherwise', () => {
    expect(parseArgs(['--quick'])).toMatchObject({ quick: true, durationS: 5, stressSize: 10_000 });
    expect(parseArgs(['--quick', '--duration', '9'])).toMatchObject({ quick: true, durationS: 9 });
  });

  it('reads every option, as --name value and as --name=value', () => {
    expect(
      parseArgs([
        '--url=http://127.0.0.1:8000/',
        '--scenario',
        'find',
        '--duration',
        '7',
        '--concurrency=16',
        '--stress-size',
        '500',
        '--out',
        '/tmp/x',
        '--profile',
        '--no-baselines',
        '--flink-rest=http://localhost:9081',
        '--prometheus',
        'http://127.0.0.1:19090',
      ]),
    ).toEqual({
      url: 'http://127.0.0.1:8000',
      scenario: 'find',
      quick: false,
      durationS: 7,
      concurrency: 16,
      stressSize: 500,
      outDir: '/tmp/x',
      profile: true,
      noBaselines: true,
      soakMinutes: undefined,
      flinkRest: 'http://localhost:9081',
      prometheus: 'http://127.0.0.1:19090',
      help: false,
    });
  });

  it('reads --soak as minutes, decimals allowed', () => {
    expect(parseArgs(['--soak', '0.5', '--stress-size', '1000'])).toMatchObject({
      soakMinutes: 0.5,
      stressSize: 1000,
      scenario: 'all',
    });
    expect(parseArgs(['--soak=30'])).toMatchObject({ soakMinutes: 30 });
    expect(parseArgs(['--soak', '1440', '--url', 'http://127.0.0.1:8000'])).toMatchObject({
      soakMinutes: 1440,
      url: 'http://127.0.0.1:8000',
    });
  });

  it.each([
    [['--scenario', 'soak'], /--scenario must be one of consistency, stress, find, all/],
    [['--duration', '0'], /--duration must be an integer from 1/],
    [['--duration', '2.5'], /--duration must be an integer/],
    [['--concurrency', 'many'], /--concurrency must be an integer/],
    [['--concurrency'], /--concurrency needs a value/],
    [['--out', '--quick'], /--out needs a value/],
    [['--quick=yes'], /--quick takes no value/],
    [['--quick', '--quick'], /--quick is given twice/],
    [['--fast'], /unknown option --fast/],
    [['find'], /unexpected argument "find"/],
    [['--url', 'not a url'], /--url must be a URL/],
    [['--url', 'https://127.0.0.1:8000'], /http:\/\//],
    [['--url', 'http://127.0.0.1:8000/orders'], /without a path/],
    [['--soak'], /--soak needs a value/],
    [['--soak', '0'], /--soak must be a number of minutes from 0.1 to 1440/],
    [['--soak', '0.05'], /--soak must be a number of minutes/],
    [['--soak', '-1'], /--soak must be a number of minutes/],
    [['--soak', '1e2'], /--soak must be a number of minutes/],
    [['--soak', '.5'], /--soak must be a number of minutes/],
    [['--soak', '2000'], /--soak must be a number of minutes/],
    [['--soak', '1', '--duration', '5'], /leave out --duration/],
    [['--soak', '1', '--scenario', 'stress'], /leave out --scenario/],
    [
      ['--flink-rest', 'http://10.0.0.1:8081'],
      /--flink-rest must point at this machine.*loopback addresses only/,
    ],
    [['--flink-rest', 'http://127.0.0.1:8081/jobs'], /--flink-rest is a base URL, without a path/],
    [['--flink-rest'], /--flink-rest needs a value/],
    [
      ['--prometheus', 'http://10.0.0.1:9090'],
      /--prometheus must point at this machine.*loopback addresses only/,
    ],
  ])('refuses %j', (argv, message) => {
    expect(() => parseArgs(argv)).toThrow(UsageError);
    expect(() => parseArgs(argv)).toThrow(message);
  });

  it('sends load to loopback addresses only', () => {
    for (const url of [
      'http://127.0.0.1:8000',
      'http://127.1.2.3:1',
      'http://localhost:8000',
      'http://[::1]:8000',
    ]) {
      expect(loopbackUrl(url)).toBe(url);
    }
    for (const url of [
      'http://10.0.0.5:8000',
      'http://192.168.1.2:8000',
      'http://8.8.8.8',
      'http://example.com:8000',
      'http://0.0.0.0:8000',
      'http://[::ffff:10.0.0.1]:80',
    ]) {
      expect(() => loopbackUrl(url)).toThrow(/loopback addresses only/);
    }
    expect(isLoopbackHost('LOCALHOST')).toBe(true);
    expect(isLoopbackHost('128.0.0.1')).toBe(false);
  });
});
