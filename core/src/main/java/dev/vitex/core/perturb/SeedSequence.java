package dev.vitex.core.perturb;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.SplittableRandom;

/**
 * Random streams for one image and method, seeded by hash(run seed, image sha256, method name), so
 * results depend on neither partitioning nor order. Sample i has its own stream, so it does not
 * depend on which model batch it lands in either.
 */
public final class SeedSequence {
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;
    private final long seed;

    private SeedSequence(long seed) {
        this.seed = seed;
    }

    public static SeedSequence of(long runSeed, String imageKey, String method) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(ByteBuffer.allocate(8).putLong(runSeed).array());
            sha.update((byte) 0);
            sha.update(imageKey.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(method.getBytes(StandardCharsets.UTF_8));
            return new SeedSequence(ByteBuffer.wrap(sha.digest()).getLong());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The stream of sample {@code i}. */
    public SplittableRandom sample(long i) {
        return new SplittableRandom(mix(seed + GOLDEN * (i + 1)));
    }

    /** A stream for one named purpose (e.g. "baseline"), independent of the sample streams. */
    public SplittableRandom named(String purpose) {
        return new SplittableRandom(mix(seed ^ mix(purpose.hashCode() * GOLDEN + 1)));
    }

    /**
     * A sequence of its own for one purpose (e.g. GradientShap's α), with one stream per sample like
     * this one: its seed is the {@link #named} stream's seed mixed once more, so none of its streams
     * is one of this sequence's sample streams or named streams.
     */
    public SeedSequence derive(String purpose) {
        return new SeedSequence(mix(mix(seed ^ mix(purpose.hashCode() * GOLDEN + 1))));
    }

    /** Fills {@code out} with standard normal draws from {@code rng}. */
    public static float[] gaussian(SplittableRandom rng, float[] out) {
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) rng.nextGaussian();
        }
        return out;
    }

    private static long mix(long z) { // splitmix64 finaliser
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
