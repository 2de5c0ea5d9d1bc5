import { describe, expect, it } from 'vitest';
import { messages } from './data.js';

describe('messages', () => {
  it('states a jump as a percentage, and from zero as the two values (no "Infinity%")', () => {
    expect(messages.jump(150, 100, 0.5).zh).toBe('与上期（100）相比变化50%，请核实并填写说明');
    const fromZero = messages.jump(12, 0, Infinity);
    expect(fromZero.zh).toBe('上期为0，本期为12，请核实并填写说明');
    expect(fromZero.en).toBe('was 0 in the previous period and is 12 now; check it and explain in a comment');
  });
});
