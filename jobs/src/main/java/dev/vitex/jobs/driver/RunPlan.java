package dev.vitex.jobs.driver;

import dev.vitex.core.model.ModelCard;
import dev.vitex.core.model.TargetRule;
import dev.vitex.jobs.executor.ModelRef;
import dev.vitex.jobs.input.ImageSource;
import dev.vitex.jobs.output.AttributionSink;
import java.time.Instant;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;

/**
 * What {@link RunPreparation} established before Spark: the model and its reference for the tasks,
 * the targets, each method's canonical parameters, the planned input, the opened output, and where
 * Spark runs.
 *
 * @param t0 {@link System#nanoTime()} at the start (for the total time)
 * @param libtorch the engine version the driver loaded, null when it did not load one
 */
record RunPlan(Instant started, long t0, Configuration hadoop, ModelCard card, ModelRef ref, TargetRule targets,
               Map<String, String> methodParams, ImageSource.Plan input, AttributionSink sink, String master,
               boolean local, String libtorch, long validationMs) {}
