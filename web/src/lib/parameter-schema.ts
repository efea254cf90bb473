/** The parts of a report type's JSON Schema that the parameter form understands. */
export type ParameterProperty = {
  type?: string;
  enum?: string[];
  title?: string;
  description?: string;
  default?: unknown;
  format?: string;
  items?: { enum?: string[] };
  minimum?: number;
  maximum?: number;
};
export type ParameterSchema = { properties?: Record<string, ParameterProperty> };

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * The API describes a report type's parameters as a JSON Schema object, which the OpenAPI document
 * (and so the generated client) can only type as a record: keep the object-valued properties.
 */
export function parameterSchema(raw: Record<string, unknown>): ParameterSchema {
  if (!isRecord(raw.properties)) return {};
  const properties: Record<string, ParameterProperty> = {};
  for (const [key, value] of Object.entries(raw.properties)) if (isRecord(value)) properties[key] = value;
  return { properties };
}
