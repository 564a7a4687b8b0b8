import { useState } from 'react';
import { portalApi } from '@pmh/protocol/api/portal';
import type { QuestionnaireCreate } from '@pmh/protocol';
import { ApiError } from '../shared/api.ts';
import { useForQuery } from './acting.ts';
import { navigate } from './router.ts';
import { useApi } from './session.ts';

/**
 * 「予診票を記入する」「問診票を記入する」: starts a draft from the template of that vaccine and dose, or
 * of that checkup kind and sequence, for whoever the pages show (a child through `?for=`), and opens it.
 */
export function StartQuestionnaireButton({ body, name, form }: { body: QuestionnaireCreate; name: string; form: '予診票' | '問診票' }) {
  const api = useApi();
  const forQuery = useForQuery();
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState<string>();

  async function start() {
    setBusy(true);
    setFailed(undefined);
    try {
      const q = await api(portalApi.createQuestionnaire, { query: forQuery, body });
      navigate(`/questionnaires/${q.questionnaireId}`);
    } catch (err) {
      setFailed(err instanceof ApiError ? err.code : 'unexpected');
      setBusy(false);
    }
  }

  return (
    <div className="mt-3">
      <button type="button" className="btn btn-secondary" onClick={start} disabled={busy} aria-label={`${name}の${form}を記入する`}>
        {form}を記入する
      </button>
      {failed && (
        <p role="alert" className="mt-2 text-error-1">
          {form}を開けませんでした（{failed}）。
        </p>
      )}
    </div>
  );
}
