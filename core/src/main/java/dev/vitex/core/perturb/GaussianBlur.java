package dev.vitex.core.perturb;

/** Separable Gaussian blur of planar maps, radius ⌈3σ⌉, borders reflected (as scipy/cv2 "reflect"). */
final class GaussianBlur {
    private GaussianBlur() {}

    static float[] apply(float[] src, int planes, int height, int width, double sigma) {
        int radius = Math.max(1, (int) Math.ceil(3 * sigma));
        double[] k = new double[2 * radius + 1];
        double total = 0;
        for (int i = -radius; i <= radius; i++) {
            k[i + radius] = Math.exp(-0.5 * i * i / (sigma * sigma));
            total += k[i + radius];
        }
        for (int i = 0; i < k.length; i++) {
            k[i] /= total;
        }
        float[] tmp = new float[src.length];
        float[] out = new float[src.length];
        for (int p = 0; p < planes; p++) {
            int base = p * height * width;
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    double acc = 0;
                    for (int d = -radius; d <= radius; d++) {
                        acc += k[d + radius] * src[base + y * width + reflect(x + d, width)];
                    }
                    tmp[base + y * width + x] = (float) acc;
                }
            }
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    double acc = 0;
                    for (int d = -radius; d <= radius; d++) {
                        acc += k[d + radius] * tmp[base + reflect(y + d, height) * width + x];
                    }
                    out[base + y * width + x] = (float) acc;
                }
            }
        }
        return out;
    }

    private static int reflect(int i, int n) {
        if (n == 1) {
            return 0;
        }
        while (i < 0 || i >= n) {
            i = i < 0 ? -i - 1 : 2 * n - i - 1;
        }
        return i;
    }
}
