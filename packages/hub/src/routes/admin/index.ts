import { hubApi } from '@pmh/protocol';
import { surface } from '@pmh/core/http/serve';
import type { App } from '@pmh/core/http/app';
import type { HubRouteOptions } from '../options.ts';

/** The operators' routes of the hub (`/admin/v1`, role admin); core adds the status and retry routes every service has. */
export async function adminRoutes(app: App, opts: HubRouteOptions): Promise<void> {
  const s = surface(app, { access: opts.auth.requireRole('admin'), tags: ['operators'] });

  s.serve(hubApi.admin.rotateEncryptionKey, async (req) => {
    const r = await opts.ring.rotate(req.body?.overlapSeconds ?? 3600);
    await opts.store.system.transaction((sys) =>
      sys.audit([
        { actor: `admin:${req.principal!.clientId}`, action: 'encryption-key.rotate', purpose: 'key-management', outcome: 'ok', detail: { kid: r.kid } },
      ]),
    );
    return { kid: r.kid, retired: r.retired.map((x) => ({ kid: x.kid, retiresAt: x.retiresAt.toISOString() })) };
  });

  s.serve(hubApi.admin.putMedicalInstitutions, async (req) => {
    const entries = req.body.institutions.map((e) => ({ institutionCode: e.institutionCode, name: e.name.trim() }));
    await opts.store.system.transaction(async (sys) => {
      await sys.putInstitutionNames(entries);
      await sys.audit([
        {
          actor: `admin:${req.principal!.clientId}`,
          action: 'medical-institutions.put',
          purpose: 'reference-data',
          outcome: 'ok',
          detail: { count: entries.length },
        },
      ]);
    });
    return { stored: new Set(entries.map((e) => e.institutionCode)).size };
  });
}
