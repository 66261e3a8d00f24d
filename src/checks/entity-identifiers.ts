/**
 * Sentinel entity types, their identifiers, and the identifier sets of which at least one must be mapped
 * (Microsoft's EntityMappingIdentifiers table used by the Azure-Sentinel repository's template validation,
 * matching learn.microsoft.com/azure/sentinel/entities-reference).
 */
export const ENTITY_IDENTIFIERS: Readonly<Record<string, { identifiers: readonly string[]; strong: readonly (readonly string[])[] }>> = {
  Account: {
    identifiers: ["Name", "FullName", "NTDomain", "DnsDomain", "UPNSuffix", "Sid", "AadTenantId", "AadUserId", "PUID", "IsDomainJoined", "DisplayName", "ObjectGuid", "CloudAppAccountId"],
    strong: [["FullName"], ["Sid"], ["Name"], ["AadUserId"], ["PUID"], ["ObjectGuid"]],
  },
  AzureResource: { identifiers: ["ResourceId"], strong: [["ResourceId"]] },
  CloudApplication: { identifiers: ["AppId", "Name", "InstanceName"], strong: [["AppId"], ["Name"]] },
  DNS: { identifiers: ["DomainName"], strong: [["DomainName"]] },
  File: { identifiers: ["Directory", "Name"], strong: [["Name"]] },
  FileHash: { identifiers: ["Algorithm", "Value"], strong: [["Algorithm", "Value"]] },
  Host: {
    identifiers: ["DnsDomain", "NTDomain", "HostName", "FullName", "NetBiosName", "AzureID", "OMSAgentID", "OSFamily", "OSVersion", "IsDomainJoined"],
    strong: [["FullName"], ["HostName"], ["NetBiosName"], ["AzureID"], ["OMSAgentID"]],
  },
  IoTDevice: {
    identifiers: ["DeviceId", "DeviceName", "Manufacturer", "Model", "FirmwareVersion", "OperatingSystem", "MacAddress", "Protocols", "SerialNumber", "Source", "IoTSecurityAgentId", "DeviceType"],
    strong: [["DeviceId"]],
  },
  IP: { identifiers: ["Address"], strong: [["Address"]] },
  Mailbox: { identifiers: ["MailboxPrimaryAddress", "DisplayName", "Upn", "ExternalDirectoryObjectId", "RiskLevel"], strong: [["MailboxPrimaryAddress"]] },
  MailCluster: {
    identifiers: ["NetworkMessageIds", "CountByDeliveryStatus", "CountByThreatType", "CountByProtectionStatus", "Threats", "Query", "QueryTime", "MailCount", "IsVolumeAnomaly", "Source", "ClusterSourceIdentifier", "ClusterSourceType", "ClusterQueryStartTime", "ClusterQueryEndTime", "ClusterGroup"],
    strong: [["Query"], ["Source"]],
  },
  MailMessage: {
    identifiers: ["Recipient", "Urls", "Threats", "Sender", "P1Sender", "P1SenderDisplayName", "P1SenderDomain", "SenderIP", "P2Sender", "P2SenderDisplayName", "P2SenderDomain", "ReceivedDate", "NetworkMessageId", "InternetMessageId", "Subject", "BodyFingerprintBin1", "BodyFingerprintBin2", "BodyFingerprintBin3", "BodyFingerprintBin4", "BodyFingerprintBin5", "AntispamDirection", "DeliveryAction", "DeliveryLocation", "Language", "ThreatDetectionMethods"],
    strong: [["NetworkMessageId"], ["Recipient"]],
  },
  Malware: { identifiers: ["Name", "Category"], strong: [["Name"]] },
  Process: { identifiers: ["ProcessId", "CommandLine", "ElevationToken", "CreationTimeUtc"], strong: [["CommandLine"], ["ProcessId"]] },
  RegistryKey: { identifiers: ["Hive", "Key"], strong: [["Key"], ["Hive"]] },
  RegistryValue: { identifiers: ["Name", "Value", "ValueType"], strong: [["Name"]] },
  SecurityGroup: { identifiers: ["DistinguishedName", "SID", "ObjectGuid"], strong: [["DistinguishedName"], ["SID"], ["ObjectGuid"]] },
  SubmissionMail: {
    identifiers: ["NetworkMessageId", "Timestamp", "Recipient", "Sender", "SenderIp", "Subject", "ReportType", "SubmissionId", "SubmissionDate", "Submitter"],
    strong: [["SubmissionId"], ["NetworkMessageId"], ["Recipient"], ["Submitter"]],
  },
  URL: { identifiers: ["Url"], strong: [["Url"]] },
};

/** Limits Sentinel enforces on a rule's alert enrichment. */
export const LIMITS = { entityMappings: 10, identifiersPerEntity: 3, customDetails: 20, placeholdersPerField: 3 } as const;
