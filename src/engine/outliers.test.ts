import { describe, expect, it } from 'vitest';
import { relativeChange, robustZ } from './outliers.js';

describe('relativeChange', () => {
  it.each([
    [150, 100, 0.5],
    [50, 100, -0.5],
    [-50, -100, 0.5], // from −100 to −50 is a rise of half the magnitude
    [0, 0, 0],
    [5, 0, Infinity],
    [NaN, 1, NaN],
  ])('%d from %d is %d', (current, previous, expected) => {
    expect(relativeChange(current, previous)).toBe(expected);
  });
});

describe('robustZ (modified z-score)', () => {
  it('matches a hand computation', () => {
    // values 1..9: median 5; |v − 5| = 4,3,2,1,0,1,2,3,4 → sorted 0,1,1,2,2,3,3,4,4 → MAD 2.
    // z(20) = 0.6745 · 15 / 2 = 5.05875
    expect(robustZ(20, [1, 2, 3, 4, 5, 6, 7, 8, 9])).toBeCloseTo(5.05875, 12);
    expect(robustZ(5, [1, 2, 3, 4, 5, 6, 7, 8, 9])).toBe(0);
  });

  it('falls back to the mean absolute deviation when MAD is 0', () => {
    // values 10,10,10,10,20: median 10, deviations 0,0,0,0,10 → MAD 0, meanAD 2.
    // z(20) = 10 / (1.253314 · 2) = 3.98942…
    expect(robustZ(20, [10, 10, 10, 10, 20])).toBeCloseTo(10 / (1.253314 * 2), 12);
  });

  it('calls any departure from identical siblings an outlier, and skips missing values', () => {
    expect(robustZ(11, [10, 10, 10])).toBe(Infinity);
    expect(robustZ(9, [10, 10, NaN, 10])).toBe(-Infinity);
    expect(robustZ(10, [10, 10])).toBe(0);
    expect(robustZ(1, [])).toBeNaN();
  });

  it('is unchanged by the order of values and by scaling (a ratio of deviations)', () => {
    const v = [3, 1, 4, 1, 5, 9, 2, 6];
    expect(robustZ(7, v)).toBeCloseTo(robustZ(7, [...v].reverse()), 12);
    expect(
      robustZ(
        70,
        v.map((x) => x * 10),
      ),
    ).toBeCloseTo(robustZ(7, v), 12);
  });
});
