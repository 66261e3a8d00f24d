/**
 * Sigma log sources and field names → Microsoft tables and columns, for the common categories. Table choice follows
 * the pySigma Kusto backend's Microsoft XDR pipeline (AttackIQ/pySigma-backend-kusto,
 * sigma/pipelines/microsoftxdr: process_creation → DeviceProcessEvents, network_connection → DeviceNetworkEvents, …);
 * column names are those of the advanced-hunting tables (learn.microsoft.com "Advanced hunting schema": e.g.
 * DeviceProcessEvents.FolderPath, ProcessCommandLine, InitiatingProcessFolderPath) and of the Azure Monitor tables
 * AzureActivity, SigninLogs and AuditLogs (learn.microsoft.com Azure Monitor table reference).
 */
export interface LogSourceMapping {
  table: string;
  /** Sigma field → column. */
  fields: Record<string, string>;
  /** Columns projected by the converted query (entity mappings are suggested from them). */
  project: string[];
}

const PROCESS_FIELDS: Record<string, string> = {
  Image: "FolderPath", CommandLine: "ProcessCommandLine", OriginalFileName: "ProcessVersionInfoOriginalFileName", ParentImage: "InitiatingProcessFolderPath",
  ParentCommandLine: "InitiatingProcessCommandLine", User: "AccountName", IntegrityLevel: "ProcessIntegrityLevel", ProcessId: "ProcessId",
  ParentProcessId: "InitiatingProcessId", Hashes: "SHA256", sha256: "SHA256", sha1: "SHA1", md5: "MD5", Company: "ProcessVersionInfoCompanyName",
  Description: "ProcessVersionInfoFileDescription", Product: "ProcessVersionInfoProductName", CurrentDirectory: "ProcessCurrentWorkingDirectory",
};

/** By `category` (Windows and other endpoint products) or `product/service` (Azure). */
export const LOGSOURCES: Record<string, LogSourceMapping> = {
  process_creation: {
    table: "DeviceProcessEvents",
    fields: PROCESS_FIELDS,
    project: ["TimeGenerated", "DeviceName", "AccountDomain", "AccountName", "FolderPath", "ProcessCommandLine", "InitiatingProcessFolderPath", "SHA256"],
  },
  network_connection: {
    table: "DeviceNetworkEvents",
    fields: { Image: "InitiatingProcessFolderPath", DestinationIp: "RemoteIP", DestinationPort: "RemotePort", DestinationHostname: "RemoteUrl", SourceIp: "LocalIP", SourcePort: "LocalPort", User: "InitiatingProcessAccountName", Protocol: "Protocol" },
    project: ["TimeGenerated", "DeviceName", "InitiatingProcessAccountName", "InitiatingProcessFolderPath", "RemoteIP", "RemotePort", "RemoteUrl"],
  },
  file_event: {
    table: "DeviceFileEvents",
    fields: { Image: "InitiatingProcessFolderPath", TargetFilename: "FolderPath", User: "InitiatingProcessAccountName" },
    project: ["TimeGenerated", "DeviceName", "InitiatingProcessAccountName", "InitiatingProcessFolderPath", "FolderPath", "SHA256"],
  },
  registry_event: {
    table: "DeviceRegistryEvents",
    fields: { Image: "InitiatingProcessFolderPath", TargetObject: "RegistryKey", Details: "RegistryValueData", User: "InitiatingProcessAccountName" },
    project: ["TimeGenerated", "DeviceName", "InitiatingProcessAccountName", "InitiatingProcessFolderPath", "RegistryKey", "RegistryValueName", "RegistryValueData"],
  },
  "azure/activitylogs": {
    table: "AzureActivity",
    fields: { operationName: "OperationNameValue", OperationName: "OperationNameValue", status: "ActivityStatusValue", ResourceProviderValue: "ResourceProviderValue", caller: "Caller", Caller: "Caller", callerIpAddress: "CallerIpAddress" },
    project: ["TimeGenerated", "Caller", "CallerIpAddress", "OperationNameValue", "ActivityStatusValue", "_ResourceId"],
  },
  "azure/signinlogs": {
    table: "SigninLogs",
    fields: { ResultType: "ResultType", ResultDescription: "ResultDescription", AppDisplayName: "AppDisplayName", UserPrincipalName: "UserPrincipalName", IPAddress: "IPAddress", ClientAppUsed: "ClientAppUsed", "Status.errorCode": "ResultType" },
    project: ["TimeGenerated", "UserPrincipalName", "IPAddress", "AppDisplayName", "ResultType"],
  },
  "azure/auditlogs": {
    table: "AuditLogs",
    fields: { ActivityDisplayName: "OperationName", Category: "Category", Result: "Result", LoggedByService: "LoggedByService" },
    project: ["TimeGenerated", "OperationName", "Category", "Result", "InitiatedBy", "TargetResources"],
  },
};

/** The mapping of a Sigma `logsource`, or undefined when there is none. */
export function logSourceMapping(logsource: Record<string, unknown>): LogSourceMapping | undefined {
  const category = typeof logsource["category"] === "string" ? logsource["category"] : undefined;
  const product = typeof logsource["product"] === "string" ? logsource["product"] : undefined;
  const service = typeof logsource["service"] === "string" ? logsource["service"] : undefined;
  if (category && LOGSOURCES[category]) return LOGSOURCES[category];
  if (category && /^registry_(add|delete|set)$/.test(category)) return LOGSOURCES["registry_event"];
  if (category && /^file_(access|change|delete|rename)$/.test(category)) return LOGSOURCES["file_event"];
  return product && service ? LOGSOURCES[`${product}/${service}`] : undefined;
}

/** Result columns → suggested entity mappings (Sentinel entity types and identifiers). */
export const ENTITY_COLUMNS: Record<string, { entityType: string; identifier: string }> = {
  DeviceName: { entityType: "Host", identifier: "HostName" },
  Computer: { entityType: "Host", identifier: "HostName" },
  AccountName: { entityType: "Account", identifier: "Name" },
  InitiatingProcessAccountName: { entityType: "Account", identifier: "Name" },
  AccountDomain: { entityType: "Account", identifier: "NTDomain" },
  UserPrincipalName: { entityType: "Account", identifier: "FullName" },
  AccountUpn: { entityType: "Account", identifier: "FullName" },
  Caller: { entityType: "Account", identifier: "FullName" },
  AccountObjectId: { entityType: "Account", identifier: "AadUserId" },
  IPAddress: { entityType: "IP", identifier: "Address" },
  CallerIpAddress: { entityType: "IP", identifier: "Address" },
  RemoteIP: { entityType: "IP", identifier: "Address" },
  ClientIP: { entityType: "IP", identifier: "Address" },
  RemoteUrl: { entityType: "URL", identifier: "Url" },
  Url: { entityType: "URL", identifier: "Url" },
  ProcessCommandLine: { entityType: "Process", identifier: "CommandLine" },
  _ResourceId: { entityType: "AzureResource", identifier: "ResourceId" },
  ResourceId: { entityType: "AzureResource", identifier: "ResourceId" },
};

/** Entity mappings for the result columns that identify an entity, one entry per entity type. */
export function suggestEntityMappings(columns: readonly string[]): Record<string, unknown>[] {
  const byType = new Map<string, { identifier: string; columnName: string }[]>();
  for (const column of columns) {
    const entity = ENTITY_COLUMNS[column];
    if (!entity) continue;
    const fields = byType.get(entity.entityType) ?? [];
    if (fields.some((f) => f.identifier === entity.identifier)) continue;
    fields.push({ identifier: entity.identifier, columnName: column });
    byType.set(entity.entityType, fields);
  }
  return [...byType.entries()].map(([entityType, fieldMappings]) => ({ entityType, fieldMappings }));
}
