package dev.vitex.core.render;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Locale;

/**
 * Short, exact-looking labels for raw scores: three significant digits, plain notation for
 * magnitudes from 0.001 to 99999 and {@code 1.23e-05} style outside (gradients are often tiny),
 * never trailing zeros. ASCII only, so labels copy and paste as numbers.
 */
public final class ScoreFormat {
    private ScoreFormat() {}

    public static String format(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        if (v == 0) {
            return "0";
        }
        double a = Math.abs(v);
        if (a >= 1e-3 && a < 1e5) {
            return new BigDecimal(v).round(new MathContext(3)).stripTrailingZeros().toPlainString();
        }
        String s = String.format(Locale.ROOT, "%.2e", v); // e.g. 1.20e-05
        int e = s.indexOf('e');
        String mantissa = s.substring(0, e).replaceAll("0+$", "").replaceAll("\\.$", "");
        return mantissa + s.substring(e);
    }
}
