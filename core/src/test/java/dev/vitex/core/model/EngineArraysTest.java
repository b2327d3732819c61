package dev.vitex.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.vitex.core.TestModels;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class EngineArraysTest {
    private static long directBytes() {
        return ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                .filter(p -> p.getName().equals("direct")).findFirst().orElseThrow().getMemoryUsed();
    }

    @Test
    void arraysOwnTheirValuesWhenTheStagingBufferIsReused() {
        VitModel model = TestModels.shapesModel();
        try (NDManager scope = model.newScope()) {
            float[] a = {1f, -2.5f, 3e-8f, Float.MAX_VALUE, 0f, -0f};
            float[] b = {9f, 9f, 9f, 9f, 9f, 9f};
            NDArray first = EngineArrays.floats(scope, a, new Shape(2, 3));
            NDArray second = EngineArrays.floats(scope, b, new Shape(2, 3)); // same staging buffer
            assertArrayEquals(a, first.toFloatArray()); // a clone, not a view of the reused buffer
            assertArrayEquals(b, second.toFloatArray());
            long[] idx = {0, 7, -1, Long.MAX_VALUE};
            assertArrayEquals(idx, EngineArrays.longs(scope, idx, new Shape(4, 1)).toLongArray());
            assertThrows(IllegalArgumentException.class, () -> EngineArrays.floats(scope, a, new Shape(7)));
        }
    }

    @Test
    void creatingArraysLeavesNoDirectMemoryBehind() {
        VitModel model = TestModels.shapesModel();
        float[] data = new float[256 * 1024]; // 1 MB
        SplittableRandom rng = new SplittableRandom(3);
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) rng.nextGaussian();
        }
        try (NDManager scope = model.newScope()) {
            EngineArrays.floats(scope, data, new Shape(data.length)); // the staging buffer, once
        }
        long before = directBytes();
        for (int i = 0; i < 300; i++) { // DJL's own create(float[]) would leave 300 MB until a GC
            try (NDManager scope = model.newScope()) {
                NDArray x = EngineArrays.floats(scope, data, new Shape(data.length));
                assertTrue(x.getFloat(5) == data[5]);
            }
        }
        long grown = directBytes() - before;
        assertTrue(grown < (4 << 20), "direct memory grew by " + grown + " bytes over 300 MB of arrays");
    }
}
