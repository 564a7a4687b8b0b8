import { useEffect, useState } from 'react';

/**
 * Municipalities by name (全国地方公共団体コード → 東京都千代田区), for every page. The national list is
 * about 110 kB, so it is loaded on first use with a dynamic import: the bundler makes it a chunk of its
 * own, fetched once per page and only by pages that name a municipality. Until it arrives, and for a
 * code the list does not hold, the code itself is shown.
 */
type Lookup = (code: string) => string | undefined;

let lookup: Lookup | undefined;
let loading: Promise<Lookup> | undefined;

function loadLookup(): Promise<Lookup> {
  loading ??= import('@pmh/protocol/local-governments').then((m) => {
    lookup = m.localGovernmentName;
    return lookup;
  });
  return loading;
}

/** The name lookup once the list has loaded (undefined until then): `name(code) ?? code`. */
export function useMunicipalityNames(): Lookup | undefined {
  const [ready, setReady] = useState<Lookup | undefined>(() => lookup);
  useEffect(() => {
    if (ready) return;
    let live = true;
    loadLookup().then(
      (l) => live && setReady(() => l),
      () => {},
    );
    return () => {
      live = false;
    };
  }, [ready]);
  return ready;
}

/**
 * A municipality's name (東京都千代田区), its 6-digit code beside it in small type when `withCode`;
 * the code alone where the list has no such body. `data-code` carries the code for tests and scripts.
 */
export function MunicipalityName({ code, withCode = false, className = '' }: { code: string; withCode?: boolean; className?: string }) {
  const names = useMunicipalityNames();
  const name = names?.(code);
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
