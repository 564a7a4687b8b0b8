/** The clinic system's screens: reception (資格確認), vaccination (予防接種) and checkups (健診). Plain links: each is a page of its own. */
const SCREENS = [
  { href: '/', label: '受付（資格確認）' },
  { href: '/vaccination', label: '予防接種' },
  { href: '/checkups', label: '健診' },
] as const;

export function ClinicNav({ current }: { current: (typeof SCREENS)[number]['href'] }) {
  return (
    <nav aria-label="画面の切り替え">
      <ul className="flex flex-wrap gap-2">
        {SCREENS.map((s) => (
          <li key={s.href}>
            <a
              href={s.href}
              aria-current={s.href === current ? 'page' : undefined}
              className={`inline-block rounded-8 px-3 py-2 text-dns-16B-130 ${s.href === current ? 'bg-blue-900 text-white no-underline' : ''}`}
            >
              {s.label}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}
