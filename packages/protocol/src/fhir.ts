import { Type } from 'typebox';

/**
 * HL7 FHIR R4 (4.0.1) as the portal gives a resident's vaccination history: a Bundle of type
 * `collection` holding a JP Core Patient and one JP Core Immunization per record. Only the envelope is
 * declared here (the resources follow the FHIR specification and JP Core, not this contract).
 */
export const FHIR_JSON = 'application/fhir+json';

export const FhirBundle = Type.Object(
  {
    resourceType: Type.Literal('Bundle'),
    type: Type.Literal('collection'),
    timestamp: Type.String({ format: 'date-time' }),
    entry: Type.Array(
      Type.Object({
        fullUrl: Type.String({ description: 'urn:uuid:…' }),
        resource: Type.Record(Type.String(), Type.Unknown(), { description: 'a FHIR resource: Patient (JP_Patient) or Immunization (JP_Immunization)' }),
      }),
    ),
  },
  { additionalProperties: true, description: 'FHIR R4 Bundle (collection) of JP Core Immunization resources' },
);
