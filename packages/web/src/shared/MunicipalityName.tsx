/**
 * A municipality shown by its name (地方公共団体名), with the 地方公共団体コード beside it: the one place
 * pages turn a municipality code into words. Codes this table does not know are shown as the code.
 */
const NAMES: Record<string, string> = {
  '131016': '東京都千代田区',
  '271004': '大阪府大阪市',
};

export function municipalityName(code: string): string | undefined {
  return NAMES[code];
}

export function MunicipalityName({ code, withCode = false }: { code: string; withCode?: boolean }) {
  const name = municipalityName(code);
  if (!name) return <span className="code">{code}</span>;
  return (
    <span>
      {name}
      {withCode && <span className="text-solid-gray-700">（{code}）</span>}
    </span>
  );
}
