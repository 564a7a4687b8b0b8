import { useEffect, useState } from 'react';
import { clinicApi } from '@pmh/protocol/api/clinic';
import { call } from '../../shared/api.ts';
import { FocusHeading, Header, SkipLink } from '../../shared/ui.tsx';
import { ClinicNav } from '../ClinicNav.tsx';
import type { Institution } from '../types.ts';
import { Group } from './Group.tsx';
import { Individual } from './Individual.tsx';

type Mode = 'choose' | 'individual' | 'group';
const MODE_KEY = 'pmh.clinic.checkup-mode';

/**
 * The clinic app's checkup screens (健診, seed C⑤): an individual checkup at a clinic (個別健診), or a
 * group checkup session at a health centre (集団健診). Both start with the card and the consent, and
 * write through the portal; the page keeps what it shows only while it shows it (a group session:
 * this tab's sessionStorage).
 */
export function Checkups() {
  const [institution, setInstitution] = useState<Institution>();
  const [mode, setMode] = useState<Mode>(() => (sessionStorage.getItem(MODE_KEY) as Mode | null) ?? 'choose');
  useEffect(() => {
    call(clinicApi.institution, {}).then(setInstitution, () => undefined);
  }, []);
  useEffect(() => {
    sessionStorage.setItem(MODE_KEY, mode);
  }, [mode]);
  const back = () => setMode('choose');
  return (
    <>
      <SkipLink />
      <Header title="医療機関用アプリ　健診" subtitle={institution ? `${institution.name}（医療機関コード ${institution.institutionCode}）` : undefined}>
        <ClinicNav current="/checkups" />
      </Header>
      <main id="main" className="mx-auto max-w-5xl px-4 py-6 sm:px-6 sm:py-8">
        {mode === 'choose' && (
          <section aria-labelledby="mode-heading">
            <FocusHeading id="mode-heading">健診</FocusHeading>
            <p className="mt-2">妊婦健診・乳幼児健診の結果を、受診券・問診票とともに記録します。どちらの健診ですか。</p>
            <div className="mt-6 grid gap-4 sm:grid-cols-2">
              <button type="button" className="btn btn-primary btn-lg h-auto py-4 text-left" onClick={() => setMode('individual')}>
                個別健診（医療機関で一人ずつ）
              </button>
              <button type="button" className="btn btn-primary btn-lg h-auto py-4 text-left" onClick={() => setMode('group')}>
                集団健診（保健センターでのセッション）
              </button>
            </div>
          </section>
        )}
        {mode === 'individual' && <Individual institution={institution} onBack={back} />}
        {mode === 'group' && <Group institution={institution} onBack={back} />}
      </main>
    </>
  );
}
