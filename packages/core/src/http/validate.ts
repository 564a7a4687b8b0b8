import { formatMessage } from '@pmh/protocol/text';
import type { FieldError } from './problem.ts';
import { pointerSegment, safeFieldErrors } from './problem.ts';

interface SchemaError {
  keyword: string;
  schemaPath: string;
  instancePath: string;
  params: Record<string, any>;
  message: string;
}

/**
 * Turns TypeBox/Ajv-style errors into field errors in plain words, one per field, with JSON
 * pointers prefixed by `base` (e.g. `/17` for the 18th record of a task).
 */
export function toFieldErrors(errors: Iterable<SchemaError>, base = ''): FieldError[] {
  const out = new Map<string, string>();
  const add = (p: string, m: string) => {
    if (!out.has(p)) out.set(p, m);
  };
  for (const e of errors) {
    const at = base + e.instancePath;
    switch (e.keyword) {
      case 'required':
        for (const name of e.params.requiredProperties ?? [e.params.missingProperty]) add(`${at}/${pointerSegment(name)}`, 'is required');
        break;
      case 'boolean':
        if (e.schemaPath.endsWith('additionalProperties')) add(at, 'is not a known field');
        else add(at, 'is not allowed');
        break;
      case 'additionalProperties':
        break; // reported per property by the 'boolean' errors
      case 'type':
        add(at, `must be ${article(e.params.type)}`);
        break;
      case 'const':
      case 'anyOf':
        add(at, 'has a value that is not allowed here');
        break;
      case 'enum':
        add(at, `must be one of ${(e.params.allowedValues ?? []).map((v: unknown) => JSON.stringify(v)).join(', ')}`);
        break;
      case 'format':
        add(at, formatMessage(e.params.format));
        break;
      case 'pattern':
        add(at, 'is not in the expected form');
        break;
      case 'minLength':
        add(at, e.params.limit === 1 ? 'must not be empty' : `must have at least ${e.params.limit} characters`);
        break;
      case 'maxLength':
        add(at, `must have at most ${e.params.limit} characters`);
        break;
      case 'maxItems':
        add(at, `must have at most ${e.params.limit} items`);
        break;
      case 'minItems':
        add(at, `must have at least ${e.params.limit} items`);
        break;
      case 'minimum':
        add(at, `must be at least ${Number(e.params.limit).toLocaleString('en-US')}`);
        break;
      case 'maximum':
        add(at, `must be at most ${Number(e.params.limit).toLocaleString('en-US')}`);
        break;
      default:
        add(at, e.message);
    }
  }
  // An anyOf error is redundant when a more precise one names the same field.
  return safeFieldErrors([...out].map(([pointer, message]) => ({ pointer, message })));
}

function article(type: string): string {
  if (type === 'integer') return 'an integer';
  if (type === 'object' || type === 'array') return `an ${type}`;
  return `a ${type}`;
}
