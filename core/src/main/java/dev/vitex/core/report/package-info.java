/**
 * The static HTML audit report: pages, cells, file names, written from rendered heatmaps.
 * 
 * <p>May use: {@code render}, {@code method}, {@code grid}, {@code image}. No DJL, no Spark.
 */
package dev.vitex.core.report;
