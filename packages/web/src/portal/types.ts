/** The portal's resident API (packages/portal, /portal/v1/…), as the pages read it. */
import type { CertificateFields } from '../shared/ui.tsx';

export interface Me {
  linked: boolean;
}

export interface Subject {
  municipalityCode: string;
  name: string;
  nameKana: string | null;
  dateOfBirth: string;
  address: string | null;
}

export interface CertificateVersion {
  historyKey: string;
  validFrom: string;
  validTo: string;
  isDeleted: boolean;
  updatedAt: string;
}

export interface Certificate extends CertificateFields {
  id: string;
  status: 'current' | 'expired' | 'future';
  history: CertificateVersion[];
}

export interface Subsidies {
  subjects: Subject[];
  certificates: Certificate[];
  linked?: boolean;
}

export interface InboxItem {
  id: string;
  municipalityCode: string;
  category: string;
  title: string;
  body: string;
  url: string | null;
  publishedAt: string;
  readAt: string | null;
}

export interface Inbox {
  items: InboxItem[];
  unread: number;
  nextBefore?: string;
}

export interface AccessLogEntry {
  at: string;
  actorKind: 'medical-institution' | 'municipality' | 'operator' | 'system';
  actorCode: string | null;
  action: string;
  purpose: string | null;
  outcome: string;
}

export interface AccessLog {
  items: AccessLogEntry[];
  nextBefore?: string;
  linked?: boolean;
}
