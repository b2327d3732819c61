package dev.vitex.core.aggregate;

/** A fitted linear model {@code y ≈ intercept + Σ_j coefficients[j] · x_j}. */
public record LinearFit(double intercept, double[] coefficients) {
    public LinearFit {
        coefficients = coefficients.clone();
    }

    @Override
    public double[] coefficients() {
        return coefficients.clone();
    }

    public float[] coefficientsAsFloats() {
        float[] out = new float[coefficients.length];
        for (int j = 0; j < out.length; j++) {
            out[j] = (float) coefficients[j];
        }
        return out;
    }
}
