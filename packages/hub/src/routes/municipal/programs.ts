import { hubApi } from '@pmh/protocol';
import { ProblemError } from '@pmh/core/http/problem';
import type { Surface } from '@pmh/core/http/serve';
import { normalizeDigits } from '@pmh/core/text/japanese';
import { programErrors } from '../../domain/medical-subsidy/program.ts';
import type { StoredProgram } from '../../store/programs.ts';
import type { MunicipalDeps } from './index.ts';
import { scopeOf } from './scope.ts';

const view = (program: StoredProgram, municipalityCode: string) => ({
  orgSpecificCertificateTypeId: program.orgSpecificCertificateTypeId,
  municipalityCode,
  certificationName: program.certificationName,
  medicalSubsidyInsurerNumber: program.medicalSubsidyInsurerNumber,
  legalBasisCode: program.legalBasisCode,
  additionalConditionCodes: program.additionalConditionCodes,
  updatedAt: program.updatedAt,
});

/** 制度マスタ: `PUT|GET /municipal/v1/medical-subsidy/programs/{orgSpecificCertificateTypeId}`. */
export function programRoutes(s: Surface, _deps: MunicipalDeps): void {
  s.serve(
    hubApi.municipal.putProgram,
    async (req, reply) => {
      const errors = programErrors(req.body, req.params.orgSpecificCertificateTypeId);
      if (errors.length) throw new ProblemError(422, 'validation', 'The programme is not valid.', { errors });
      const scope = scopeOf(req);
      const { created, program } = await scope.run((repo) =>
        repo.upsertProgram({
          orgSpecificCertificateTypeId: req.params.orgSpecificCertificateTypeId,
          certificationName: req.body.certificationName,
          medicalSubsidyInsurerNumber: normalizeDigits(req.body.medicalSubsidyInsurerNumber),
          legalBasisCode: req.body.legalBasisCode,
          additionalConditionCodes: req.body.additionalConditionCodes ?? [],
        }),
      );
      reply.status(created ? 201 : 200);
      return view(program, scope.code);
    },
    // Up to 200 additional-condition codes with names of up to 200 characters (UTF-8): about 140 KB.
    { bodyLimit: 256 * 1024 },
  );

  s.serve(hubApi.municipal.getProgram, async (req) => {
    const scope = scopeOf(req);
    const program = await scope.run((repo) => repo.program(req.params.orgSpecificCertificateTypeId));
    if (!program) throw new ProblemError(404, 'not-found', 'This municipality has no programme with that id.');
    return view(program, scope.code);
  });
  programListRoute(s);
}

/** `GET /municipal/v1/medical-subsidy/programs`: the municipality's programmes, for the console's list. */
function programListRoute(s: Surface): void {
  s.serve(hubApi.municipal.listPrograms, async (req) => {
    const scope = scopeOf(req);
    const programs = await scope.run((repo) => repo.allPrograms());
    return { programs: programs.map((p) => view(p, scope.code)) };
  });
}
