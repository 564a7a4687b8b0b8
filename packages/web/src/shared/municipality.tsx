/**
 * Municipalities by name (地方公共団体コード → 東京都千代田区), for every page: the one place a code
 * becomes a name. This table holds the demo's municipalities; the national list of local public
 * bodies replaces it behind the same two exports. For a code it does not hold, the code is shown.
 */
type Lookup = (code: string) => string | undefined;

const NAMES: Record<string, string> = {
  '131016': '東京都千代田区',
  '271004': '大阪府大阪市',
};

const lookup: Lookup = (code) => NAMES[code];

/** The name lookup (undefined while it is loading): `name(code) ?? code`. */
export function useMunicipalityNames(): Lookup | undefined {
  return lookup;
}

/**
 * A municipality's name, its 6-digit code beside it in small type when `withCode`; the code alone
 * where the table has no such body. `data-code` carries the code for tests and scripts.
 */
export function MunicipalityName({ code, withCode = false, className = '' }: { code: string; withCode?: boolean; className?: string }) {
  const name = useMunicipalityNames()?.(code);
  if (!name) {
    return (
      <span className={`code ${className}`} data-code={code} data-testid="municipality-name">
        {code}
      </span>
    );
  }
  return (
    <span className={className} data-code={code} data-testid="municipality-name">
      {name}
      {withCode && (
        <span className="ml-1 text-dns-14N-130 text-solid-gray-700">
          （<span className="code">{code}</span>）
        </span>
      )}
    </span>
  );
}
