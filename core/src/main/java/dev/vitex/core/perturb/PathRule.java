package dev.vitex.core.perturb;

import java.util.Arrays;
import java.util.Locale;
import org.apache.commons.math3.analysis.integration.gauss.GaussIntegrator;
import org.apache.commons.math3.analysis.integration.gauss.GaussIntegratorFactory;

/** Quadrature rules on [0, 1] for straight-line path integrals: points α_i and weights w_i (Σ w_i = 1). */
public enum PathRule {
    GAUSS_LEGENDRE,
    TRAPEZOID,
    RIEMANN_LEFT,
    RIEMANN_RIGHT,
    RIEMANN_MIDDLE;

    /** One factory for the JVM: it caches the rules it computed (building one costs seconds). */
    private static final GaussIntegratorFactory GAUSS = new GaussIntegratorFactory();

    public static PathRule parse(String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("rule must be one of " + Arrays.stream(values()).map(PathRule::cliName).toList()
                    + ", got \"" + value + "\"");
        }
    }

    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** {points, weights} for {@code steps} nodes. */
    public double[][] nodes(int steps) {
        double[] a = new double[steps];
        double[] w = new double[steps];
        switch (this) {
            case GAUSS_LEGENDRE -> {
                GaussIntegrator g = GAUSS.legendre(steps, 0.0, 1.0);
                for (int i = 0; i < steps; i++) {
                    a[i] = g.getPoint(i);
                    w[i] = g.getWeight(i);
                }
            }
            case TRAPEZOID -> {
                if (steps < 2) {
                    throw new IllegalArgumentException("rule trapezoid needs steps ≥ 2");
                }
                for (int i = 0; i < steps; i++) {
                    a[i] = (double) i / (steps - 1);
                    w[i] = (i == 0 || i == steps - 1 ? 0.5 : 1.0) / (steps - 1);
                }
            }
            default -> {
                double shift = this == RIEMANN_LEFT ? 0.0 : this == RIEMANN_RIGHT ? 1.0 : 0.5;
                for (int i = 0; i < steps; i++) {
                    a[i] = (i + shift) / steps;
                    w[i] = 1.0 / steps;
                }
            }
        }
        return new double[][] {a, w};
    }
}
