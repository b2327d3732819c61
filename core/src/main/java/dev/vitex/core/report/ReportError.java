package dev.vitex.core.report;

/**
 * One row of the run's {@code errors} output, as listed in the report header.
 *
 * @param method the method that failed, or null for failures before any method ran
 */
public record ReportError(String imageId, String stage, String method, String message) {}
