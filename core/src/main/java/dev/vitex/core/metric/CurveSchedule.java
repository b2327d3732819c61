package dev.vitex.core.metric;

/**
 * The points of a deletion or insertion curve: at step t = 0..steps, the top
 * {@code floor(t · g / steps)} ranked units are affected, so the curve starts with none and ends
 * with all g units, in equal increments (exactly equal when steps divides g).
 */
public record CurveSchedule(int units, int steps) {
    /** methods.md's default number of steps: min(g, 32). */
    public static final int DEFAULT_MAX_STEPS = 32;

    public CurveSchedule {
        if (units < 1) {
            throw new IllegalArgumentException("a curve needs ≥ 1 unit, got " + units);
        }
        if (steps < 1 || steps > units) {
            throw new IllegalArgumentException("steps must be in [1, " + units + "] (the number of units), got " + steps);
        }
    }

    /** {@code steps} if set, else min(g, 32); a requested number above g is capped at g. */
    public static CurveSchedule of(int units, Integer steps) {
        return new CurveSchedule(units, Math.min(units, steps == null ? DEFAULT_MAX_STEPS : steps));
    }

    /** Number of points: steps + 1. */
    public int points() {
        return steps + 1;
    }

    /** Units affected at step t. */
    public int count(int t) {
        return (int) ((long) t * units / steps);
    }

    /** Fraction of units affected at step t, the curve's x coordinate. */
    public double fraction(int t) {
        return (double) count(t) / units;
    }
}
