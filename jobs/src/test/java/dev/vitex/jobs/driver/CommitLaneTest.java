package dev.vitex.jobs.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitex.jobs.output.WaveCommitter.Committed;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The commit lane: commits overlap the caller's work, one at a time, reported in wave order. */
class CommitLaneTest {
    private final List<String> events = new CopyOnWriteArrayList<>();

    private Waves.AfterWave recorder() {
        return (k, rows) -> events.add("reported " + k + " " + rows.attributionRows() + " on " + Thread.currentThread().getName());
    }

    @Test
    void aCommitRunsWhileTheCallerComputesTheNextWaveAndWavesAreReportedInOrder() throws Exception {
        CountDownLatch nextWaveComputing = new CountDownLatch(1);
        try (CommitLane lane = new CommitLane(recorder())) {
            lane.submit(0, () -> {
                // the commit of wave 0 waits until the caller is computing wave 1: it cannot be serial
                assertTrue(nextWaveComputing.await(10, TimeUnit.SECONDS), "the caller went on while wave 0 committed");
                events.add("committed 0");
                return new Committed(10, 0);
            });
            events.add("computing 1");
            nextWaveComputing.countDown();
            lane.submit(1, () -> {
                events.add("committed 1");
                return new Committed(11, 2);
            });
            lane.awaitPending();
        }
        assertEquals(List.of("computing 1", "committed 0", "reported 0 10 on vitex-commit", "committed 1",
                "reported 1 11 on vitex-commit"), events);
    }

    @Test
    void aFailedCommitIsThrownToTheCallerAtTheNextWaveAndNothingAfterItIsCommitted() throws Exception {
        IOException broken = new IOException("disk full");
        CommitLane lane = new CommitLane(recorder());
        lane.submit(0, () -> {
            throw broken;
        });
        IOException thrown = assertThrows(IOException.class, () -> lane.submit(1, () -> {
            events.add("committed 1");
            return new Committed(1, 0);
        }));
        assertSame(broken, thrown);
        lane.close();
        assertEquals(List.of(), events, "wave 1 is not committed after wave 0 failed, and nothing is reported");
    }

    @Test
    void closingAfterTheCallerFailedStillCommitsTheWaveInFlight() throws Exception {
        IllegalStateException computeFailed = new IllegalStateException("wave 1 failed");
        IllegalStateException seen = assertThrows(IllegalStateException.class, () -> {
            try (CommitLane lane = new CommitLane(recorder())) {
                lane.submit(0, () -> {
                    Thread.sleep(200); // still committing when the caller gives up
                    return new Committed(5, 1);
                });
                throw computeFailed;
            }
        });
        assertSame(computeFailed, seen);
        assertEquals(1, events.size(), events.toString());
        assertTrue(events.get(0).startsWith("reported 0 5"), events.toString());
    }

    @Test
    void aRuntimeFailureOfTheReportIsThrownAsItself() throws Exception {
        CommitLane lane = new CommitLane((k, rows) -> {
            throw new IllegalArgumentException("manifest broken");
        });
        lane.submit(0, () -> new Committed(1, 0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, lane::awaitPending);
        assertEquals("manifest broken", e.getMessage());
        lane.close();
    }
}
