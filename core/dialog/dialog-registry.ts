import type { DialogDef, DialogRegistry, Next, StepDef } from './dialog-definition.ts';
import { ENGINE_EVENTS } from './engine-env.ts';

/** What the rest of the product offers the dialogs, checked against them when the registry is built. */
export interface RegistryChecks {
  /** Events that have a handler: every emit, task and relay event (and the engine's own) must be among them. */
  readonly events?: ReadonlySet<string>;
  /** Signals the product sends: each must be accepted by some step's `on`. */
  readonly signals?: ReadonlySet<string>;
}

/**
 * Builds a registry, refusing at start-up a definition that could only fail later: a `next`,
 * `call` or `goto` naming nothing, a data-driven list whose data no step provides, an event
 * nobody handles, a signal no step receives.
 */
export function dialogRegistry(dialogs: readonly DialogDef[], checks: RegistryChecks = {}): DialogRegistry {
  const registry = new Map(dialogs.map((d) => [d.id, d]));
  const received = new Set<string>();
  for (const dialog of dialogs) {
    const fail = (message: string): never => {
      throw new Error(`dialog ${dialog.id}: ${message}`);
    };
    if (!dialog.steps[dialog.start]) fail(`start step ${dialog.start} missing`);
    const provided = providedKeys(dialog);
    for (const [id, step] of Object.entries(dialog.steps)) {
      for (const target of nextsOf(step)) {
        if (!dialog.steps[target]) fail(`step ${id} goes to missing step ${target}`);
      }
      if ((step.kind === 'call' || step.kind === 'goto') && !registry.has(step.dialog)) fail(`step ${id} names missing dialog ${step.dialog}`);
      const event = eventOf(step);
      if (event !== null && checks.events && !checks.events.has(event)) fail(`step ${id} emits ${event}, which has no handler`);
      if (step.kind !== 'ask') continue;
      for (const name of Object.keys(step.on ?? {})) received.add(name);
      const from = 'from' in step.input ? step.input.from : undefined;
      if (from !== undefined && !provided.has(from.split('.')[0]!)) fail(`step ${id} lists choices from ${from}, which no step of the dialog saves`);
      if (step.input.type === 'multi' && step.save === undefined) fail(`step ${id} is a multi-select without save`);
      if (step.timeout && !(step.timeout.afterMs > 0)) fail(`step ${id} has a timeout of ${step.timeout.afterMs} ms`);
    }
  }
  for (const event of Object.values(ENGINE_EVENTS)) {
    if (checks.events && !checks.events.has(event)) throw new Error(`the engine emits ${event}, which has no handler`);
  }
  for (const signal of checks.signals ?? []) {
    if (!received.has(signal)) throw new Error(`signal ${signal} is accepted by no step`);
  }
  return registry;
}

function targets(next: Next): string[] {
  return typeof next === 'string' ? [next] : [...Object.values(next.cases), next.default];
}

/** Every step a step may lead to. */
function nextsOf(step: StepDef): string[] {
  const nexts = 'next' in step ? targets(step.next) : [];
  if (step.kind === 'task' && step.onError !== undefined) nexts.push(...targets(step.onError));
  if (step.kind !== 'ask') return nexts;
  if (step.input.type === 'choice' && step.input.otherwise) nexts.push(...targets(step.input.otherwise.next));
  for (const next of Object.values(step.on ?? {})) nexts.push(...targets(next));
  if (step.timeout) nexts.push(...targets(step.timeout.next));
  return nexts;
}

function eventOf(step: StepDef): string | null {
  if (step.kind === 'emit' || step.kind === 'task') return step.event;
  return step.kind === 'ask' && step.input.type === 'relay' ? step.input.event : null;
}

/** Data keys a dialog's own steps write (where a list from data can come from). */
function providedKeys(dialog: DialogDef): Set<string> {
  const keys = new Set<string>();
  for (const step of Object.values(dialog.steps)) {
    if ((step.kind === 'ask' || step.kind === 'call' || step.kind === 'task' || step.kind === 'notifications') && step.save !== undefined) keys.add(step.save);
    if (step.kind === 'set') keys.add(step.key);
    if (step.kind === 'ask' && step.on) keys.add('signal');
  }
  return keys;
}
