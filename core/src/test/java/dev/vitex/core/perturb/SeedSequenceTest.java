package dev.vitex.core.perturb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The streams of methods.md § Seeding are reproducible and never coincide with one another. */
class SeedSequenceTest {

    @Test
    void derivedSequencesShareNoStreamWithTheirParent() {
        SeedSequence seeds = SeedSequence.of(7, "image-sha", "gradient_shap");
        Set<Long> parent = new HashSet<>();
        for (long i = -1000; i < 1000; i++) { // negative indices too: α used to come from stream −1 − i
            parent.add(seeds.sample(i).nextLong());
        }
        parent.add(seeds.named("gradient_shap-alpha").nextLong());
        parent.add(seeds.named("baseline").nextLong());
        SeedSequence alpha = seeds.derive("gradient_shap-alpha");
        for (int i = 0; i < 1000; i++) {
            assertFalse(parent.contains(alpha.sample(i).nextLong()), "derived stream " + i + " repeats a parent stream");
        }
        assertEquals(alpha.sample(3).nextLong(), SeedSequence.of(7, "image-sha", "gradient_shap").derive("gradient_shap-alpha")
                .sample(3).nextLong());
        assertNotEquals(alpha.sample(3).nextLong(), seeds.derive("another").sample(3).nextLong());
        assertNotEquals(alpha.sample(3).nextLong(), SeedSequence.of(8, "image-sha", "gradient_shap")
                .derive("gradient_shap-alpha").sample(3).nextLong());
    }
}
