/** The clinic's JSON API (packages/clinic), as the reception page reads it. */
import type { CertificateFields } from '../shared/ui.tsx';

export interface Institution {
  institutionCode: string;
  name: string;
}

export type Reason = 'not-consented' | 'not-linked' | 'no-eligibility' | 'expired' | 'hub-unavailable' | 'hub-refused';

export interface EligibleCertificate extends CertificateFields {
  designatedInstitution: 'designated' | 'not-designated' | 'not-restricted';
}

export interface EligibilityAnswer {
  status: 'eligible' | 'not-eligible';
  reason?: Reason;
  asOf: string;
  institutionCode: string;
  certificates: EligibleCertificate[];
}
