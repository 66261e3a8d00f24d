import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const DATA_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../data/mitre");

interface AttackData {
  attackVersion: string;
  tactics: Record<string, { id: string; name: string; sentinel: string }>;
  techniques: Record<string, { name: string; tactics: string[] }>;
}

interface AtlasData {
  atlasVersion: string;
  techniques: Record<string, { name: string; tactics: string[] }>;
}

let attack: AttackData | undefined;
let atlas: AtlasData | undefined;

/** The bundled ATT&CK Enterprise data (data/mitre/attack-enterprise.json), read once. */
export function attackData(): AttackData {
  return (attack ??= JSON.parse(readFileSync(path.join(DATA_DIR, "attack-enterprise.json"), "utf8")) as AttackData);
}

/** The bundled MITRE ATLAS data (data/mitre/atlas.json), read once. */
export function atlasData(): AtlasData {
  return (atlas ??= JSON.parse(readFileSync(path.join(DATA_DIR, "atlas.json"), "utf8")) as AtlasData);
}

/** Tactic names Sentinel accepts: the ATT&CK Enterprise tactics, the two ICS tactics and the legacy PreAttack. */
export const SENTINEL_TACTICS: readonly string[] = [
  "Reconnaissance",
  "ResourceDevelopment",
  "InitialAccess",
  "Execution",
  "Persistence",
  "PrivilegeEscalation",
  "DefenseEvasion",
  "CredentialAccess",
  "Discovery",
  "LateralMovement",
  "Collection",
  "Exfiltration",
  "CommandAndControl",
  "Impact",
  "ImpairProcessControl",
  "InhibitResponseFunction",
  "PreAttack",
];

/** The Sentinel tactic names of an ATT&CK technique, or undefined when the id is not a current technique. */
export function techniqueTactics(id: string): string[] | undefined {
  const data = attackData();
  const technique = data.techniques[id];
  if (!technique) return undefined;
  return technique.tactics.map((shortName) => data.tactics[shortName]?.sentinel ?? shortName);
}

/** ATT&CK for ICS technique ids (T0800-T0899): valid in Sentinel, but the ICS matrix is not bundled, so they are not checked. */
export function isIcsTechnique(id: string): boolean {
  return /^T08\d\d$/.test(id);
}

/** The ATT&CK technique id shape: T1234 or T1234.001. */
export const TECHNIQUE_ID = /^T\d{4}(\.\d{3})?$/;
