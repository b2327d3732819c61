/**
 * The explain pipeline without Spark: {@link dev.vitex.core.pipeline.GroupExplainer} takes a group of
 * images (encoded bytes or decoded), decodes and preprocesses them, selects their targets (in the first pass of a method that
 * evaluates x, {@link dev.vitex.core.method.ChoosesTargets}, or else with a separate no-grad forward), runs every
 * configured method, scores the attributions with the quality metrics, halves the model batch on an
 * engine out-of-memory ({@link dev.vitex.core.pipeline.BatchBudget}), narrows any other failure down to
 * the one image, and returns typed {@link dev.vitex.core.pipeline.ImageOutcome}s; a broken device is
 * thrown ({@link dev.vitex.core.pipeline.DeviceFaultException}). The job's tasks, the bench
 * and the tests all explain images through it.
 *
 * <p>May use: {@code image}, {@code model}, {@code grid}, {@code method}, {@code metric}. No Spark, no Hadoop.
 */
package dev.vitex.core.pipeline;
