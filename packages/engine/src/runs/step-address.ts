/**
 * Where one execution of a step is: the step id, and for a step inside forEach loops the item of
 * each loop, outermost first. Written `send@each.3` (item 3 of loop `each`), `send@each.3.lines.0`
 * for nested loops, plain `send` outside loops. It is the step id of job payloads, job ids
 * (`${runId}:${address}:${generation}`), outputs, history records and parked members, so it never
 * holds a colon.
 */
export interface LoopFrame {
  loop: string;
  index: number;
}

export interface StepAddress {
  stepId: string;
  frame: readonly LoopFrame[];
}

export function formatFrame(frame: readonly LoopFrame[]): string {
  return frame.map((entry) => `${entry.loop}.${entry.index}`).join('.');
}

export function formatAddress(stepId: string, frame: readonly LoopFrame[]): string {
  return frame.length === 0 ? stepId : `${stepId}@${formatFrame(frame)}`;
}

export function parseAddress(address: string): StepAddress {
  const at = address.indexOf('@');
  if (at < 0) return { stepId: address, frame: [] };
  const parts = address.slice(at + 1).split('.');
  const frame: LoopFrame[] = [];
  for (let i = 0; i + 1 < parts.length; i += 2) frame.push({ loop: parts[i], index: Number(parts[i + 1]) });
  return { stepId: address.slice(0, at), frame };
}
