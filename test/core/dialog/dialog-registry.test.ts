import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { dialogRegistry, type DialogDef } from '../../../core/dialog/dialog-definition.ts';
import { ENGINE_EVENTS } from '../../../core/dialog/engine-env.ts';

const ask = (extra: Partial<Extract<DialogDef['steps'][string], { kind: 'ask' }>> = {}) =>
  ({ kind: 'ask', prompt: { key: 't:q' }, input: { type: 'text', schema: z.string(), invalid: 't:bad' }, next: 'q', ...extra }) as const;

const handled = (...names: string[]) => new Set([...Object.values(ENGINE_EVENTS), ...names]);

describe('dialog registry', () => {
  it('refuses an emitted, awaited or relayed event that has no handler', () => {
    const emits: DialogDef = { id: 'a', version: 1, start: 'e', steps: { e: { kind: 'emit', event: 'x.done', next: 'q' }, q: ask() } };
    expect(() => dialogRegistry([emits], { events: handled() })).toThrow('dialog a: step e emits x.done, which has no handler');
    expect(() => dialogRegistry([emits], { events: handled('x.done') })).not.toThrow();

    const task: DialogDef = { id: 'b', version: 1, start: 't', steps: { t: { kind: 'task', event: 'x.find', save: 'r', next: 'q' }, q: ask() } };
    expect(() => dialogRegistry([task], { events: handled() })).toThrow('dialog b: step t emits x.find, which has no handler');

    const relay: DialogDef = { id: 'c', version: 1, start: 'q', steps: { q: ask({ input: { type: 'relay', event: 'relay.message', controls: [] } }) } };
    expect(() => dialogRegistry([relay], { events: handled() })).toThrow('dialog c: step q emits relay.message, which has no handler');
  });

  it("refuses when the engine's own events have no handler", () => {
    const plain: DialogDef = { id: 'a', version: 1, start: 'q', steps: { q: ask() } };
    expect(() => dialogRegistry([plain], { events: new Set() })).toThrow('the engine emits person.language-changed, which has no handler');
  });

  it('refuses a list from data that no step of the dialog provides', () => {
    const orphan: DialogDef = {
      id: 'jobs',
      version: 1,
      start: 'q',
      steps: { q: ask({ input: { type: 'choice', from: 'results.items', choices: [] } }) },
    };
    expect(() => dialogRegistry([orphan])).toThrow('dialog jobs: step q lists choices from results.items, which no step of the dialog saves');
    const sourced: DialogDef = { ...orphan, start: 'find', steps: { ...orphan.steps, find: { kind: 'task', event: 'jobs.search', save: 'results', next: 'q' } } };
    expect(() => dialogRegistry([sourced])).not.toThrow();
  });

  it('refuses a signal that no step can receive', () => {
    const waits: DialogDef = { id: 'a', version: 1, start: 'q', steps: { q: ask({ on: { 'exchange.answer': 'q' } }) } };
    expect(() => dialogRegistry([waits], { signals: new Set(['exchange.answer', 'jobs.decision']) })).toThrow('signal jobs.decision is accepted by no step');
    expect(() => dialogRegistry([waits], { signals: new Set(['exchange.answer']) })).not.toThrow();
  });

  it('checks where signals, timeouts and error exits lead, and that a multi-select saves', () => {
    const bad = (step: DialogDef['steps'][string]): DialogDef => ({ id: 'a', version: 1, start: 's', steps: { s: step, q: ask() } });
    expect(() => dialogRegistry([bad(ask({ on: { sig: 'nowhere' } }))])).toThrow('step s goes to missing step nowhere');
    expect(() => dialogRegistry([bad(ask({ timeout: { afterMs: 1000, next: 'gone' } }))])).toThrow('step s goes to missing step gone');
    expect(() => dialogRegistry([bad(ask({ timeout: { afterMs: 0, next: 'q' } }))])).toThrow('step s has a timeout of 0 ms');
    expect(() => dialogRegistry([bad({ kind: 'task', event: 'e', save: 'r', next: 'q', onError: 'lost' })])).toThrow('step s goes to missing step lost');
    expect(() => dialogRegistry([bad(ask({ input: { type: 'multi', choices: [], done: { id: 'done', label: 't:done' } } }))])).toThrow(
      'step s is a multi-select without save',
    );
  });
});
