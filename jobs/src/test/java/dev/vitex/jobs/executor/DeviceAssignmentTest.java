package dev.vitex.jobs.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import org.junit.jupiter.api.Test;

class DeviceAssignmentTest {
    /** A task given GPUs 2 and 3 runs on the first, CUDA index 2, and its note says the other idles. */
    @Test
    void aTaskWithSeveralGpusUsesTheFirstAndSaysSo() {
        DeviceAssignment a = DeviceAssignment.choose("2", 4, null).onlyFirstOf(new String[] {"2", "3"});
        assertEquals(Device.gpu(2), a.device());
        assertEquals("2", a.sparkAddress());
        assertTrue(a.note().startsWith("Spark assigned GPU 2 → gpu(2)"), a.note());
        assertTrue(a.note().contains("was given GPUs 2,3 and uses only the first (2)"), a.note());
    }

    @Test
    void withoutCudaTheFirstAddressStillNamesTheFallback() {
        DeviceAssignment a = DeviceAssignment.choose("0", 0, null).onlyFirstOf(new String[] {"0", "1"});
        assertEquals(Device.cpu(), a.device());
        assertTrue(a.note().contains("engine sees no GPU") && a.note().contains("uses only the first (0)"), a.note());
    }

    @Test
    void cudaVisibleDevicesRenumbers() {
        assertEquals(Device.gpu(1), DeviceAssignment.choose("3", 2, "2,3").device());
    }
}
