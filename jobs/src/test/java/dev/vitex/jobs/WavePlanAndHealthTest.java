package dev.vitex.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.vitex.jobs.driver.RunHealth;
import dev.vitex.jobs.driver.WavePlan;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The wave split (closed forms of the documented default) and the sick-run verdict. */
class WavePlanAndHealthTest {
    @Test
    void defaultWaveIsFourTaskSlotsOfSixtyFourImagePartitionsButAtLeast2048Images() {
        // 2 slots: max(8, 2048 / 64 = 32) partitions of 64 = 2,048 images per wave;
        // 10,000 images = 157 partitions = 5 waves of 32 (the last 29)
        WavePlan p = WavePlan.of(10_000, 0, 0, 2);
        assertEquals(157, p.partitions());
        assertEquals(5, p.waves());
        assertEquals(32, p.partitionsPerWave());
        assertEquals(2000, p.imagesPerWave());
        assertEquals(new WavePlan(600, 10, 1, 10), WavePlan.of(600, 0, 0, 2), "600 images: one wave");
        // 400 slots: 1,600 partitions per wave = 102,400 images; 1,000,000 images = 15,625 partitions = 10 waves
        WavePlan big = WavePlan.of(1_000_000, 0, 0, 400);
        assertEquals(15_625, big.partitions());
        assertEquals(10, big.waves());
        assertEquals(1563, big.partitionsPerWave());
        // small runs: one wave, the partitions given
        assertEquals(new WavePlan(24, 2, 1, 2), WavePlan.of(24, 0, 0, 2));
        assertEquals(new WavePlan(24, 6, 1, 6), WavePlan.of(24, 6, 0, 2));
        // wave_partitions given: 9 partitions at most 4 per wave = 3 waves of 3
        assertEquals(new WavePlan(576, 9, 3, 3), WavePlan.of(576, 0, 4, 2));
        assertEquals(new WavePlan(0, 2, 1, 2), WavePlan.of(0, 0, 0, 2));
        assertEquals(new WavePlan(10, 2, 1, 2), WavePlan.of(10, 0, 0, 2), "at least one partition per task slot");
    }

    @Test
    void aRunIsSickWhenMoreThanTheFractionFailedOrAMethodNeverWorked() {
        Map<String, Long> rows = Map.of("saliency", 10L, "occlusion", 10L);
        assertNull(RunHealth.verdict(20, 10, rows, Map.of(), 0.5, null), "exactly half is not more than half");
        assertEquals("11 of 20 image(s) failed (55%, more than max_failed_fraction = 0.5); most frequent error: 11×: decode X: y",
                RunHealth.verdict(20, 11, rows, Map.of(), 0.5, "11×: decode X: y"));
        assertEquals("method lime failed on every image (20 error(s), no row)",
                RunHealth.verdict(20, 0, Map.of("saliency", 20L, "lime", 0L), Map.of("lime", 20L), 0.5, null));
        assertNull(RunHealth.verdict(20, 0, rows, Map.of("saliency", 3L), 0.5, null), "a method failing on some images is not sick");
        assertNull(RunHealth.verdict(0, 0, Map.of(), Map.of(), 0.5, null), "nothing read (all done already) is not sick");
    }
}
