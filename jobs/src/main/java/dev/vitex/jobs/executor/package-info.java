/**
 * What runs in a Spark task: the model cache of the executor JVM, the device a task uses, and the
 * partition adapter that feeds core's explain pipeline (and evicts the cached model when its device breaks).
 * 
 * <p>May use: {@code config}, {@code output} (row encoding), core. Nothing here runs on the driver alone.
 */
package dev.vitex.jobs.executor;
