import { asList, asRecord, asString } from "./fields.ts";

/** One field mapping of an entity mapping, with its document path. */
export interface FieldMappingEntry {
  identifier: string;
  path: (string | number)[];
}

/** One entity mapping with its document path and field mappings. */
export interface EntityMappingEntry {
  entityType: string;
  path: (string | number)[];
  fields: FieldMappingEntry[];
}

/** The entity mappings of a rule or hunting query. */
export function entityMappingEntries(data: unknown): EntityMappingEntry[] {
  return asList(asRecord(data).entityMappings).map((mapping, index) => {
    const record = asRecord(mapping);
    const fields = asList(record.fieldMappings).flatMap((field, fieldIndex) => {
      const identifier = asString(asRecord(field).identifier);
      return identifier === undefined ? [] : [{ identifier, path: ["entityMappings", index, "fieldMappings", fieldIndex, "identifier"] }];
    });
    return { entityType: asString(record.entityType) ?? "", path: ["entityMappings", index], fields };
  });
}
