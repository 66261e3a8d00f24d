import { readFile } from "node:fs/promises";
import path from "node:path";
import { formatHuman } from "../diagnostics/format/index.ts";
import { ExitError, hasFailures, makeDiagnostic, type Diagnostic } from "../diagnostics/index.ts";
import { processRedactor, redact, redactingWrite } from "../diagnostics/redact.ts";
import { applyPlan } from "./apply.ts";
import { createArmClient, isLoopbackHost, type ArmClient } from "./arm-client.ts";
import { createCredential } from "./credential.ts";
import { fakeCredential } from "../ingest/fakes/credential.ts";
import { absorbDrift, detectDrift, missingFromWorkspace } from "./drift.ts";
import { planDeployment, type Plan, type PlanOptions } from "./plan.ts";
import { formatApply, formatDrift, formatPlan, type ReportFormat } from "./report.ts";
import { prepareDeployment, type PreparedDeployment } from "../build/prepare.ts";

/** Options shared by deploy and drift. */
export interface TargetOptions {
  env: string;
  environments?: string;
  root?: string;
  format?: string;
  /** Loopback emulator endpoint (tests and benchmarks only; must be 127.0.0.1 or localhost). */
  armEndpoint?: string;
}

/** Options of `deploy`. */
export interface DeployOptions extends TargetOptions {
  plan?: boolean;
  apply?: boolean;
  prune?: boolean;
  failFast?: boolean;
  concurrency?: string;
  /** Take over resources whose names collide with ours but which this repository does not own. */
  adopt?: boolean;
  /** Let apply --prune delete more than the delete guard allows. */
  allowMassDelete?: boolean;
  maxDeletes?: string;
  maxDeleteFraction?: string;
}

/** Options of `drift`. */
export interface DriftOptions extends TargetOptions {
  absorb?: boolean;
}

/** Output sink (stdout in the CLI, a buffer in tests). */
export type Write = (text: string) => void;

/** Runs `deploy --plan|--apply`; returns the exit code (0 ok, 1 findings or failed items, 2 usage). */
export async function runDeployCommand(options: DeployOptions, rawWrite: Write, client?: ArmClient): Promise<number> {
  const write = redactedWrite(rawWrite);
  if (Boolean(options.plan) === Boolean(options.apply)) throw new ExitError(2, "deploy needs exactly one of --plan or --apply");
  const format = reportFormat(options.format);
  const concurrency = Number(options.concurrency ?? 8);
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new ExitError(2, "--concurrency must be a positive whole number");
  const guard = guardLimits(options);
  const context = await prepare(options, write);
  if (!context) return 1;
  const { environment } = context;
  const arm = client ?? armClient(options);
  const plan = await readPlan(arm, context, Boolean(options.prune), guard);
  if (options.plan) {
    write(formatPlan(plan, format, environment.name));
    return 0;
  }
  if (format === "text") write(formatPlan(plan, "text", environment.name));
  const refusals = safetyRefusals(plan, options);
  if (refusals.length > 0) {
    write(formatHuman(refusals, 0));
    return 1;
  }
  const results = await applyPlan(plan, { client: arm, concurrency, failFast: Boolean(options.failFast) });
  write(formatApply(results, format));
  return results.some((r) => r.status === "failed" || r.status === "skipped") ? 1 : 0;
}

/** Runs `drift`; with --absorb writes portal edits back into the YAML. Exit 0 without drift, 1 with drift. */
export async function runDriftCommand(options: DriftOptions, rawWrite: Write, client?: ArmClient): Promise<number> {
  const write = redactedWrite(rawWrite);
  const format = reportFormat(options.format);
  const context = await prepare(options, write);
  if (!context) return 1;
  const { environment, root } = context;
  const arm = client ?? armClient(options);
  const plan = await readPlan(arm, context, false);
  const drift = detectDrift(plan, environment.overlaid);
  write(formatDrift(drift, missingFromWorkspace(plan), format, environment.name));
  if (options.absorb && drift.length > 0) {
    const written = await absorbDrift(drift, root, (file) => readFile(path.join(root, file), "utf8"));
    write(written.length > 0 ? `Absorbed into: ${written.join(", ")}\n` : "Nothing absorbable.\n");
  }
  return drift.length > 0 ? 1 : 0;
}

type GuardLimits = Pick<PlanOptions, "maxDeletes" | "maxDeleteFraction">;

/** The delete guard's limits from --max-deletes and --max-delete-fraction (usage error when malformed). */
function guardLimits(options: DeployOptions): GuardLimits {
  const limits: GuardLimits = {};
  if (options.maxDeletes !== undefined) {
    const value = Number(options.maxDeletes);
    if (!Number.isInteger(value) || value < 0) throw new ExitError(2, "--max-deletes must be a whole number ≥ 0");
    limits.maxDeletes = value;
  }
  if (options.maxDeleteFraction !== undefined) {
    const value = Number(options.maxDeleteFraction);
    if (!Number.isFinite(value) || value < 0 || value > 1) throw new ExitError(2, "--max-delete-fraction must be a number from 0 to 1");
    limits.maxDeleteFraction = value;
  }
  return limits;
}

/** Why apply refuses to start: ownership conflicts without --adopt (SC7006), a tripped delete guard without --allow-mass-delete (SC7007), a DCR outside the workspace's region (SC7040). */
function safetyRefusals(plan: Plan, options: DeployOptions): Diagnostic[] {
  const refusals: Diagnostic[] = plan.findings.filter((f) => f.severity === "error");
  if (!options.adopt) {
    for (const item of plan.conflicts) {
      refusals.push(makeDiagnostic("SC7006", { file: item.file ?? "deploy" }, `${item.kind} "${item.title}" would overwrite ${item.resourceId}, which this repository does not own (${item.ownership})`));
    }
  }
  const { guard } = plan;
  if (plan.prune && guard.tripped && !options.allowMassDelete) {
    refusals.push(
      makeDiagnostic("SC7007", { file: "deploy" }, `prune would delete ${guard.deletes} of the ${guard.owned} resources this repository owns (limits: ${guard.maxDeletes} deletes, ${Math.round(guard.maxFraction * 100)}%)`),
    );
  }
  return refusals;
}

/** The output sink with the environment's secrets registered and every text redacted. */
function redactedWrite(write: Write): Write {
  processRedactor.addFromEnvironment(process.env);
  return redactingWrite(write);
}

/** A prepared deployment with its environment resolved, and the repository root. */
type Prepared = Required<Pick<PreparedDeployment, "environment">> & PreparedDeployment & { root: string };

/** Reads the workspace and plans; an unreachable ARM, a refused credential or an ARM error ends the run with its message (exit 1). */
async function readPlan(client: ArmClient, { environment, resources }: Prepared, prune: boolean, guard: GuardLimits = {}): Promise<Plan> {
  try {
    return await planDeployment({ client, target: environment.target, resources, repository: environment.repository, prune, ...guard });
  } catch (error) {
    throw new ExitError(1, redact(`cannot read the workspace of environment "${environment.name}": ${error instanceof Error ? error.message : String(error)}`));
  }
}

async function prepare(options: TargetOptions, write: Write): Promise<Prepared | undefined> {
  const root = path.resolve(options.root ?? process.cwd());
  const prepared = await prepareDeployment(root, options.env, options.environments);
  if (prepared.diagnostics.length > 0) write(formatHuman(prepared.diagnostics, prepared.checkedFiles));
  if (!prepared.environment || hasFailures(prepared.diagnostics)) return undefined;
  return { ...prepared, environment: prepared.environment, root };
}

function armClient(options: TargetOptions): ArmClient {
  if (options.armEndpoint) {
    if (!isLoopbackHost(options.armEndpoint)) throw new ExitError(2, "--arm-endpoint is for the loopback emulator only (127.0.0.1 or localhost)");
    return createArmClient({ credential: fakeCredential, endpoint: options.armEndpoint, insecureLoopback: true });
  }
  return createArmClient({ credential: createCredential(), userAgent: "sentinel-content" });
}

function reportFormat(value: string | undefined): ReportFormat {
  const format = value ?? "text";
  if (format !== "text" && format !== "markdown" && format !== "json") throw new ExitError(2, `--format must be text, markdown or json, not "${format}"`);
  return format;
}
