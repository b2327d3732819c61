package dev.vitex.jobs.driver;

import dev.vitex.jobs.config.ConfigException;
import dev.vitex.jobs.config.JobConfig;
import dev.vitex.jobs.input.ImageSource;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import org.apache.hadoop.conf.Configuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The input's listing ({@link ImageSource#plan}) on a thread of its own, started before the other checks
 * of {@link RunPreparation} so that a large folder is listed while the card is read, the model hashed,
 * libtorch loaded and the model checked (issue 16, start-up). {@link #join} gives the plan, or throws the
 * listing's own {@link ConfigException}, where the plan is used: problems are still reported in the order
 * a user fixes them.
 */
final class InputListing implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("vitex");
    private final FutureTask<ImageSource.Plan> task;
    private final long t0 = System.nanoTime();

    private InputListing(FutureTask<ImageSource.Plan> task) {
        this.task = task;
    }

    /** Starts listing; {@code hadoop} must be fully configured (the file system class is chosen by the first look-up). */
    static InputListing start(JobConfig config, Configuration hadoop) {
        long t0 = System.nanoTime();
        FutureTask<ImageSource.Plan> task = new FutureTask<>(() -> {
            ImageSource.Plan plan = ImageSource.plan(config, hadoop);
            LOG.debug("input listed in {} ms: {} file(s)", (System.nanoTime() - t0) / 1_000_000, plan.files().size());
            return plan;
        });
        Thread t = new Thread(task, "vitex-input-listing");
        t.setDaemon(true); // a run refused for another reason does not wait for the listing
        t.start();
        return new InputListing(task);
    }

    /** Waits for the listing: its plan, or the exception it ended with (a {@link ConfigException} for any input problem). */
    ImageSource.Plan join() {
        long waitT0 = System.nanoTime();
        try {
            ImageSource.Plan plan = task.get();
            LOG.debug("input listing joined {} ms after its start, after waiting {} ms", (System.nanoTime() - t0) / 1_000_000,
                    (System.nanoTime() - waitT0) / 1_000_000);
            return plan;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConfigException("interrupted while listing --input " + JobConfig.oneLine(String.valueOf(e.getMessage())), e);
        }
    }

    /** Stops a listing nobody will use (the run was refused before it needed the input). */
    @Override
    public void close() {
        task.cancel(true);
    }
}
