import { PipelineError } from '../../../lib/errors';
import { B3_BASE_URL, assertIndexCode, parseIndexCodes, portfolioCsvPath, portfolioJsonPath } from '../../../lib/b3/sources';

const decodeLast = (path: string): string => Buffer.from(path.split('/').pop() as string, 'base64').toString('utf8');

describe('B3 sources', () => {
  it('uses B3 listings host by default', () => {
    expect(B3_BASE_URL).toBe('https://sistemaswebb3-listados.b3.com.br');
  });

  it('builds the JSON page path with the query keys in the order the site sends them', () => {
    const path = portfolioJsonPath('IBOV', 1);
    expect(path).toBe(
      '/indexProxy/indexCall/GetPortfolioDay/eyJsYW5ndWFnZSI6InB0LWJyIiwicGFnZU51bWJlciI6MSwicGFnZVNpemUiOjEyMCwiaW5kZXgiOiJJQk9WIiwic2VnbWVudCI6IjIifQ==',
    );
    expect(decodeLast(path)).toBe('{"language":"pt-br","pageNumber":1,"pageSize":120,"index":"IBOV","segment":"2"}');
  });

  it('passes page, language, page size and segment through, upper-casing the index', () => {
    const path = portfolioJsonPath('smll', 3, { language: 'en-us', pageSize: 20, segment: '1' });
    expect(decodeLast(path)).toBe('{"language":"en-us","pageNumber":3,"pageSize":20,"index":"SMLL","segment":"1"}');
  });

  it('builds the CSV download path', () => {
    const path = portfolioCsvPath('IBOV');
    expect(path).toBe('/indexProxy/indexCall/GetDownloadPortfolioDay/eyJpbmRleCI6IklCT1YiLCJsYW5ndWFnZSI6InB0LWJyIn0=');
    expect(decodeLast(path)).toBe('{"index":"IBOV","language":"pt-br"}');
    expect(decodeLast(portfolioCsvPath('ibxx', 'en-us'))).toBe('{"index":"IBXX","language":"en-us"}');
  });

  it('accepts four letters or digits and upper-cases them', () => {
    expect(assertIndexCode('ibov')).toBe('IBOV');
    expect(assertIndexCode('IBXX')).toBe('IBXX');
    expect(assertIndexCode('ITAG')).toBe('ITAG');
  });

  it.each(['IBO', 'IBOVX', 'IB-V', '', 'IBÖV'])('refuses index code %j', (code) => {
    expect(() => assertIndexCode(code)).toThrow(PipelineError);
    expect(() => assertIndexCode(code)).toThrow(`b3: index code must be 4 letters or digits, got ${JSON.stringify(code)}`);
  });

  it('refuses a page number below 1', () => {
    expect(() => portfolioJsonPath('IBOV', 0)).toThrow('b3: page number must be an integer from 1, got 0');
  });

  it('reads a list of index codes (INDEX_CODES, --index) as checked, upper-case, distinct codes', () => {
    expect(parseIndexCodes('ibov, SMLL,,IBOV')).toEqual(['IBOV', 'SMLL']);
    expect(parseIndexCodes(['ibov', 'SMLL,IBOV'])).toEqual(['IBOV', 'SMLL']);
    expect(() => parseIndexCodes('IBOV,PETR4')).toThrow('b3: index code must be 4 letters or digits, got "PETR4"');
  });
});
